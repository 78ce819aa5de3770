import {
  StreamingCbpe,
  StreamingMulticlassCbpe,
  WindowedClassificationMetrics,
  WindowedMulticlassMetrics,
  type WindowedClassificationMetricsState,
  type WindowedMulticlassMetricsState,
} from '@driftwatch/drift';

import type { ConceptStateJson, DataStateJson } from './model-states.js';
import { parseStateKey } from './state-key.js';
import type { StateSnapshot } from './state-store.js';

/**
 * One model's accuracy as the detector last committed it, with labels and without, and how many
 * predictions of the version last served it has seen.
 */
export interface ModelPerformance {
  model: string;
  /** Accuracy over the labeled window of the version the labels were last for. */
  realized: { version: number; accuracy: number; labeled: number } | null;
  /** CBPE's estimate over the last predictions of the version last served (calibrated). */
  estimated: { version: number; accuracy: number; predictions: number } | null;
  /**
   * The predictions of the version last served the data monitor counted since that version took
   * over (all of them, not the window's), or since detector options that start the monitor afresh
   * last changed: what the version's edge cases are a share of.
   */
  observed: { version: number; predictions: number } | null;
}

/**
 * What `driftwatch status` shows of each model's performance, read from the detector's state
 * changelog (`key`/`value` records, oldest first; the last snapshot of a key wins), so it needs
 * no detector to be running. A snapshot this release cannot read is left out, not thrown.
 */
export function performanceFromChangelog(
  records: readonly { key: Buffer | null; value: Buffer | null }[],
): ModelPerformance[] {
  const latest = new Map<string, Buffer | null>();
  for (const record of records) latest.set(record.key?.toString() ?? '', record.value);
  const byModel = new Map<string, ModelPerformance>();
  const of = (model: string): ModelPerformance => {
    const known = byModel.get(model) ?? { model, realized: null, estimated: null, observed: null };
    byModel.set(model, known);
    return known;
  };
  for (const [text, value] of latest) {
    const key = parseStateKey(text);
    if (!key || !value || key.stream === 'policy') continue;
    try {
      const snapshot = JSON.parse(value.toString('utf8')) as StateSnapshot<unknown>;
      if (key.stream === 'concept') {
        const { version, monitor } = snapshot.state as ConceptStateJson;
        const metrics = windowMetrics(monitor.metrics);
        if (metrics.count > 0) {
          of(key.model).realized = { version, accuracy: metrics.accuracy, labeled: metrics.count };
        }
      } else {
        const { version, monitor } = snapshot.state as DataStateJson;
        // Checked rather than trusted, like the rest: without it the model shows no edge cases.
        if (typeof monitor.observed === 'number' && monitor.observed > 0) {
          of(key.model).observed = { version, predictions: monitor.observed };
        }
        if (!monitor.estimate) continue;
        const state = monitor.estimate.cbpe;
        const cbpe =
          'predictions' in state
            ? StreamingMulticlassCbpe.fromJSON(state)
            : StreamingCbpe.fromJSON(state);
        if (cbpe.count > 0) {
          of(key.model).estimated = { version, accuracy: cbpe.accuracy, predictions: cbpe.count };
        }
      }
    } catch {
      // Written by another release, or torn: status shows what it can read.
    }
  }
  return [...byModel.values()].sort((a, b) => a.model.localeCompare(b.model));
}

function windowMetrics(
  state: WindowedClassificationMetricsState | WindowedMulticlassMetricsState,
): WindowedClassificationMetrics | WindowedMulticlassMetrics {
  return 'classCount' in state
    ? WindowedMulticlassMetrics.fromJSON(state)
    : WindowedClassificationMetrics.fromJSON(state);
}
