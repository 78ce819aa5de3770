/** A state object that can be written to the changelog and read back. */
export interface Snapshotable<Json> {
  toJSON(): Json;
}

/** A snapshot as it travels on the changelog: the state, and the input record it includes. */
export interface StateSnapshot<Json> {
  /** The input partition and offset of the last record folded into the state. */
  partition: number;
  offset: string;
  state: Json;
}

/**
 * The detector's state per key (`concept/<model>`, `data/<model>`), with the discipline that
 * makes restarts exact: a batch mutates live objects and marks their keys dirty; its snapshots go
 * out in the batch's transaction; `committed()` makes them the committed state. When a batch is
 * handled again (its transaction failed), the dirty keys are dropped and rebuilt from the
 * committed snapshots. Snapshots read back from the changelog only ever move a key forward.
 */
export class StateStore<State extends Snapshotable<Json>, Json> {
  readonly #revive: (key: string, json: Json) => State | undefined;
  readonly #committed = new Map<string, StateSnapshot<Json>>();
  readonly #live = new Map<string, State>();
  readonly #staged = new Map<string, StateSnapshot<Json>>();
  readonly #dirty = new Set<string>();

  readonly #onUnrevivable: (key: string, error: unknown) => void;

  /**
   * `revive` returns undefined for a snapshot it cannot continue (e.g. taken under other
   * options); a snapshot it throws on (written by another release) is reported and the key starts
   * afresh, rather than stopping the detector on every restart.
   */
  constructor(
    revive: (key: string, json: Json) => State | undefined,
    onUnrevivable: (key: string, error: unknown) => void = () => undefined,
  ) {
    this.#revive = revive;
    this.#onUnrevivable = onUnrevivable;
  }

  /** Starts a batch: forgets what an uncommitted earlier attempt changed. */
  begin(): void {
    for (const key of this.#dirty) this.#live.delete(key);
    this.#dirty.clear();
    this.#staged.clear();
  }

  /**
   * The live state of a key, revived from its committed snapshot when needed; undefined if none.
   * The key counts as dirty from here on: a batch that fails after changing the state in place,
   * before writing its snapshot, must not leave that change behind for the batch's next attempt.
   */
  get(key: string): State | undefined {
    let state = this.#live.get(key);
    if (state) {
      this.#dirty.add(key);
      return state;
    }
    const snapshot = this.#committed.get(key);
    if (!snapshot) return undefined;
    try {
      state = this.#revive(key, snapshot.state);
    } catch (error) {
      this.#onUnrevivable(key, error);
      this.#committed.delete(key);
      return undefined;
    }
    if (state) {
      this.#live.set(key, state);
      this.#dirty.add(key);
    }
    return state;
  }

  /** Replaces a key's state (a new model version starts afresh). */
  set(key: string, state: State): void {
    this.#live.set(key, state);
    this.#dirty.add(key);
  }

  /** The key's state changed in this batch; returns the snapshot to write for it. */
  touch(key: string, partition: number, offset: string): StateSnapshot<Json> {
    const state = this.#live.get(key);
    if (!state) throw new Error(`no live state for ${key}`);
    this.#dirty.add(key);
    const snapshot = { partition, offset, state: state.toJSON() };
    this.#staged.set(key, snapshot);
    return snapshot;
  }

  /** The batch's transaction committed: its snapshots are now the committed state. */
  committed(): void {
    for (const [key, snapshot] of this.#staged) this.#committed.set(key, snapshot);
    this.#staged.clear();
    this.#dirty.clear();
  }

  /** A snapshot read from the changelog; kept only when it is newer than the one we have. */
  restore(key: string, snapshot: StateSnapshot<Json>): void {
    const known = this.#committed.get(key);
    if (
      known &&
      known.partition === snapshot.partition &&
      BigInt(known.offset) >= BigInt(snapshot.offset)
    )
      return;
    this.#committed.set(key, snapshot);
  }

  /** After a rebalance another member may have moved any key forward: rebuild all from snapshots. */
  forgetLive(): void {
    this.#live.clear();
    this.#dirty.clear();
    this.#staged.clear();
  }
}
