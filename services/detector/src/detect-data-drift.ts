import type { InputRecord, RecordBatch } from '@driftwatch/bus';
import { DecodeError, validate } from '@driftwatch/topics';

import { DataMonitor } from './data-monitor.js';
import type { DetectorDependencies } from './detector-dependencies.js';
import type { DetectorOutput } from './detector-output.js';
import { featureBatchSchema, type FeatureBatch } from './internal-topics.js';
import { DataState } from './model-states.js';
import { servedVersion } from './served-version.js';
import { storedAlarmCalibration } from './stored-alarm-calibration.js';
import { policyOf, writePolicySnapshots, writeSnapshots } from './write-snapshots.js';

/**
 * The features repartition topic (keyed by model): data drift per model version — PSI per
 * feature and on the score, KS — against the version's reference profile.
 */
export async function detectDataDrift(
  deps: DetectorDependencies,
  batch: RecordBatch,
  output: DetectorOutput,
): Promise<void> {
  const touched = new Map<string, InputRecord>();
  const policiesTouched = new Set<string>();
  const { now } = output;
  const isAnswered = (requestId: string): boolean => deps.registry.hasAnswered(requestId);
  for (const record of batch.records) {
    let features: FeatureBatch;
    try {
      features = validate(featureBatchSchema, JSON.parse(record.value?.toString('utf8') ?? 'null'));
    } catch (error) {
      const decodeError =
        error instanceof DecodeError ? error : new DecodeError('DW_MALFORMED_JSON', String(error));
      await output.deadLetter(record, decodeError);
      continue;
    }
    const { model, modelVersion } = features;
    let state = deps.data.get(model);
    if (state && modelVersion < state.version) {
      deps.diagnostics.staleVersion(model, 'data');
      continue;
    }
    if (!state || modelVersion > state.version) {
      const version = await servedVersion(deps, model, modelVersion);
      if (!version) continue;
      // An A/B candidate's predictions: not the serving version's traffic (see isCandidate).
      if (version.status === 'candidate') {
        deps.diagnostics.candidateRecord(model, 'data');
        continue;
      }
      if (state) deps.diagnostics.versionRetired(model, state.version);
      const stored = storedAlarmCalibration(deps.options, version);
      if ((deps.options.data.falseAlarmEvery ?? 0) > 0) {
        deps.diagnostics.alarmsCalibrated(model, 'data', stored ? 'version' : 'detector');
      }
      state = new DataState(
        modelVersion,
        new DataMonitor(version.reference, {
          ...deps.options.data,
          ...(stored ? { calibration: stored.data } : {}),
        }),
      );
      deps.data.set(model, state);
    }
    for (let row = 0; row < features.timestamps.length; row++) {
      const ts = features.timestamps[row] ?? 0;
      const values: Record<string, number | null> = {};
      for (const [name, column] of Object.entries(features.features))
        values[name] = column[row] ?? null;
      for (const signal of state.monitor.observe({
        features: values,
        score: features.scores[row] ?? 0,
        probabilities: features.classProbabilities.map((column) => column[row] ?? null),
        ts,
      })) {
        const policy = policyOf(deps.policies, model, deps.options.policy);
        policiesTouched.add(model);
        // Several signals of one record differ by detector and feature, rows by their index.
        const alert = await output.alert(
          signal,
          model,
          modelVersion,
          record,
          (alertId) => policy.incidentOf(alertId, modelVersion, ts, now, isAnswered),
          row,
        );
        const outcome = policy.onDataAlert(
          alert.alertId,
          signal.windowStart,
          ts,
          now,
          isAnswered,
          alert.incidentId ?? undefined,
        );
        if (outcome) await output.retrainRequest(model, policy, outcome, record);
      }
    }
    touched.set(model, record);
  }
  writeSnapshots('data', deps.data, touched, output, (model, state) => {
    deps.diagnostics.dataMetrics(
      model,
      state.version,
      state.monitor.psiByFeature(),
      state.monitor.estimate(),
    );
  });
  writePolicySnapshots(deps.policies, policiesTouched, output);
}
