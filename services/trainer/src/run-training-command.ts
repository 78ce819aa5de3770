import { spawn } from 'node:child_process';

import {
  commandRunTransition,
  type CommandRunEvent,
  type CommandRunState,
} from './command-run-lifecycle.js';
import { TextTail } from './text-tail.js';

/** How a run ended; `running` never is. */
export type CommandRunOutcome = Exclude<CommandRunState, 'running'>;

export interface CommandRun {
  outcome: CommandRunOutcome;
  /** The exit code when the program ended on its own; null when a signal ended it. */
  exitCode: number | null;
  /** The signal that ended it: SIGKILL when the trainer did, at the deadline or on shutdown. */
  exitSignal: NodeJS.Signals | null;
  durationMs: number;
  /** The last lines of its stderr (bounded, see `TextTail`). */
  stderr: string;
  /** The last lines of its stdout, for the log line. */
  stdout: string;
  /** Why it could not be started (`failed-to-start`): ENOENT, EACCES… */
  startError: string | null;
}

export interface RunTrainingCommandOptions {
  /** The program and its arguments, run without a shell (see `splitCommandLine`). */
  argv: readonly string[];
  cwd: string;
  env: Readonly<Record<string, string>>;
  /** After this long the run is `timed-out` and its whole process group is killed. */
  timeoutMs: number;
  /** Aborted when the trainer stops: the run is `stopped` and its process group killed. */
  signal?: AbortSignal;
  /** Called every `KEEP_ALIVE_MS` while the program runs (the consumer group's heartbeat). */
  keepAlive?: () => void;
  stderrTail?: { maxLines: number; maxBytes: number };
}

/** What a rejected version quotes of stderr at most: enough for a traceback's last frames. */
export const STDERR_TAIL = { maxLines: 20, maxBytes: 2048 } as const;
const STDOUT_TAIL = { maxLines: 5, maxBytes: 1024 } as const;
const KEEP_ALIVE_MS = 1000;
/**
 * After the program exits, how long its output pipes may stay open (held by a process it left
 * running in the background) before the trainer stops reading them.
 */
const PIPE_GRACE_MS = 2000;

/**
 * Runs a training program once and says how it ended (see `command-run-lifecycle.ts`). It runs
 * without a shell, in `cwd`, as the leader of a new process group, so that at the deadline or on
 * shutdown one SIGKILL reaches everything it started (a `sh -c` line's children, a framework's
 * worker processes). Its stdin is empty; of stdout and stderr only a bounded tail is kept, so a
 * chatty program cannot fill the trainer's memory. Never rejects: a program that cannot be
 * started is the outcome `failed-to-start`.
 */
export function runTrainingCommand(options: RunTrainingCommandOptions): Promise<CommandRun> {
  const [program, ...args] = options.argv;
  if (program === undefined) throw new RangeError('argv must name a program');
  const started = performance.now();
  const stderr = new TextTail(options.stderrTail ?? STDERR_TAIL);
  const stdout = new TextTail(STDOUT_TAIL);
  return new Promise((resolve) => {
    let state: CommandRunState = 'running';
    let settled = false;
    let spawned = false;
    let startError: string | null = null;
    let exit: { code: number | null; signal: NodeJS.Signals | null } = { code: null, signal: null };
    const child = spawn(program, args, {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (chunk: Buffer) => {
      stdout.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr.push(chunk);
    });
    const closed = new Promise<void>((done) =>
      child.once('close', () => {
        done();
      }),
    );

    const killGroup = (): void => {
      if (child.pid === undefined) return;
      try {
        // The negative pid is the group: the program and everything it started.
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // ESRCH: the group is already gone.
      }
    };
    const deadline = setTimeout(() => {
      on('deadline');
    }, options.timeoutMs);
    const onAbort = (): void => {
      on('shutdown');
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const beat = options.keepAlive ? setInterval(options.keepAlive, KEEP_ALIVE_MS) : undefined;

    const settle = async (): Promise<void> => {
      clearTimeout(deadline);
      clearInterval(beat);
      options.signal?.removeEventListener('abort', onAbort);
      let grace: NodeJS.Timeout | undefined;
      await Promise.race([
        closed,
        new Promise<void>((done) => (grace = setTimeout(done, PIPE_GRACE_MS))),
      ]);
      clearTimeout(grace);
      child.stdout.destroy();
      child.stderr.destroy();
      resolve({
        outcome: state === 'running' ? 'exited' : state,
        exitCode: exit.code,
        exitSignal: exit.signal,
        durationMs: performance.now() - started,
        stderr: stderr.text,
        stdout: stdout.text,
        startError,
      });
    };
    function on(event: CommandRunEvent): void {
      const transition = commandRunTransition(state, event, settled);
      state = transition.next;
      if (transition.effect === 'kill-group') killGroup();
      if (transition.effect === 'settle') {
        settled = true;
        void settle();
      }
    }

    child.once('spawn', () => {
      spawned = true;
    });
    child.on('error', (error) => {
      // After a successful spawn, 'error' only reports a failed kill, which settles nothing.
      if (spawned) return;
      startError = error.message;
      on('spawn-error');
    });
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      on('exit');
    });
    if (options.signal?.aborted) on('shutdown');
  });
}
