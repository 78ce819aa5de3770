import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { Challenger } from './challenger.js';
import { externalCandidate, type ExternalCandidateOptions } from './external-candidate.js';
import { formatTrainingCsv } from './format-training-csv.js';
import { runTrainingCommand, type CommandRun } from './run-training-command.js';
import { trainingCommandEnv } from './training-command-env.js';

/** `TRAINER_COMMAND` as the trainer runs it. */
export interface TrainingCommand {
  /** The program and its arguments (`splitCommandLine`); run without a shell. */
  argv: readonly string[];
  /** Where it runs: the trainer's working directory, so relative paths read as they were typed. */
  cwd: string;
  timeoutMs: number;
  /** The environment it inherits, before the `DRIFTWATCH_*` variables. */
  env: Readonly<Record<string, string | undefined>>;
}

/**
 * How a run of the training command went, closed: `usable` gave a challenger; every other
 * verdict a rejected version. `not-run`: the names cannot be passed (a comma in one);
 * `not-started`: the program could not be started; `failed`: it exited non-zero or was ended by
 * a signal; `timed-out`; `no-model`: it exited 0 without writing the ONNX file; `unusable`: the
 * file is not a model driftwatch can serve for these features and classes.
 */
export type CommandVerdict =
  'usable' | 'not-run' | 'not-started' | 'failed' | 'timed-out' | 'no-model' | 'unusable';

export interface CommandReport {
  verdict: CommandVerdict;
  /** Null when the program was not run. */
  run: CommandRun | null;
}

export type CommandTraining =
  | { kind: 'challenger'; challenger: Challenger; report: CommandReport }
  | { kind: 'rejected'; reason: string; report: CommandReport };

/** What the program trains on, and what its model is judged and profiled with. */
export interface CommandTrainingInput extends ExternalCandidateOptions {
  model: string;
  requestId: string;
}

/**
 * Trains a challenger with the user's program: writes the training and holdout rows as CSV into
 * a fresh temporary directory (removed afterwards, whatever happens), runs the command there
 * (see `runTrainingCommand`) with the `DRIFTWATCH_*` variables, and takes the ONNX it wrote as
 * any model trained elsewhere is taken (`externalCandidate`). Whatever goes wrong with the
 * program or its model is a `rejected` outcome whose reason quotes the end of its stderr, so the
 * request is answered and not retried. Only a trainer that is stopping (`signal` aborted) throws:
 * its request is then handled again after the restart.
 */
export async function trainWithCommand(
  input: CommandTrainingInput,
  command: TrainingCommand,
  options: { signal?: AbortSignal; keepAlive?: () => void } = {},
): Promise<CommandTraining> {
  const dir = await mkdtemp(join(tmpdir(), 'driftwatch-train-'));
  try {
    const paths = {
      trainCsv: join(dir, 'train.csv'),
      holdoutCsv: join(dir, 'holdout.csv'),
      outputOnnx: join(dir, 'model.onnx'),
    };
    const built = trainingCommandEnv({ ...paths, ...input }, command.env);
    if (!built.ok) {
      return {
        kind: 'rejected',
        reason: `training command not run: ${built.problem}`,
        report: { verdict: 'not-run', run: null },
      };
    }
    await writeFile(
      paths.trainCsv,
      formatTrainingCsv(input.featureNames, input.classes, input.train),
    );
    await writeFile(
      paths.holdoutCsv,
      formatTrainingCsv(input.featureNames, input.classes, input.holdout),
    );
    const run = await runTrainingCommand({
      argv: command.argv,
      cwd: command.cwd,
      env: built.env,
      timeoutMs: command.timeoutMs,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.keepAlive ? { keepAlive: options.keepAlive } : {}),
    });
    if (run.outcome === 'stopped') options.signal?.throwIfAborted();
    const rejected = (verdict: CommandVerdict, why: string): CommandTraining => ({
      kind: 'rejected',
      reason: `training command ${why}${run.stderr ? `; stderr: ${run.stderr}` : ''}`,
      report: { verdict, run },
    });
    const took = formatSeconds(run.durationMs);
    if (run.outcome === 'failed-to-start') {
      return rejected('not-started', `could not be started: ${run.startError ?? 'unknown error'}`);
    }
    if (run.outcome === 'timed-out') {
      return rejected(
        'timed-out',
        `timed out after ${formatSeconds(command.timeoutMs)} (TRAINER_COMMAND_TIMEOUT) and was killed`,
      );
    }
    if (run.exitCode !== 0) {
      const ended =
        run.exitCode === null
          ? `was ended by ${run.exitSignal ?? 'a signal'}`
          : `exited with code ${run.exitCode}`;
      return rejected('failed', `${ended} after ${took}`);
    }
    let onnx: Uint8Array;
    try {
      onnx = await readFile(paths.outputOnnx);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      return rejected(
        'no-model',
        `exited 0 after ${took} but wrote no model to DRIFTWATCH_OUTPUT_ONNX`,
      );
    }
    const taken = await externalCandidate(new Uint8Array(onnx), input);
    if (!taken.ok) return rejected('unusable', `wrote an unusable model: ${taken.problem}`);
    return { kind: 'challenger', challenger: taken.challenger, report: { verdict: 'usable', run } };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** `42.1s`, `12m30s`: how long, in a reason a person reads. */
function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  if (seconds < 60) return `${Number(seconds.toFixed(1))}s`;
  const minutes = Math.floor(seconds / 60);
  const rest = Math.round(seconds - minutes * 60);
  return rest === 0 ? `${minutes}m` : `${minutes}m${rest}s`;
}
