import type { InputRecord } from '@driftwatch/bus';

import type { DetectorOutput } from './detector-output.js';
import type { StateStream } from './state-key.js';
import type { Snapshotable, StateStore } from './state-store.js';

/**
 * Writes the state of every model a batch touched (model → the last record folded in) to the
 * changelog, in the batch's transaction, and reports each state's metrics.
 */
export function writeSnapshots<State extends Snapshotable<Json>, Json>(
  stream: StateStream,
  store: StateStore<State, Json>,
  touched: ReadonlyMap<string, InputRecord>,
  output: DetectorOutput,
  report: (model: string, state: State) => void,
): void {
  for (const [model, record] of touched) {
    output.snapshot({ stream, model }, store.touch(model, record.partition, record.offset));
    const state = store.get(model);
    if (state) report(model, state);
  }
}
