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
 *
 * Batches are opened per scope (`begin(scope)`), and batches of different scopes may be in hand
 * at once: the detector's scope is the input partition, and a model's keys live in one partition
 * of each co-partitioned input, so two scopes never share a key. One scope's batches come one at
 * a time.
 */
export class StateStore<State extends Snapshotable<Json>, Json> {
  readonly #revive: (key: string, json: Json) => State | undefined;
  readonly #committed = new Map<string, StateSnapshot<Json>>();
  readonly #live = new Map<string, State>();
  /** The batch in hand, or the last one that did not commit, per scope. */
  readonly #open = new Map<number, StateBatch<State, Json>>();

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

  /** Starts a batch of `scope`: first forgets what an uncommitted earlier attempt of it changed. */
  begin(scope = 0): StateBatch<State, Json> {
    this.#open.get(scope)?.rollBack();
    const batch: StateBatch<State, Json> = new StateBatch<State, Json>({
      live: this.#live,
      committed: this.#committed,
      revive: (key) => this.#reviveCommitted(key),
      close: () => {
        if (this.#open.get(scope) === batch) this.#open.delete(scope);
      },
    });
    this.#open.set(scope, batch);
    return batch;
  }

  /** The key's committed state, revived afresh (what the next batch would start from); undefined if none. */
  committedState(key: string): State | undefined {
    return this.#reviveCommitted(key);
  }

  /** A snapshot read from the changelog; kept only when it is newer than the one we have. */
  restore(key: string, snapshot: StateSnapshot<Json>): void {
    if (this.isNewer(key, snapshot)) this.#committed.set(key, snapshot);
  }

  /**
   * Whether a snapshot of this position would move the key forward: the key has none, or one of
   * another input partition (after a repartitioning), or one of an earlier offset.
   */
  isNewer(key: string, position: { partition: number; offset: string }): boolean {
    const known = this.#committed.get(key);
    return !(
      known &&
      known.partition === position.partition &&
      BigInt(known.offset) >= BigInt(position.offset)
    );
  }

  /**
   * After a rebalance another member may have moved any key forward: rebuild all from snapshots.
   * Called with no batch in hand (kafkajs finishes them before it rejoins).
   */
  forgetLive(): void {
    this.#live.clear();
    this.#open.clear();
  }

  #reviveCommitted(key: string): State | undefined {
    const snapshot = this.#committed.get(key);
    if (!snapshot) return undefined;
    try {
      return this.#revive(key, snapshot.state);
    } catch (error) {
      this.#onUnrevivable(key, error);
      this.#committed.delete(key);
      return undefined;
    }
  }
}

/** What a batch shares with its store. */
export interface StateBatchBacking<State, Json> {
  live: Map<string, State>;
  committed: Map<string, StateSnapshot<Json>>;
  /** A key's committed snapshot revived, or undefined. */
  revive: (key: string) => State | undefined;
  /** The batch is over (committed or rolled back). */
  close: () => void;
}

/** One batch's view of a `StateStore`: what it reads, changes and stages for its transaction. */
export class StateBatch<State extends Snapshotable<Json>, Json> {
  readonly #store: StateBatchBacking<State, Json>;
  readonly #staged = new Map<string, StateSnapshot<Json>>();
  readonly #dirty = new Set<string>();

  /** Only `StateStore.begin` makes one. */
  constructor(store: StateBatchBacking<State, Json>) {
    this.#store = store;
  }

  /**
   * The live state of a key, revived from its committed snapshot when needed; undefined if none.
   * The key counts as dirty from here on: a batch that fails after changing the state in place,
   * before writing its snapshot, must not leave that change behind for the batch's next attempt.
   */
  get(key: string): State | undefined {
    let state = this.#store.live.get(key);
    if (!state) {
      state = this.#store.revive(key);
      if (!state) return undefined;
      this.#store.live.set(key, state);
    }
    this.#dirty.add(key);
    return state;
  }

  /** Replaces a key's state (a new model version starts afresh). */
  set(key: string, state: State): void {
    this.#store.live.set(key, state);
    this.#dirty.add(key);
  }

  /** The key's state changed in this batch; returns the snapshot to write for it. */
  touch(key: string, partition: number, offset: string): StateSnapshot<Json> {
    const state = this.#store.live.get(key);
    if (!state) throw new Error(`no live state for ${key}`);
    this.#dirty.add(key);
    const snapshot = { partition, offset, state: state.toJSON() };
    this.#staged.set(key, snapshot);
    return snapshot;
  }

  /** The batch's transaction committed: its snapshots are now the committed state. */
  committed(): void {
    for (const [key, snapshot] of this.#staged) this.#store.committed.set(key, snapshot);
    this.#staged.clear();
    this.#dirty.clear();
    this.#store.close();
  }

  /** The batch did not commit: what it changed goes, to be revived from the committed state. */
  rollBack(): void {
    for (const key of this.#dirty) this.#store.live.delete(key);
    this.#dirty.clear();
    this.#staged.clear();
    this.#store.close();
  }
}
