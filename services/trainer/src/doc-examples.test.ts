// Runs every @example in this service's doc comments (see @driftwatch/doc-examples).
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

import { describeDocExamples } from '@driftwatch/doc-examples';

import * as trainer from './index.js';

describeDocExamples({
  sourceDir: dirname(fileURLToPath(import.meta.url)),
  exports: trainer,
  // These read a broker, run programs or train models; their own tests run them.
  withoutExample: [
    'createTrainerDiagnostics',
    'createTrainerHandler',
    'trainForRequest',
    'readTrainingWindow',
    'splitTrainingRows',
    'commandRunTransition',
    'runTrainingCommand',
    'externalCandidate',
    'trainWithCommand',
  ],
});
