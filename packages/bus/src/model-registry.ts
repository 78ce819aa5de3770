import type { ModelVersion } from '@driftwatch/topics';

/**
 * Every version of every model, as read from the compacted `model-versions` topic: promoted,
 * rejected and candidates, with lineage. Pure state; `followModelRegistry` keeps one current from Kafka.
 */
export class ModelRegistry {
  readonly #byModel = new Map<string, Map<number, ModelVersion>>();
  readonly #requestsAnswered = new Set<string>();

  /**
   * Records a version; returns whether it is news: a `<model>/<version>` not known before, or a
   * known one whose status or A/B share changed (a person decided a candidate, or split traffic
   * with it). A record read again, as on a restart's catch-up, is not.
   */
  apply(version: ModelVersion): boolean {
    let versions = this.#byModel.get(version.model);
    if (!versions) {
      versions = new Map();
      this.#byModel.set(version.model, versions);
    }
    if (version.requestId !== null) this.#requestsAnswered.add(version.requestId);
    const known = versions.get(version.version);
    versions.set(version.version, version);
    return known?.status !== version.status || known.traffic !== version.traffic;
  }

  get(model: string, version: number): ModelVersion | undefined {
    return this.#byModel.get(model)?.get(version);
  }

  /** Oldest first. */
  versions(model: string): ModelVersion[] {
    return [...(this.#byModel.get(model)?.values() ?? [])].sort((a, b) => a.version - b.version);
  }

  models(): string[] {
    return [...this.#byModel.keys()].sort();
  }

  /** The version that serves: the highest promoted one. */
  latestPromoted(model: string): ModelVersion | undefined {
    let latest: ModelVersion | undefined;
    for (const version of this.#byModel.get(model)?.values() ?? []) {
      if (version.status === 'promoted' && version.version > (latest?.version ?? 0))
        latest = version;
    }
    return latest;
  }

  /** The highest version number used so far, promoted or not (0 when there is none). */
  highestVersionNumber(model: string): number {
    let highest = 0;
    for (const version of this.#byModel.get(model)?.keys() ?? [])
      highest = Math.max(highest, version);
    return highest;
  }

  /** Whether some version (promoted, rejected or a candidate) was trained for this retrain request. */
  hasAnswered(requestId: string): boolean {
    return this.#requestsAnswered.has(requestId);
  }
}
