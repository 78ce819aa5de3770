import type { ModelVersion } from '@driftwatch/topics';

import type { MlflowClient, MlflowRun } from './mlflow-client.js';
import { versionRun } from './version-run.js';

/** What one `track` call did, for logs and counters. */
export interface TrackOutcome {
  /** Versions logged as new runs. */
  logged: number[];
  /** Versions whose run got their new status (a candidate decided). */
  restated: number[];
  /** The driftwatch version the `champion` alias now names, when it moved. */
  champion: number | null;
}

/** Set last on a run, once everything else is logged: a run without it was cut short. */
const COMPLETE_TAG = 'driftwatch_complete';

/**
 * Logs a model's versions to MLflow, idempotently, so it can run after every change and after
 * every outage until it succeeds: experiment `driftwatch/<model>`; one run per version, found again
 * by its `driftwatch_version` tag, nested under its parent version's run (`mlflow.parentRunId`), so
 * base and retrained models read as parent and child; its params, metrics and note from
 * `versionRun`; its ONNX bytes as the artifact `model.onnx`. Every promoted version is a version
 * of the registered model `<model>`, and the alias `champion` names the serving one.
 *
 * A run cut short (by an outage between its calls) lacks its completion tag and is deleted and
 * logged again. Nothing here decides anything about the model: MLflow mirrors model-versions.
 *
 * The version's key in MLflow is a tag, not a lock. Two trackers racing on the same version
 * (several trainer instances each run a sync; `models register` logs beside them) can each log a
 * run for it, or delete the other's run in progress, which the next sync logs again.
 */
export class MlflowTracker {
  readonly #client: MlflowClient;

  constructor(client: MlflowClient) {
    this.#client = client;
  }

  /** Brings MLflow up to date with `versions`: every version of one model, in any order. */
  async track(versions: readonly ModelVersion[]): Promise<TrackOutcome> {
    const outcome: TrackOutcome = { logged: [], restated: [], champion: null };
    const first = versions[0];
    if (!first) return outcome;
    const model = first.model;
    const experimentId = await this.#client.experimentId(`driftwatch/${model}`);
    const runs = new Map<number, MlflowRun>();
    for (const run of await this.#client.searchRuns(
      experimentId,
      `tags.driftwatch_model = '${model.replace(/'/g, "\\'")}'`,
    )) {
      if (run.tags[COMPLETE_TAG] !== 'true') {
        await this.#client.deleteRun(run.runId);
        continue;
      }
      runs.set(Number(run.tags['driftwatch_version']), run);
    }
    const ordered = [...versions].sort((a, b) => a.version - b.version);
    for (const version of ordered) {
      const known = runs.get(version.version);
      if (known) {
        if (known.tags['driftwatch_status'] !== version.status) {
          const { tags } = versionRun(version);
          for (const key of ['driftwatch_status', 'driftwatch_decided_by', 'mlflow.note.content']) {
            const value = tags[key];
            if (value !== undefined) await this.#client.setTag(known.runId, key, value);
          }
          runs.set(version.version, { ...known, tags: { ...known.tags, ...tags } });
          outcome.restated.push(version.version);
        }
        continue;
      }
      runs.set(version.version, await this.#log(experimentId, version, runs));
      outcome.logged.push(version.version);
    }
    let serving: ModelVersion | undefined;
    for (const version of ordered) {
      if (version.status !== 'promoted') continue;
      serving = version;
      const run = runs.get(version.version);
      if (!run) continue;
      await this.#client.ensureRegisteredModel(model);
      await this.#client.modelVersionOfRun(model, run);
    }
    const servingRun = serving ? runs.get(serving.version) : undefined;
    if (serving && servingRun) {
      const registered = await this.#client.modelVersionOfRun(model, servingRun);
      if ((await this.#client.aliasVersion(model, 'champion')) !== registered) {
        await this.#client.setAlias(model, 'champion', registered);
        outcome.champion = serving.version;
      }
    }
    return outcome;
  }

  async #log(
    experimentId: string,
    version: ModelVersion,
    runs: ReadonlyMap<number, MlflowRun>,
  ): Promise<MlflowRun> {
    const { runName, tags, params, metrics } = versionRun(version);
    const parent = version.parentVersion === null ? undefined : runs.get(version.parentVersion);
    const run = await this.#client.createRun({
      experimentId,
      runName,
      startTime: version.createdAt,
      tags: { ...tags, ...(parent ? { 'mlflow.parentRunId': parent.runId } : {}) },
    });
    await this.#client.logBatch(run.runId, { params, metrics, timestamp: version.createdAt });
    if (version.onnx.byteLength > 0) {
      await this.#client.uploadArtifact(run, 'model.onnx', version.onnx);
    }
    await this.#client.finishRun(run.runId, version.createdAt);
    await this.#client.setTag(run.runId, COMPLETE_TAG, 'true');
    return { ...run, tags: { ...run.tags, ...tags, [COMPLETE_TAG]: 'true' } };
  }
}
