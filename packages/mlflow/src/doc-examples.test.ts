// Runs every @example in this package's doc comments (see @driftwatch/doc-examples).
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

import { describeDocExamples } from '@driftwatch/doc-examples';

import * as mlflow from './index.js';

describeDocExamples({
  sourceDir: dirname(fileURLToPath(import.meta.url)),
  exports: mlflow,
  withoutExample: ['MlflowError', 'MlflowClient', 'MlflowTracker'],
});
