/**
 * The lifecycle of one run of the training command, as a transition table. Its point is the race
 * between the program ending and the trainer ending it: whichever comes first decides the outcome,
 * and what comes after changes nothing.
 *
 *   running ──exit────────► exited           (settle: the exit code says how it went)
 *   running ──deadline────► timed-out        (kill the process group; settle on its exit)
 *   running ──shutdown────► stopped          (kill the process group; settle on its exit)
 *   running ──spawn-error─► failed-to-start  (settle: there is no process)
 *
 * `exit` settles a timed-out or stopped run once its processes are gone, and so does
 * `spawn-error` (a shutdown can come before the news that the program never started); every
 * other event in a state other than `running` is ignored — a deadline that fires as the program
 * exits does not turn a finished run into a timeout, and a program killed at its deadline is not
 * "exited".
 */
export type CommandRunState = 'running' | 'exited' | 'timed-out' | 'stopped' | 'failed-to-start';
export type CommandRunEvent = 'exit' | 'deadline' | 'shutdown' | 'spawn-error';
export type CommandRunEffect = 'settle' | 'kill-group' | 'none';

type Transition = { next: CommandRunState; effect: CommandRunEffect };

const ignored = (state: CommandRunState): Record<CommandRunEvent, Transition> => ({
  exit: { next: state, effect: 'none' },
  deadline: { next: state, effect: 'none' },
  shutdown: { next: state, effect: 'none' },
  'spawn-error': { next: state, effect: 'none' },
});

export const commandRunTransitions: Readonly<
  Record<CommandRunState, Readonly<Record<CommandRunEvent, Transition>>>
> = {
  running: {
    exit: { next: 'exited', effect: 'settle' },
    deadline: { next: 'timed-out', effect: 'kill-group' },
    shutdown: { next: 'stopped', effect: 'kill-group' },
    'spawn-error': { next: 'failed-to-start', effect: 'settle' },
  },
  exited: ignored('exited'),
  'timed-out': {
    ...ignored('timed-out'),
    exit: { next: 'timed-out', effect: 'settle' },
    'spawn-error': { next: 'timed-out', effect: 'settle' },
  },
  stopped: {
    ...ignored('stopped'),
    exit: { next: 'stopped', effect: 'settle' },
    'spawn-error': { next: 'stopped', effect: 'settle' },
  },
  'failed-to-start': ignored('failed-to-start'),
};

/**
 * The guard: a run settles once. After it has, every event is ignored (a late `exit` of a run
 * whose spawn failed, say).
 */
export function commandRunTransition(
  state: CommandRunState,
  event: CommandRunEvent,
  settled: boolean,
): Transition {
  return settled ? { next: state, effect: 'none' } : commandRunTransitions[state][event];
}
