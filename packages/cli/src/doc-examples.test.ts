// Runs every @example in this package's doc comments (see @driftwatch/doc-examples).
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

import { ModelRegistry } from '@driftwatch/bus';
import { describeDocExamples } from '@driftwatch/doc-examples';

import * as cli from './index.js';
import { fakeModelVersion } from './testing/fake-model-version.js';

describeDocExamples({
  sourceDir: dirname(fileURLToPath(import.meta.url)),
  exports: cli,
  scope: { ModelRegistry, fakeModelVersion },
  withoutExample: ['CliError'],
});
