import {
  DriftError,
  EdgeCaseFinder,
  ReferenceClusters,
  type EdgeCaseFinderOptions,
} from '@driftwatch/drift';
import { versionClasses, versionEmbeddingLength, type ModelVersion } from '@driftwatch/topics';

import { trafficBucket } from './traffic-bucket.js';

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
  /**
   * Judges which events fall where the version's reference was sparse, reading `features` of each
   * in order; null for a version without a multivariate reference, or with edge cases off.
   */
  readonly edgeCases: { finder: EdgeCaseFinder; features: readonly string[] } | null;
  /** Values of the `embedding` every event must carry for this version; 0: none. */
  readonly embeddingLength: number;
  /**
   * The columns of its feature sketches: the model's inputs, then any the multivariate reference
   * watches beside them (an embedding the model does not take), so the detector can judge both.
   */
  readonly sketchFeatures: readonly string[];
}

/** The models one batch scores with; held for the whole batch so a swap cannot pull them away. */
export interface ModelLease {
  /** The serving version of `model`. */
  get(model: string): ServedModel | undefined;
  /**
   * The version that scores this event of `model`: the candidate of an A/B split when the event's
   * `trafficBucket` is below its share, else the serving one.
   */
  route(model: string, eventId: string): ServedModel | undefined;
  /** The model's shadows on trial, oldest first: they score every event, and serve none. */
  shadows(model: string): readonly ServedModel[];
  release(): void;
}

export interface ServingModelsOptions {
  /** How each version's edge cases are found (`EdgeCaseFinder`); false: not at all. */
  edgeCases?: EdgeCaseFinderOptions | false;
  /** A version's clusters could not be revived: it serves without edge cases, and this says why. */
  onEdgeCasesOff?: (version: ModelVersion, error: DriftError) => void;
}

/**
 * `served`: now serving; `split`: now the candidate of an A/B split (or its share changed);
 * `split-ended`: the candidate left its split (rejected, or its share withdrawn).
 */
export type ApplyOutcome =
  | 'served'
  | 'split'
  | 'split-ended'
  | 'shadowing'
  | 'shadow-ended'
  | 'staged'
  | 'not-promoted'
  | 'not-newer'
  | 'load-failed';

/** A candidate in an A/B split: its loaded model and the share of events it scores. */
interface Arm {
  entry: Entry;
  traffic: number;
}

interface Entry extends ServedModel {
  leases: number;
  retired: boolean;
}

/**
 * The latest promoted version of each model, hot-swappable. A newly promoted version replaces
 * the old one between batches: a batch leases the map at its start, scores everything with those
 * versions, and the old session is released only when its last lease is returned. Versions only
 * move forward, so a replayed or late record can never roll a model back.
 *
 * Beside it, at most one candidate per model in an A/B split (`traffic` set on its record, by
 * `driftwatch promote … --traffic`): newer than the serving version, it scores that share of the
 * events, chosen by a hash of their ids. Promoting it (or anything newer) ends the split, as do
 * rejecting it or withdrawing its share. Never a candidate without a share.
 *
 * And any number of shadows per model (status `shadow`), newer than the serving version: each
 * scores every event beside it, for the detector to compare on live labels; none serves. A
 * shadow's own promotion serves it (already loaded); its retirement (`rejected`), or the promotion
 * of anything at least as new, ends its trial.
 */
export class ServingModels {
  readonly #load: ModelLoader;
  readonly #onLoadFailure: (version: ModelVersion, error: unknown) => void;
  readonly #edgeCaseOptions: EdgeCaseFinderOptions | false;
  readonly #onEdgeCasesOff: (version: ModelVersion, error: DriftError) => void;
  readonly #serving = new Map<string, Entry>();
  readonly #arms = new Map<string, Arm>();
  /** model → version → a shadow on trial. */
  readonly #shadows = new Map<string, Map<number, Entry>>();
  /** While catching up on the topic, only the newest promoted version per model is kept… */
  readonly #staged = new Map<string, ModelVersion>();
  /** …and the last record of each model's split candidate. */
  readonly #stagedArms = new Map<string, ModelVersion>();
  /** …and each model's shadows still on trial (model → version → record). */
  readonly #stagedShadows = new Map<string, Map<number, ModelVersion>>();
  #live = false;

  constructor(
    load: ModelLoader,
    onLoadFailure: (version: ModelVersion, error: unknown) => void,
    options: ServingModelsOptions = {},
  ) {
    this.#load = load;
    this.#onLoadFailure = onLoadFailure;
    this.#edgeCaseOptions = options.edgeCases ?? {};
    this.#onEdgeCasesOff = options.onEdgeCasesOff ?? (() => undefined);
  }

  async apply(version: ModelVersion): Promise<ApplyOutcome> {
    if (version.status === 'shadow') return this.#applyShadow(version);
    if (version.status === 'rejected' && this.#endShadow(version)) return 'shadow-ended';
    if (version.status === 'candidate' || version.status === 'rejected') {
      return this.#applySplit(version);
    }
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
    const stagedArms = [...this.#stagedArms.values()];
    const stagedShadows = [...this.#stagedShadows.values()].flatMap((byVersion) => [
      ...byVersion.values(),
    ]);
    this.#staged.clear();
    this.#stagedArms.clear();
    this.#stagedShadows.clear();
    for (const version of staged) await this.#swapIn(version);
    for (const version of stagedArms) await this.#applySplit(version);
    for (const version of stagedShadows) await this.#applyShadow(version);
  }

  lease(): ModelLease {
    const leased = new Map(this.#serving);
    const arms = new Map(this.#arms);
    const shadows = new Map(
      [...this.#shadows].map(([model, byVersion]) => [
        model,
        [...byVersion.values()].sort((a, b) => a.version - b.version),
      ]),
    );
    const entries = [
      ...leased.values(),
      ...[...arms.values()].map((arm) => arm.entry),
      ...[...shadows.values()].flat(),
    ];
    for (const entry of entries) entry.leases++;
    let released = false;
    return {
      get: (model) => leased.get(model),
      route: (model, eventId) => {
        const arm = arms.get(model);
        return arm && trafficBucket(eventId) < arm.traffic ? arm.entry : leased.get(model);
      },
      shadows: (model) => shadows.get(model) ?? [],
      release: () => {
        if (released) return;
        released = true;
        for (const entry of entries) {
          entry.leases--;
          this.#releaseIfIdle(entry);
        }
      },
    };
  }

  servedVersions(): Record<string, number> {
    return Object.fromEntries([...this.#serving].map(([model, entry]) => [model, entry.version]));
  }

  /** Each model's A/B candidate and its share, where one is splitting. */
  splitVersions(): Record<string, { version: number; traffic: number }> {
    return Object.fromEntries(
      [...this.#arms].map(([model, arm]) => [
        model,
        { version: arm.entry.version, traffic: arm.traffic },
      ]),
    );
  }

  /** Each model's shadows on trial, oldest first. */
  shadowVersions(): Record<string, number[]> {
    return Object.fromEntries(
      [...this.#shadows].map(([model, byVersion]) => [
        model,
        [...byVersion.keys()].sort((a, b) => a - b),
      ]),
    );
  }

  async releaseAll(): Promise<void> {
    const entries = [
      ...this.#serving.values(),
      ...[...this.#arms.values()].map((a) => a.entry),
      ...[...this.#shadows.values()].flatMap((byVersion) => [...byVersion.values()]),
    ];
    this.#serving.clear();
    this.#arms.clear();
    this.#shadows.clear();
    await Promise.all(entries.map((entry) => entry.scorer.release()));
  }

  async #swapIn(version: ModelVersion): Promise<ApplyOutcome> {
    // The split's candidate or a shadow promoted: it is loaded already.
    const arm = this.#arms.get(version.model);
    const reused =
      (arm?.entry.version === version.version ? arm.entry : undefined) ??
      this.#shadows.get(version.model)?.get(version.version);
    const entry = reused ?? (await this.#loadEntry(version));
    if (!entry) return 'load-failed';
    // A newer version may have been swapped in while this one loaded.
    const current = this.#serving.get(version.model);
    if (current && current.version >= version.version) {
      if (!reused) await entry.scorer.release();
      return 'not-newer';
    }
    this.#serving.set(version.model, entry);
    if (current) this.#retire(current);
    // Promoted, or overtaken by a newer promotion: the split is over.
    const split = this.#arms.get(version.model);
    if (split && split.entry.version <= version.version) {
      this.#arms.delete(version.model);
      if (split.entry !== entry) this.#retire(split.entry);
    }
    // Shadows no newer than what now serves have nothing left to be compared with.
    const shadows = this.#shadows.get(version.model);
    for (const [number, shadow] of shadows ?? []) {
      if (number > version.version) continue;
      shadows?.delete(number);
      if (shadow !== entry) this.#retire(shadow);
    }
    return 'served';
  }

  /** A shadow's record: start its trial (loading its model) when it is newer than what serves. */
  async #applyShadow(version: ModelVersion): Promise<ApplyOutcome> {
    const { model } = version;
    if (!this.#live) {
      const staged = this.#stagedShadows.get(model) ?? new Map<number, ModelVersion>();
      staged.set(version.version, version);
      this.#stagedShadows.set(model, staged);
      return 'staged';
    }
    const serving = this.#serving.get(model);
    if (version.version <= (serving?.version ?? 0)) return 'not-newer';
    const shadows = this.#shadows.get(model) ?? new Map<number, Entry>();
    if (shadows.has(version.version)) return 'shadowing';
    // Its predictions ride on the serving version's, as indexes into the serving version's
    // classes: a shadow scoring other classes could not be compared event by event.
    if (serving && serving.scorer.classes.join('\n') !== versionClasses(version).join('\n')) {
      this.#onLoadFailure(
        version,
        new Error(
          `a shadow must score the serving v${serving.version}'s classes ${serving.scorer.classes.join(', ')}, it lists ${versionClasses(version).join(', ')}`,
        ),
      );
      return 'load-failed';
    }
    const entry = await this.#loadEntry(version);
    if (!entry) return 'load-failed';
    // A promotion may have overtaken it while it loaded.
    if (version.version <= (this.#serving.get(model)?.version ?? 0)) {
      await entry.scorer.release();
      return 'not-newer';
    }
    shadows.set(version.version, entry);
    this.#shadows.set(model, shadows);
    return 'shadowing';
  }

  /** A retired shadow (`rejected`) leaves its trial; false when it was not on one. */
  #endShadow(version: ModelVersion): boolean {
    this.#stagedShadows.get(version.model)?.delete(version.version);
    const shadows = this.#shadows.get(version.model);
    const entry = shadows?.get(version.version);
    if (!entry) return false;
    shadows?.delete(version.version);
    this.#retire(entry);
    return true;
  }

  /** A candidate's record (or a rejection): start, change or end the model's A/B split. */
  async #applySplit(version: ModelVersion): Promise<ApplyOutcome> {
    const { model } = version;
    const splitting = version.status === 'candidate' && version.traffic !== null;
    if (!this.#live) {
      if (splitting) this.#stagedArms.set(model, version);
      else if (this.#stagedArms.get(model)?.version === version.version) {
        this.#stagedArms.delete(model);
      }
      return splitting ? 'staged' : 'not-promoted';
    }
    const current = this.#arms.get(model);
    if (!splitting || version.traffic === null) {
      if (current?.entry.version !== version.version) return 'not-promoted';
      this.#arms.delete(model);
      this.#retire(current.entry);
      return 'split-ended';
    }
    if (version.version <= (this.#serving.get(model)?.version ?? 0)) return 'not-newer';
    if (current?.entry.version === version.version) {
      this.#arms.set(model, { entry: current.entry, traffic: version.traffic });
      return 'split';
    }
    const entry = await this.#loadEntry(version);
    if (!entry) return 'load-failed';
    this.#arms.set(model, { entry, traffic: version.traffic });
    if (current) this.#retire(current.entry);
    return 'split';
  }

  /** The version's model loaded and checked against its classes, or undefined (reported). */
  async #loadEntry(version: ModelVersion): Promise<Entry | undefined> {
    let scorer: ScoringModel;
    try {
      scorer = await this.#load(version);
    } catch (error) {
      this.#onLoadFailure(version, error);
      return undefined;
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
      return undefined;
    }
    return {
      model: version.model,
      version: version.version,
      scorer,
      threshold: version.threshold,
      edgeCases: this.#edgeCaseFinder(version),
      embeddingLength: versionEmbeddingLength(version),
      sketchFeatures: [
        ...new Set([...scorer.featureNames, ...(version.reference.multivariate?.features ?? [])]),
      ],
      leases: 0,
      retired: false,
    };
  }

  /**
   * A fresh finder per loaded version: its sliding cluster shares are of the traffic this instance
   * scores with that version (with several instances, each judges growth on its own partitions).
   */
  #edgeCaseFinder(version: ModelVersion): ServedModel['edgeCases'] {
    const multivariate = version.reference.multivariate;
    if (!multivariate || this.#edgeCaseOptions === false) return null;
    try {
      return {
        finder: new EdgeCaseFinder(ReferenceClusters.fromJSON(multivariate.clusters), {
          ...this.#edgeCaseOptions,
          // Versions written before held-out scales use their quantiles as they are.
          distanceScale:
            multivariate.distanceScales?.[this.#edgeCaseOptions.distanceQuantile ?? 'p99'] ?? 1,
        }),
        features: multivariate.features,
      };
    } catch (error) {
      // Clusters the schema let through but the drift package cannot revive (a centroid row too
      // short): the version still serves, without edge cases, and says why.
      if (!(error instanceof DriftError)) throw error;
      this.#onEdgeCasesOff(version, error);
      return null;
    }
  }

  #retire(entry: Entry): void {
    entry.retired = true;
    this.#releaseIfIdle(entry);
  }

  #releaseIfIdle(entry: Entry): void {
    if (entry.retired && entry.leases === 0) void entry.scorer.release();
  }
}
