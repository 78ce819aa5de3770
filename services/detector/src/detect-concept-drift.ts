import type { InputRecord, RecordBatch } from '@driftwatch/bus';
import {
  classProbabilities,
  DecodeError,
  predictionClasses,
  type ConceptCalibration,
  type LabeledPrediction,
} from '@driftwatch/topics';

import { alarmSettingsOf } from './alarm-settings-of.js';
import { ConceptMonitor } from './concept-monitor.js';
import type { BatchDependencies } from './detector-dependencies.js';
import type { DetectorOutput } from './detector-output.js';
import { ConceptState } from './model-states.js';
import { judgeShadows, retireOvertakenShadows } from './judge-shadows.js';
import { isCandidate, servedVersion } from './served-version.js';
import { storedAlarmCalibration } from './stored-alarm-calibration.js';
import { policyOf, writePolicySnapshots, writeSnapshots } from './write-snapshots.js';

/**
 * `predictions-labeled` (keyed by model): concept drift per model version — windowed metrics,
 * ADWIN, block accuracy — the retrain policy each labeled prediction ticks, and the trials of the
 * shadows scored beside the serving version.
 */
export async function detectConceptDrift(
  deps: BatchDependencies,
  batch: RecordBatch,
  output: DetectorOutput,
): Promise<void> {
  const touched = new Map<string, InputRecord>();
  const { now } = output;
  const isAnswered = (requestId: string): boolean => deps.registry.hasAnswered(requestId);
  for (const record of batch.records) {
    let labeled: LabeledPrediction;
    try {
      labeled = await deps.codecs.predictionsLabeled.decode(record.value);
    } catch (error) {
      if (!(error instanceof DecodeError)) throw error;
      await output.deadLetter(record, error);
      continue;
    }
    const { model, modelVersion } = labeled;
    deps.diagnostics.liveOutcome(model, modelVersion, labeled.predicted === labeled.label);
    const ts = Number(record.timestamp);
    const at = { partition: record.partition, offset: Number(record.offset) };
    let state = deps.concept.get(model);
    if (state && modelVersion < state.version) {
      // Labels still arriving for a version that no longer serves: not evidence about this one.
      deps.diagnostics.staleVersion(model, 'concept');
      continue;
    }
    if (
      (!state || modelVersion > state.version) &&
      (await isCandidate(deps, model, modelVersion))
    ) {
      deps.diagnostics.candidateRecord(model, 'concept');
      continue;
    }
    const policy = policyOf(deps.policies, model, deps.options.policy);
    if (!state || modelVersion > state.version) {
      policy.startVersion(ts, at);
      if (state) deps.diagnostics.versionRetired(model, state.version);
      const options = deps.options.concept;
      const calibration = options.falseAlarmEvery
        ? await conceptCalibration(deps, model, modelVersion)
        : null;
      state = new ConceptState(
        modelVersion,
        new ConceptMonitor({ ...options, calibration }, undefined, predictionClasses(labeled)),
      );
      deps.concept.set(model, state);
      await retireOvertakenShadows(deps, model, modelVersion, output);
    }
    if (labeled.shadows && labeled.shadows.length > 0) {
      await judgeShadows(deps, state, labeled, output);
    }
    deps.diagnostics.labelDelay(model, labeled.labelDelayMs);
    const signals = state.monitor.observe({
      label: labeled.label,
      predicted: labeled.predicted,
      score: labeled.score,
      probabilities: classProbabilities(labeled),
      ts,
    });
    // This record is the policy's tick before it is evidence: a drift trigger waits for the
    // labeled predictions that come after the alert.
    const outcome = policy.onLabeled(
      {
        ts,
        now,
        windowAccuracy: state.monitor.fullWindowAccuracy,
        windowStart: state.monitor.windowStart,
        at,
        edgeCase: Boolean(labeled.edgeCase),
      },
      isAnswered,
    );
    if (outcome) await output.retrainRequest(model, policy, outcome, record);
    for (const signal of signals) {
      const alert = await output.alert(signal, model, modelVersion, record, (alertId) =>
        policy.incidentOf(alertId, modelVersion, ts, now, isAnswered),
      );
      const incidentId = alert.incidentId ?? undefined;
      const dropped = policy.onConceptAlert(alert.alertId, ts, now, isAnswered, at, incidentId);
      if (dropped) await output.retrainRequest(model, policy, dropped, record);
    }
    touched.set(model, record);
  }
  writeSnapshots('concept', deps.concept, touched, output, (model, state) => {
    deps.diagnostics.conceptMetrics(model, state.version, state.monitor.metrics());
  });
  writePolicySnapshots(deps.policies, touched.keys(), output);
}

/**
 * The version's concept rules on the budget: as the version carries them when they were
 * calibrated under this detector's settings, else calibrated here on its holdout accuracy; null
 * (raw thresholds) for a version the registry does not hold or whose metrics carry no accuracy
 * strictly between 0 and 1.
 */
async function conceptCalibration(
  deps: BatchDependencies,
  model: string,
  modelVersion: number,
): Promise<ConceptCalibration | null> {
  const version = await servedVersion(deps, model, modelVersion);
  if (!version) return null;
  const stored = storedAlarmCalibration(deps.options, version);
  if (stored) {
    deps.diagnostics.alarmsCalibrated(model, 'concept', 'version');
    return stored.concept;
  }
  const settings = alarmSettingsOf(deps.options);
  const calibration = settings && (await deps.calibrator.concept(version, settings));
  if (calibration) deps.diagnostics.alarmsCalibrated(model, 'concept', 'detector');
  return calibration;
}
