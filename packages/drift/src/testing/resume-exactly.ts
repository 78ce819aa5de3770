/**
 * The property every snapshot must have: an object revived from `toJSON()` (after a JSON round
 * trip) continues bit for bit as if it had never stopped. The detector service relies on it to
 * survive `kill -9` between Kafka batches.
 */
import assert from 'node:assert/strict';

import { DriftError } from '../errors.js';
import { mulberry32 } from '../random.js';

export interface ResumeCase<T extends { toJSON(): unknown }, V> {
  create: () => T;
  /** The class's `fromJSON`. */
  revive: (state: ReturnType<T['toJSON']>) => T;
  /** Feeds one element; whatever it returns must be the same for both objects. */
  update: (object: T, value: V) => unknown;
  /** Every getter, as primitives compared with `Object.is` (so NaN equals NaN, and −0 is not 0). */
  observe: (object: T) => readonly unknown[];
  stream: ArrayLike<V>;
  /** Numbers of elements fed before the snapshot, in [0, stream.length]. */
  splits: Iterable<number>;
}

/**
 * For each split: feeds a fresh object the first `split` elements, revives a second one from its
 * snapshot, then feeds both the rest and asserts after every element that they returned the same
 * and read the same, and at the end that their snapshots are equal.
 */
export function assertResumesExactly<T extends { toJSON(): unknown }, V>(
  resumeCase: ResumeCase<T, V>,
): void {
  const { create, revive, update, observe, stream } = resumeCase;
  for (const split of resumeCase.splits) {
    const original = create();
    for (let i = 0; i < split; i++) update(original, stream[i] as V);
    const state = original.toJSON();
    const json = JSON.parse(JSON.stringify(state)) as ReturnType<T['toJSON']>;
    assert.deepEqual(json, state, `split ${split}: the snapshot does not survive JSON`);
    const revived = revive(json);
    assert.deepEqual(revived.toJSON(), state, `split ${split}: the revived object's snapshot`);
    assertSameReadings(observe(revived), observe(original), `split ${split}, on revival`);
    for (let i = split; i < stream.length; i++) {
      const value = stream[i] as V;
      const expected = update(original, value);
      const actual = update(revived, value);
      if (!Object.is(actual, expected)) {
        assert.deepEqual(actual, expected, `split ${split}, element ${i}: update returned`);
      }
      assertSameReadings(observe(revived), observe(original), `split ${split}, element ${i}`);
    }
    assert.deepEqual(revived.toJSON(), original.toJSON(), `split ${split}: final snapshots`);
  }
}

function assertSameReadings(
  actual: readonly unknown[],
  expected: readonly unknown[],
  where: string,
) {
  for (let i = 0; i < expected.length; i++) {
    if (!Object.is(actual[i], expected[i])) {
      assert.fail(
        `${where}: reading ${i} is ${String(actual[i])}, expected ${String(expected[i])}`,
      );
    }
  }
}

/**
 * Where to split a stream of `length`: the start and the first elements, around each of `marks`
 * (detections, window or block boundaries: just before, at, just after), the end, and `extra`
 * seeded points between.
 */
export function splitPoints(length: number, marks: Iterable<number> = [], extra = 6): number[] {
  const points = new Set([0, 1, 2, length - 1, length]);
  for (const mark of marks) for (const near of [-1, 0, 1, 2]) points.add(mark + near);
  const random = mulberry32(length);
  for (let i = 0; i < extra; i++) points.add(Math.floor(random() * length));
  return [...points].filter((point) => point >= 0 && point <= length).sort((a, b) => a - b);
}

/** Asserts that each state is refused with `DW_DRIFT_INVALID_STATE`, naming `className`. */
export function assertRejectsStates(
  className: string,
  revive: (state: unknown) => unknown,
  states: Readonly<Record<string, unknown>>,
): void {
  for (const [what, state] of Object.entries(states)) {
    assert.throws(
      () => revive(state),
      (error: unknown) =>
        error instanceof DriftError &&
        error.code === 'DW_DRIFT_INVALID_STATE' &&
        error.message.startsWith(`invalid ${className} state: `),
      what,
    );
  }
}
