export interface TimestampRingState {
  capacity: number;
  /** Oldest first. */
  values: number[];
}

/** The timestamps of the last `capacity` records: where a window of evidence starts. */
export class TimestampRing {
  readonly #values: Float64Array;
  #start = 0;
  #size = 0;

  constructor(capacity: number) {
    this.#values = new Float64Array(capacity);
  }

  static fromJSON(state: TimestampRingState): TimestampRing {
    const ring = new TimestampRing(state.capacity);
    for (const value of state.values) ring.push(value);
    return ring;
  }

  push(ts: number): void {
    const capacity = this.#values.length;
    if (this.#size < capacity) {
      this.#values[(this.#start + this.#size++) % capacity] = ts;
      return;
    }
    this.#values[this.#start] = ts;
    this.#start = (this.#start + 1) % capacity;
  }

  /** The timestamp `back` records before the newest (0: the newest), clamped to the oldest. */
  ago(back: number): number {
    if (this.#size === 0) return 0;
    const index = Math.max(0, this.#size - 1 - Math.max(0, back));
    return this.#values[(this.#start + index) % this.#values.length] ?? 0;
  }

  oldest(): number {
    return this.ago(this.#size - 1);
  }

  get size(): number {
    return this.#size;
  }

  toJSON(): TimestampRingState {
    const values: number[] = [];
    for (let i = 0; i < this.#size; i++) {
      values.push(this.#values[(this.#start + i) % this.#values.length] ?? 0);
    }
    return { capacity: this.#values.length, values };
  }
}
