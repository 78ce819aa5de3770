// Runs every @example in this package's doc comments (see @driftwatch/doc-examples).
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

import { describeDocExamples } from '@driftwatch/doc-examples';
import * as learn from '@driftwatch/learn';

import * as model from './index.js';

describeDocExamples({
  sourceDir: dirname(fileURLToPath(import.meta.url)),
  exports: model,
  scope: learn,
  // Training a model to show one takes seconds and prints kilobytes; the trainer's tests run them.
  withoutExample: [
    'ModelError',
    'bootstrapVersion',
    'buildCandidate',
    'evaluateChampion',
    'loadVersionScorer',
  ],
});
