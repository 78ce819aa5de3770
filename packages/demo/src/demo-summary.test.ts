import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { DriftAlert, ModelVersion, RetrainRequest } from '@driftwatch/topics';

import { summarizeDemo, type LabeledOutcome, type SummaryInput } from './demo-summary.js';

const topic = 'demo.predictions-labeled';

/** 2000 events; v1 serves until 1400, v2 after; everything from 1000 to 1999 is written in one ms. */
function labeled(): LabeledOutcome[] {
  return Array.from({ length: 2000 }, (_, index) => ({
    index,
    modelVersion: index < 1400 ? 1 : 2,
    correct: index < 1000 ? index % 10 !== 0 : index < 1400 ? index % 4 !== 0 : index % 10 !== 0,
    writtenAt: index < 1000 ? 10_000 + index : 20_000,
    evidence: { topic, partition: 0, offset: String(index) },
  }));
}

function alertAt(index: number, writtenAt: number, detector = 'adwin'): DriftAlert {
  return {
    alertId: `${detector}-${index}`,
    expectedRunLength: null,
    model: 'sea',
    modelVersion: 1,
    kind: 'concept',
    detector,
    feature: null,
    statistic: 0.25,
    threshold: 0.1,
    windowStart: 0,
    windowEnd: writtenAt,
    observedAt: 0,
    severity: 'warning',
    evidence: { topic, partition: 0, offset: String(index) },
    summary: '',
  };
}

const version = (v: number, status: 'promoted' | 'rejected', requestId: string | null) =>
  ({
    model: 'sea',
    version: v,
    parentVersion: v - 1 || null,
    status,
    requestId,
    reason: 'r',
    trainingWindow: { fromTs: 0, toTs: 0, trainRows: 10, holdoutRows: 2 },
    reference: { features: [], score: null, classProbabilities: [], cbpe: null },
  }) as unknown as ModelVersion;

const request = (requestId: string, alertId: string): RetrainRequest => ({
  requestId,
  model: 'sea',
  reason: 'drift',
  alertId,
  fromTs: 0,
  toTs: 0,
  requestedAt: 0,
});

function input(
  alerts: DriftAlert[],
  requests: RetrainRequest[],
  versions: ModelVersion[],
): SummaryInput {
  return {
    dataset: 'sea',
    model: 'sea',
    events: 2000,
    knownDrifts: [1000],
    segmentLength: 1000,
    labeled: labeled(),
    staticCorrect: (index) => index < 1000 && index % 10 !== 0,
    alerts,
    requests,
    versions,
  };
}

describe('summarizeDemo', () => {
  it('places an alert on the record that completed its evidence, even among records written in the same millisecond', () => {
    const summary = summarizeDemo(
      input([alertAt(1123, 20_000)], [], [version(1, 'promoted', null)]),
    );
    assert.equal(summary.drifts[0]?.detectedAt, 1123);
    assert.equal(summary.drifts[0].delay, 123);
  });

  it('credits a drift with the first version promoted for any of its alerts', () => {
    const adwin = alertAt(1100, 20_000);
    const block = alertAt(1150, 20_000, 'block-accuracy');
    const summary = summarizeDemo(
      input(
        [adwin, block],
        [request('r-block', block.alertId)],
        [version(1, 'promoted', null), version(2, 'promoted', 'r-block')],
      ),
    );
    const [drift] = summary.drifts;
    assert.equal(drift?.detector, 'adwin');
    assert.equal(drift.promotedVersion, 2);
    assert.equal(drift.servingFrom, 1400);
    // Written before incidents, each alert counts as one; sharing an id, two are one.
    assert.deepEqual(summary.alerts, {
      total: 2,
      incidents: 2,
      byDetector: { adwin: 1, 'block-accuracy': 1 },
    });
    const grouped = summarizeDemo(
      input([adwin, { ...block, incidentId: adwin.alertId }], [], [version(1, 'promoted', null)]),
    );
    assert.equal(grouped.alerts.incidents, 1);
  });

  it('reports segments per serving version next to the never-retrained model, and the totals', () => {
    const summary = summarizeDemo(
      input([], [], [version(1, 'promoted', null), version(2, 'rejected', 'x')]),
    );
    assert.deepEqual(
      summary.segments.map((s) => [
        s.fromEvent,
        s.toEvent,
        s.versions.map((v) => [v.version, v.predictions]),
      ]),
      [
        [0, 1000, [[1, 1000]]],
        [
          1000,
          2000,
          [
            [1, 400],
            [2, 600],
          ],
        ],
      ],
    );
    assert.equal(summary.segments[1]?.versions[0]?.accuracy, 0.75);
    assert.equal(summary.segments[1].versions[1]?.accuracy, 0.9);
    assert.equal(summary.segments[1].staticAccuracy, 0);
    assert.equal(summary.drifts[0]?.detectedAt, null);
    assert.deepEqual(summary.retrains, { requested: 0, promoted: 0, rejected: 1, byReason: {} });
    assert.equal(summary.accuracy.static, 0.45);
    assert.equal(summary.segments[1].versions[1].estimatedAccuracy, null, 'no calibration');
  });

  it("estimates each version's accuracy in a segment from its scores, with its calibration", () => {
    const calibrated = version(2, 'promoted', 'x');
    calibrated.reference.cbpe = {
      threshold: 0.5,
      calibrator: null,
      platt: null,
      calibrationErrorBefore: 0,
      calibrationErrorAfter: 0,
      expectedAccuracy: 0.9,
    };
    const base = input([], [], [version(1, 'promoted', null), calibrated]);
    // v2's scores say "right with probability 0.9" on 400 of its 600 predictions, 0.6 on the rest.
    const scored = base.labeled.map((o, i) => ({ ...o, score: i % 3 === 0 ? 0.6 : 0.9 }));
    const summary = summarizeDemo({ ...base, labeled: scored });
    const v2 = summary.segments[1]?.versions.find((v) => v.version === 2);
    assert.ok(Math.abs((v2?.estimatedAccuracy ?? 0) - (400 * 0.9 + 200 * 0.6) / 600) < 1e-12);
    assert.equal(summary.segments[0]?.versions[0]?.estimatedAccuracy, null);
  });
  it('starts the segments at the first event replayed, for a stream replayed after its reference rows', () => {
    const base = input([], [], [version(1, 'promoted', null)]);
    // The same 2000 events, numbered 500 … 2499 (a file's rows after 500 reference rows).
    const shifted = base.labeled.map((o) => ({ ...o, index: o.index + 500 }));
    const known = summarizeDemo({
      ...base,
      labeled: shifted,
      firstEvent: 500,
      knownDrifts: [1500],
    });
    assert.deepEqual(
      known.segments.map((s) => [s.fromEvent, s.toEvent, s.labeled]),
      [
        [500, 1500, 1000],
        [1500, 2500, 1000],
      ],
    );
    const unknown = summarizeDemo({ ...base, labeled: shifted, firstEvent: 500, knownDrifts: [] });
    assert.deepEqual(
      unknown.segments.map((s) => [s.fromEvent, s.toEvent, s.labeled]),
      [
        [500, 1500, 1000],
        [1500, 2500, 1000],
      ],
    );
  });
});
