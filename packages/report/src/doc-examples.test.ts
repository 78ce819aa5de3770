// Runs every @example in this package's doc comments (see @driftwatch/doc-examples).
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

import { describeDocExamples } from '@driftwatch/doc-examples';

import * as report from './index.js';

describeDocExamples({
  sourceDir: dirname(fileURLToPath(import.meta.url)),
  exports: report,
  // Shown at work in their own tests: a whole report takes records, not a one-line example.
  withoutExample: [
    'ReportError',
    'computeModelReport',
    'renderReportHtml',
    'loadChartLibrary',
    'byEventTime',
    'modelReportFormat',
    'syntheticReportInput',
  ],
});
