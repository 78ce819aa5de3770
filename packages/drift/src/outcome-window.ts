import type { StateReader } from './state-reader.js';

/**
 * The last `capacity` outcomes (0 or 1) of a stream, with the number of ones among all of them and
 * among the newest `tail`: what FHDDM reads from its sliding window (`tail` is FHDDMS's short
 * window, which is the newest part of the long one). Counts are integers, so a window mean
 * `ones / capacity` is the same double however the window got there. O(1) per push; one byte per
 * outcome. Internal to this package (`Fhddm`, `Fhddms`).
 */
export class OutcomeWindow {
  readonly capacity: number;
  readonly tail: number;

  /** A ring: the oldest outcome is at #oldest, and the window runs #length slots from there. */
  readonly #ring: Uint8Array;
  #oldest = 0;
  #length = 0;
  #ones = 0;
  #tailOnes = 0;

  /** `tail` in [1, capacity]; the default counts only the newest outcome. */
  constructor(capacity: number, tail = 1) {
    this.capacity = capacity;
    this.tail = tail;
    this.#ring = new Uint8Array(capacity);
  }

  /** Outcomes held: min(pushed since the last `clear`, capacity). */
  get length(): number {
    return this.#length;
  }

  get full(): boolean {
    return this.#length === this.capacity;
  }

  /** Ones among all the outcomes held. */
  get ones(): number {
    return this.#ones;
  }

  /** Ones among the newest min(length, tail) outcomes. */
  get tailOnes(): number {
    return this.#tailOnes;
  }

  /** Appends an outcome, dropping the oldest when full. */
  push(outcome: 0 | 1): void {
    const at = (this.#oldest + this.#length) % this.capacity;
    // The outcome `tail` places before the new one leaves the tail. When tail = capacity that is
    // the oldest, about to be overwritten at `at`, so it is read first.
    if (this.#length >= this.tail) {
      this.#tailOnes -= this.#ring[(at - this.tail + this.capacity) % this.capacity] as number;
    }
    if (this.full) {
      this.#ones -= this.#ring[this.#oldest] as number;
      this.#oldest = (this.#oldest + 1) % this.capacity;
    } else {
      this.#length++;
    }
    this.#ring[at] = outcome;
    this.#ones += outcome;
    this.#tailOnes += outcome;
  }

  /**
   * Refills the window from a snapshot's `field` (0/1 outcomes, oldest first, as `toArray` wrote
   * them): at most `capacity` of them and at most `count`, the outcomes the snapshotted object saw.
   */
  restore(reader: StateReader, field: string, count: number): void {
    const outcomes = reader.integers(field, 0, 1) as (0 | 1)[];
    const most = Math.min(this.capacity, count);
    reader.require(
      outcomes.length <= most,
      `${reader.name(field)} must hold at most ${most} outcomes, got ${outcomes.length}`,
    );
    this.clear();
    for (const outcome of outcomes) this.push(outcome);
  }

  clear(): void {
    this.#oldest = 0;
    this.#length = 0;
    this.#ones = 0;
    this.#tailOnes = 0;
  }

  /** The outcomes held, oldest first. */
  toArray(): (0 | 1)[] {
    const outcomes: (0 | 1)[] = [];
    for (let i = 0; i < this.#length; i++) {
      outcomes.push(this.#ring[(this.#oldest + i) % this.capacity] as 0 | 1);
    }
    return outcomes;
  }
}
