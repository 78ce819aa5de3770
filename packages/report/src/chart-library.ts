import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

import { ReportError } from './errors.js';

/** A chart library to inline into the page: its script and styles, and what it is. */
export interface ChartLibrary {
  name: string;
  version: string;
  license: string;
  script: string;
  css: string;
}

/**
 * uPlot's minified build and styles, read from this package's own dependency: the one thing this
 * package reads, so the page it renders is whole without a network. uPlot draws 50,000 points in
 * milliseconds and weighs about 50 KB.
 */
export async function loadChartLibrary(): Promise<ChartLibrary> {
  const path = (file: string): string => fileURLToPath(import.meta.resolve(`uplot/${file}`));
  try {
    const [script, css, manifest] = await Promise.all([
      readFile(path('dist/uPlot.iife.min.js'), 'utf8'),
      readFile(path('dist/uPlot.min.css'), 'utf8'),
      readFile(path('package.json'), 'utf8'),
    ]);
    const { version, license } = JSON.parse(manifest) as { version: string; license: string };
    return { name: 'uPlot', version, license, script, css };
  } catch (error) {
    throw new ReportError(
      'DW_REPORT_NO_CHART_LIBRARY',
      `cannot read the bundled chart library uplot (npm install?): ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
}
