import { versionClasses, type ModelVersion } from '@driftwatch/topics';

/**
 * What inference needs of a loaded model: its input order, its classes, and one batched call
 * that returns every class's probability (`rowCount × classes.length`, row-major).
 */
export interface ScoringModel {
  readonly featureNames: readonly string[];
  readonly classes: readonly string[];
  score(matrix: Float32Array, rowCount: number): Promise<Float64Array>;
  release(): Promise<void>;
}

export type ModelLoader = (version: ModelVersion) => Promise<ScoringModel>;

export interface ServedModel {
  readonly model: string;
  readonly version: number;
  readonly scorer: ScoringModel;
  /** Binary: the version's decision threshold on its second class's probability. */
  readonly threshold: number;
}

/** The models one batch scores with; held for the whole batch so a swap cannot pull them away. */
export interface ModelLease {
  get(model: string): ServedModel | undefined;
  release(): void;
}

export type ApplyOutcome = 'served' | 'staged' | 'not-promoted' | 'not-newer' | 'load-failed';

interface Entry extends ServedModel {
  leases: number;
  retired: boolean;
}

/**
 * The latest promoted version of each model, hot-swappable. A newly promoted version replaces
 * the old one between batches: a batch leases the map at its start, scores everything with those
 * versions, and the old session is released only when its last lease is returned. Versions only
 * move forward, so a replayed or late record can never roll a model back.
 */
export class ServingModels {
  readonly #load: ModelLoader;
  readonly #onLoadFailure: (version: ModelVersion, error: unknown) => void;
  readonly #serving = new Map<string, Entry>();
  /** While catching up on the topic, only the newest promoted version per model is kept. */
  readonly #staged = new Map<string, ModelVersion>();
  #live = false;

  constructor(load: ModelLoader, onLoadFailure: (version: ModelVersion, error: unknown) => void) {
    this.#load = load;
    this.#onLoadFailure = onLoadFailure;
  }

  async apply(version: ModelVersion): Promise<ApplyOutcome> {
    if (version.status !== 'promoted') return 'not-promoted';
    const newest = Math.max(
      this.#serving.get(version.model)?.version ?? 0,
      this.#staged.get(version.model)?.version ?? 0,
    );
    if (version.version <= newest) return 'not-newer';
    if (!this.#live) {
      this.#staged.set(version.model, version);
      return 'staged';
    }
    return this.#swapIn(version);
  }

  /** Loads what was staged during catch-up; from now on promotions load as they arrive. */
  async goLive(): Promise<void> {
    this.#live = true;
    const staged = [...this.#staged.values()];
    this.#staged.clear();
    for (const version of staged) await this.#swapIn(version);
  }

  lease(): ModelLease {
    const leased = new Map(this.#serving);
    for (const entry of leased.values()) entry.leases++;
    let released = false;
    return {
      get: (model) => leased.get(model),
      release: () => {
        if (released) return;
        released = true;
        for (const entry of leased.values()) {
          entry.leases--;
          this.#releaseIfIdle(entry);
        }
      },
    };
  }

  servedVersions(): Record<string, number> {
    return Object.fromEntries([...this.#serving].map(([model, entry]) => [model, entry.version]));
  }

  async releaseAll(): Promise<void> {
    const entries = [...this.#serving.values()];
    this.#serving.clear();
    await Promise.all(entries.map((entry) => entry.scorer.release()));
  }

  async #swapIn(version: ModelVersion): Promise<ApplyOutcome> {
    let scorer: ScoringModel;
    try {
      scorer = await this.#load(version);
    } catch (error) {
      this.#onLoadFailure(version, error);
      return 'load-failed';
    }
    const listed = versionClasses(version);
    if (scorer.classes.join('\n') !== listed.join('\n')) {
      await scorer.release();
      this.#onLoadFailure(
        version,
        new Error(
          `the model scores classes ${scorer.classes.join(', ')}, the version lists ${listed.join(', ')}`,
        ),
      );
      return 'load-failed';
    }
    // A newer version may have been swapped in while this one loaded.
    const current = this.#serving.get(version.model);
    if (current && current.version >= version.version) {
      await scorer.release();
      return 'not-newer';
    }
    this.#serving.set(version.model, {
      model: version.model,
      version: version.version,
      scorer,
      threshold: version.threshold,
      leases: 0,
      retired: false,
    });
    if (current) {
      current.retired = true;
      this.#releaseIfIdle(current);
    }
    return 'served';
  }

  #releaseIfIdle(entry: Entry): void {
    if (entry.retired && entry.leases === 0) void entry.scorer.release();
  }
}
