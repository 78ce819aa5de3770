import { readElec2, seaDemoConcepts, seaStream, type StreamRow } from '@driftwatch/datasets';

import { CliError } from './errors.js';

export interface ReferenceSample {
  model: string;
  featureNames: string[];
  rows: StreamRow[];
}

/**
 * What a bootstrap model learns from: for SEA, a sample of the demo stream's first concept drawn
 * with its own seed (so it is not the replayed data itself); for ELEC2, the first `rows` rows.
 */
export async function referenceSample(options: {
  dataset: 'sea' | 'elec2';
  file?: string | undefined;
  rows: number;
  seed: number;
}): Promise<ReferenceSample> {
  if (options.dataset === 'elec2') {
    if (!options.file) {
      throw new CliError(
        'DW_CLI_BAD_OPTION',
        '--dataset elec2 needs --file <path to elec2.csv> (the normalized ELEC2 CSV; it is not bundled)',
      );
    }
    const rows = (await readElec2(options.file)).slice(0, options.rows);
    return { model: 'elec2', featureNames: Object.keys(rows[0]?.features ?? {}), rows };
  }
  const threshold = seaDemoConcepts(options.rows)[0]?.threshold ?? 7;
  const rows = [
    ...seaStream({
      seed: options.seed + 1000,
      length: options.rows,
      concepts: [{ start: 0, threshold }],
    }),
  ];
  return { model: 'sea', featureNames: ['x1', 'x2', 'x3'], rows };
}
