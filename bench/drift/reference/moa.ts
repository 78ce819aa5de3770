/**
 * MOA's ADWIN, run through the Maven harness in test/fixtures/drift/moa. The first call compiles
 * it and resolves MOA from Maven Central into ~/.m2 (a minute the first time, seconds after).
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

import type { StreamSpec } from '../../../packages/drift/src/testing/golden-streams.js';
import { describe } from './python.js';
import { repositoryRoot } from './paths.js';

const run = promisify(execFile);

const HARNESS_DIR = join(repositoryRoot, 'test', 'fixtures', 'drift', 'moa');
const TARGET_DIR = join(HARNESS_DIR, 'target');

/** What the harness's bench mode prints. */
export interface MoaBenchResult {
  length: number;
  checksum: string;
  repeats: number;
  bestSeconds: number;
  detections: number;
  finalWidth: number;
  java: string;
}

/** Compiles the harness and returns its classpath; throws with the reason when it cannot. */
export async function ensureMoaHarness(): Promise<string> {
  const classpathFile = join(TARGET_DIR, 'classpath.txt');
  try {
    await run(
      'mvn',
      [
        '-q',
        '-B',
        '-f',
        join(HARNESS_DIR, 'pom.xml'),
        'compile',
        'dependency:build-classpath',
        `-Dmdep.outputFile=${classpathFile}`,
      ],
      { maxBuffer: 16 << 20 },
    );
  } catch (error) {
    const stdout = (error as { stdout?: unknown }).stdout;
    const reason =
      typeof stdout === 'string' && stdout.includes('[ERROR]')
        ? (stdout.split('\n').find((line) => line.includes('[ERROR]')) ?? describe(error))
        : describe(error);
    throw new Error(
      `cannot build the MOA harness with mvn (it needs Java 17+, Maven 3.8+ and Maven Central): ${reason}`,
      { cause: error },
    );
  }
  const dependencies = (await readFile(classpathFile, 'utf8')).trim();
  return [join(TARGET_DIR, 'classes'), dependencies].join(':');
}

/** Times MOA's ADWIN (shipped defaults) over `spec` inside the JVM: best of `repeats` runs. */
export async function benchMoaAdwin(spec: StreamSpec, repeats: number): Promise<MoaBenchResult> {
  const classpath = await ensureMoaHarness();
  try {
    const { stdout } = await run(
      'java',
      [
        '-cp',
        classpath,
        'driftwatch.moa.AdwinHarness',
        'bench',
        JSON.stringify(spec),
        `${repeats}`,
      ],
      { maxBuffer: 16 << 20 },
    );
    return JSON.parse(stdout) as MoaBenchResult;
  } catch (error) {
    throw new Error(`MOA harness failed: ${describe(error)}`, { cause: error });
  }
}
