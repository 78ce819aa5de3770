import {
  joinTransition,
  type JoinReplay,
  type JoinSide,
  type JoinState,
} from '../join-lifecycle.js';
import type { JoinInput, JoinOutcome, RedisJoinStore } from '../join-store.js';

interface Pair {
  state: JoinState;
  payloads: Partial<Record<JoinSide, string>>;
  /** Coordinate of the record that stored each half. */
  storedBy: Partial<Record<JoinSide, string>>;
  /** Coordinate of the record that completed the join. */
  completedBy?: string;
}

/**
 * The join store's contract held in memory, for handler tests without Redis: each input is one
 * transition of join-lifecycle.ts's table, replays included. The Lua script that runs the same
 * table in Redis is checked against it in join-store.test.ts.
 */
export class InMemoryJoinStore implements Pick<RedisJoinStore, 'apply'> {
  readonly #pairs = new Map<string, Pair>();
  /** Every input applied, in order, with the `now` it was applied at. */
  readonly applied: { input: JoinInput; now: number }[] = [];

  apply(inputs: readonly JoinInput[], now: number): Promise<JoinOutcome[]> {
    return Promise.resolve(inputs.map((input) => this.#applyOne(input, now)));
  }

  state(model: string, id: string): JoinState {
    return this.#pairs.get(pairKey(model, id))?.state ?? 'empty';
  }

  #applyOne(input: JoinInput, now: number): JoinOutcome {
    this.applied.push({ input, now });
    const key = pairKey(input.model, input.id);
    const pair = this.#pairs.get(key) ?? { state: 'empty', payloads: {}, storedBy: {} };
    this.#pairs.set(key, pair);
    const replay: JoinReplay =
      input.coordinate === pair.completedBy
        ? 'completing-record'
        : input.coordinate === pair.storedBy[input.side]
          ? 'stored-record'
          : 'none';
    const { next, effect } = joinTransition(pair.state, input.side, replay);
    if (replay === 'none' && effect !== 'duplicate') {
      // Redis keeps bytes and answers text, as this does.
      pair.payloads[input.side] = input.payload.toString();
      pair.storedBy[input.side] = input.coordinate;
      if (effect === 'emit') pair.completedBy = input.coordinate;
    }
    pair.state = next;
    const { prediction, label } = pair.payloads;
    return effect === 'emit' && prediction !== undefined && label !== undefined
      ? { effect, predictionJson: prediction, labelJson: label }
      : { effect };
  }
}

function pairKey(model: string, id: string): string {
  return `${model}\u0000${id}`;
}
