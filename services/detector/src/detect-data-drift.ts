import type { InputRecord, RecordBatch } from '@driftwatch/bus';
import { decodeFeatureSketch, DecodeError, type FeatureSketch } from '@driftwatch/topics';

import { DataMonitor } from './data-monitor.js';
import type { BatchDependencies } from './detector-dependencies.js';
import type { DetectorOutput } from './detector-output.js';
import { DataState } from './model-states.js';
import { servedVersion } from './served-version.js';
import { alarmSettingsOf } from './alarm-settings-of.js';
import { storedAlarmCalibration } from './stored-alarm-calibration.js';
import { policyOf, writePolicySnapshots, writeSnapshots } from './write-snapshots.js';

/**
 * Inference's feature sketches (keyed by model): data drift per model version — PSI per feature
 * and on the score, KS, estimated performance — against the version's reference profile, one
 * sketch row at a time, so windows are counted in predictions exactly as if each were read.
 */
export async function detectDataDrift(
  deps: BatchDependencies,
  batch: RecordBatch,
  output: DetectorOutput,
): Promise<void> {
  const touched = new Map<string, InputRecord>();
  const policiesTouched = new Set<string>();
  const { now } = output;
  const isAnswered = (requestId: string): boolean => deps.registry.hasAnswered(requestId);
  for (const record of batch.records) {
    let sketch: FeatureSketch;
    try {
      sketch = decodeFeatureSketch(record.value);
    } catch (error) {
      if (!(error instanceof DecodeError)) throw error;
      await output.deadLetter(record, error);
      continue;
    }
    const { model, modelVersion } = sketch;
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
      const settings = alarmSettingsOf(deps.options);
      const calibration =
        stored?.data ?? (settings && (await deps.calibrator.data(version.reference, settings)));
      if (settings) {
        deps.diagnostics.alarmsCalibrated(model, 'data', stored ? 'version' : 'detector');
      }
      state = new DataState(
        modelVersion,
        new DataMonitor(version.reference, {
          ...deps.options.data,
          ...(calibration ? { calibration } : {}),
        }),
      );
      deps.data.set(model, state);
    }
    // One row object, refilled: the monitor reads a row's values and keeps none of them.
    const columns = [...sketch.features];
    const values: Record<string, number> = {};
    const probabilities = sketch.classProbabilities.map(() => Number.NaN);
    for (let row = 0; row < sketch.rows; row++) {
      const ts = sketch.timestamps[row] ?? 0;
      for (const [name, column] of columns) values[name] = column[row] ?? Number.NaN;
      sketch.classProbabilities.forEach(
        (column, k) => (probabilities[k] = column[row] ?? Number.NaN),
      );
      for (const signal of state.monitor.observe({
        features: values,
        score: sketch.scores[row] ?? 0,
        probabilities,
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
      state.monitor.multivariate()?.reconstructionError,
    );
  });
  writePolicySnapshots(deps.policies, policiesTouched, output);
}
