/** River's ADWIN (Python), run in the shared oracle venv over a stream written to a file. */
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { describe, ensurePythonVenv } from './python.js';
import { repositoryRoot } from './paths.js';

const run = promisify(execFile);

/** What river_adwin.py prints. */
export interface RiverBenchResult {
  length: number;
  seconds: number;
  detections: number;
  finalWidth: number;
  river: string;
  python: string;
}

/** Times River's ADWIN (defaults) over exactly `values`; throws with the reason when it cannot. */
export async function benchRiverAdwin(
  values: Float64Array,
  name: string,
): Promise<RiverBenchResult> {
  const python = await ensurePythonVenv(['river']);
  const directory = join(repositoryRoot, '.cache', 'bench');
  await mkdir(directory, { recursive: true });
  const streamFile = join(directory, `${name}.f64`);
  const bytes = new Uint8Array(values.byteLength);
  const view = new DataView(bytes.buffer);
  values.forEach((value, index) => {
    view.setFloat64(index * 8, value, true);
  });
  await writeFile(streamFile, bytes);
  try {
    const script = join(repositoryRoot, 'bench', 'drift', 'reference', 'river_adwin.py');
    const { stdout } = await run(python, [script, streamFile], { maxBuffer: 16 << 20 });
    return JSON.parse(stdout) as RiverBenchResult;
  } catch (error) {
    throw new Error(`River run failed: ${describe(error)}`, { cause: error });
  }
}
