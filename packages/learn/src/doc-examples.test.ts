// Runs every @example in this package's doc comments (see @driftwatch/doc-examples).
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

import { describeDocExamples } from '@driftwatch/doc-examples';
import { mulberry32 } from '@driftwatch/drift';

import * as learn from './index.js';

describeDocExamples({
  sourceDir: dirname(fileURLToPath(import.meta.url)),
  exports: learn,
  scope: { mulberry32 },
  withoutExample: ['LearnError'],
});
