/**
 * Issue "Close the loop": the four services as processes on the real broker and Redis, a stream
 * with known drifts replayed through Kafka with delayed labels — drift alerted, model retrained,
 * promoted, served, accuracy recovered — and the controls that keep that honest.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import {
  orientationFeatureNames,
  orientationGoldenSet,
  orientationStream,
  readElec2,
  seaDemoConcepts,
  seaStream,
  type StreamRow,
} from '@driftwatch/datasets';
import { metricValue, repoRoot, runClosedLoop, type ClosedLoopOptions } from '@driftwatch/demo';

import { kafkaBrokers, redisUrl, testKafka } from '../support/environment.js';

const elec2Path =
  process.env['ELEC2_CSV'] ?? join(repoRoot, '..', 'shared', 'datasets', 'elec2.csv');

/** Detector and trainer tuned for streams of a few thousand events per concept. */
const loopEnv = {
  DETECTOR_WINDOW: '500',
  DETECTOR_ADWIN_COOLDOWN: '1000',
  DETECTOR_BLOCK_SIZE: '500',
  DETECTOR_BLOCK_ACCURACY_THRESHOLD: '0.8',
  RETRAIN_MIN_ROWS: '500',
  TRAINER_MIN_ROWS: '300',
  PROMOTION_MIN_HOLDOUT: '100',
};

function loop(
  overrides: Partial<ClosedLoopOptions> & Pick<ClosedLoopOptions, 'rows' | 'reference'>,
): ClosedLoopOptions {
  return {
    kafka: testKafka(),
    brokers: kafkaBrokers,
    redisUrl,
    model: 'sea',
    streamName: 'sea',
    featureNames: ['x1', 'x2', 'x3'],
    knownDrifts: [],
    // The replay is flow-controlled (runClosedLoop's maxLag): what happens depends on events, not
    // on the rate or the machine; 500 events/s only keeps a busy machine's queues short.
    rate: 500,
    labelDelayMs: 300,
    seed: 1,
    serviceEnv: loopEnv,
    from: 'source',
    logDir: join(repoRoot, '.cache', 'test-logs'),
    keepTopics: false,
    ...overrides,
  };
}

const seaReference = (threshold: number): StreamRow[] => [
  ...seaStream({ seed: 2, length: 2000, concepts: [{ start: 0, threshold }] }),
];

describe('the closed loop on the real broker and Redis', { timeout: 900_000 }, () => {
  it('SEA with three abrupt drifts: each alerted within a bound, answered by a promoted version that beats the old one', async (t) => {
    const length = 24_000;
    const concepts = seaDemoConcepts(length);
    const stream = seaStream({ seed: 1, length, concepts });
    const { summary, detectorMetrics } = await runClosedLoop(
      loop({
        rows: [...stream],
        reference: seaReference(concepts[0]?.threshold ?? 7),
        knownDrifts: stream.drifts,
      }),
    );
    t.diagnostic(
      JSON.stringify({
        drifts: summary.drifts,
        accuracy: summary.accuracy,
        retrains: summary.retrains,
      }),
    );
    assert.equal(summary.drifts.length, 3);
    assert.ok(summary.labeled >= length * 0.99, `labeled ${summary.labeled} of ${length}`);
    for (const [k, drift] of summary.drifts.entries()) {
      assert.ok(drift.delay !== null, `drift ${k} at ${drift.knownAt} was never alerted`);
      // A third of a concept. The later drifts are the slower ones (seen: up to 1,515 events): their
      // detection rests on how long the previous answer had been serving, which load stretches.
      assert.ok(drift.delay <= 2000, `drift ${k} alerted ${drift.delay} events after it began`);
      assert.ok(drift.promotedVersion !== null, `no version promoted in answer to drift ${k}`);
      const segment = summary.segments[k + 1];
      assert.ok(segment);
      const old = segment.versions.find((v) => v.version < (drift.promotedVersion ?? 0));
      const answer = segment.versions.find((v) => v.version === drift.promotedVersion);
      assert.ok(old && answer, `segment ${k + 1} saw ${JSON.stringify(segment.versions)}`);
      assert.ok(
        answer.accuracy > old.accuracy,
        `segment ${k + 1}: v${answer.version} ${answer.accuracy} vs v${old.version} ${old.accuracy}`,
      );
    }
    assert.ok(
      summary.accuracy.adaptive > summary.accuracy.static + 0.05,
      JSON.stringify(summary.accuracy),
    );
    // Without labels: over each stationary stretch — version 1 on the first concept, each answer
    // on the concept it learned — the serving version's estimate from its scores alone is within
    // 0.03 of the accuracy its labels then showed. Calibrated on the holdout alone, version 1's
    // 400 rows here estimated 0.915 against 0.879; out-of-fold scores of its 1,600 training rows
    // beside them (buildCandidate's calibrationFolds) bring it within 0.02 over reference seeds.
    const stationary = [
      summary.segments[0]?.versions.find((v) => v.version === 1),
      ...summary.drifts.map((drift, k) =>
        summary.segments[k + 1]?.versions.find((v) => v.version === drift.promotedVersion),
      ),
    ];
    t.diagnostic(JSON.stringify({ estimatedVsRealized: stationary }));
    for (const served of stationary) {
      assert.ok(served?.estimatedAccuracy != null, JSON.stringify(served));
      assert.ok(
        Math.abs(served.estimatedAccuracy - served.accuracy) <= 0.03,
        `v${served.version}: estimated ${served.estimatedAccuracy} vs realized ${served.accuracy}`,
      );
    }
    // Prometheus tells the same story.
    assert.equal(
      metricValue(detectorMetrics, 'driftwatch_detector_alerts_total'),
      summary.alerts.total,
    );
    assert.equal(
      metricValue(detectorMetrics, 'driftwatch_detector_retrain_requests_total'),
      summary.retrains.requested,
    );
    assert.ok(metricValue(detectorMetrics, 'driftwatch_detector_window_accuracy_ratio') > 0.8);
  });

  it('is reproducible in events: the same seeded stream, once beside a CPU-bound process, detects and serves at the same events', async (t) => {
    const length = 12_000;
    const concepts = seaDemoConcepts(length);
    const stream = seaStream({ seed: 4, length, concepts });
    const run = async () => {
      const { summary } = await runClosedLoop(
        loop({
          rows: [...stream],
          reference: seaReference(concepts[0]?.threshold ?? 7),
          knownDrifts: stream.drifts,
          rate: 1000,
        }),
      );
      return {
        drifts: summary.drifts.map((drift) => ({
          detectedAt: drift.detectedAt,
          servingFrom: drift.servingFrom,
          promotedVersion: drift.promotedVersion,
        })),
        trainRows: summary.versions.map((version) => version.trainRows),
        accuracy: summary.accuracy,
      };
    };
    const quiet = await run();
    // Another process that wants a whole core for as long as the second run lasts.
    const hog = spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });
    let busy: typeof quiet;
    try {
      busy = await run();
    } finally {
      hog.kill('SIGKILL');
    }
    t.diagnostic(JSON.stringify({ quiet, busy }));
    assert.ok(
      quiet.drifts.every((drift) => drift.detectedAt !== null && drift.servingFrom !== null),
      `every drift detected and answered: ${JSON.stringify(quiet.drifts)}`,
    );
    for (const [k, drift] of quiet.drifts.entries()) {
      const other = busy.drifts[k];
      assert.ok(other?.detectedAt != null && other.servingFrom != null, `busy run, drift ${k}`);
      // "Within a few events" and "within a few hundred", as issue 11 asks; seen: identical.
      assert.ok(
        Math.abs(other.detectedAt - (drift.detectedAt ?? 0)) <= 5,
        `drift ${k} detected at ${drift.detectedAt} and ${other.detectedAt}`,
      );
      assert.ok(
        Math.abs(other.servingFrom - (drift.servingFrom ?? 0)) <= 300,
        `drift ${k} answered from ${drift.servingFrom} and ${other.servingFrom}`,
      );
    }
  });

  it('orientation key points: a rare posture turning common moves the cluster mix, edge cases are collected, and the new version beats the old on the golden set', async () => {
    const stream = orientationStream({ seed: 1, length: 20_000 });
    const { summary } = await runClosedLoop(
      loop({
        model: 'orientation',
        streamName: 'orientation',
        featureNames: orientationFeatureNames,
        rows: [...stream],
        reference: [...orientationStream({ seed: 1001, length: 2000, drifts: [] })],
        knownDrifts: [...stream.drifts],
        golden: orientationGoldenSet({ seed: 1 }),
        // As the demo: the edge-case workflow answers the drift (RETRAIN_AFTER_EDGE_CASES at its
        // default 200), so the concept-drift request, which would get there first, is off.
        serviceEnv: { ...loopEnv, RETRAIN_ON_DRIFT: 'false' },
      }),
    );
    const occupancy = summary.alerts.byDetector['cluster-occupancy'] ?? 0;
    assert.ok(occupancy >= 1, `cluster occupancy alerted: ${JSON.stringify(summary.alerts)}`);
    assert.ok(summary.edgeCases.identified >= 200, JSON.stringify(summary.edgeCases));
    assert.ok(summary.edgeCases.labeled >= 200, JSON.stringify(summary.edgeCases));
    assert.ok(
      (summary.retrains.byReason['edge_cases'] ?? 0) >= 1,
      JSON.stringify(summary.retrains),
    );
    assert.ok(summary.retrains.promoted >= 1, JSON.stringify(summary.retrains));
    // Each promoted version's reference is the traffic it was promoted on: its own edge cases fall
    // back to the reference's tail, so the edge cases stop asking (no retrain storm).
    assert.ok(summary.retrains.requested <= 4, JSON.stringify(summary.retrains));
    const { golden } = summary;
    assert.ok(golden);
    assert.equal(golden.old.version, 1);
    assert.ok(golden.new.version > 1);
    assert.ok(
      golden.new.accuracy > golden.old.accuracy + 0.02,
      `golden set: v1 ${golden.old.accuracy}, v${golden.new.version} ${golden.new.accuracy}`,
    );
  });

  it('a stationary control stream of the same length raises no alert and asks for no retrain', async () => {
    const length = 24_000;
    const { summary } = await runClosedLoop(
      loop({
        rows: [...seaStream({ seed: 1, length, concepts: [{ start: 0, threshold: 7 }] })],
        reference: seaReference(7),
      }),
    );
    assert.ok(summary.labeled >= length * 0.99);
    assert.equal(summary.alerts.total, 0, JSON.stringify(summary.alerts));
    assert.equal(summary.retrains.requested, 0);
    assert.deepEqual(
      summary.versions.map((v) => v.version),
      [1],
    );
  });

  it(
    'ELEC2: the adaptive loop beats the never-retrained model over the whole stream',
    {
      skip: existsSync(elec2Path)
        ? false
        : `ELEC2 not found at ${elec2Path} (set ELEC2_CSV to its path)`,
    },
    async (t) => {
      const rows = await readElec2(elec2Path);
      const { summary } = await runClosedLoop(
        loop({
          model: 'elec2',
          streamName: 'elec2',
          featureNames: Object.keys(rows[0]?.features ?? {}),
          reference: rows.slice(0, 2000),
          rows: rows.slice(2000),
          rate: 5000,
          labelDelayMs: 100,
          serviceEnv: {
            ...loopEnv,
            DETECTOR_BLOCK_ACCURACY_THRESHOLD: '0',
            RETRAIN_AFTER_LABELED: '4000',
          },
        }),
      );
      t.diagnostic(
        `ELEC2 prequential accuracy: adaptive ${summary.accuracy.adaptive.toFixed(4)}, never retrained ${summary.accuracy.static.toFixed(4)}; retrains ${JSON.stringify(summary.retrains)}`,
      );
      console.log(
        `ELEC2 over ${summary.labeled} labeled events: adaptive ${summary.accuracy.adaptive.toFixed(4)} vs never-retrained ${summary.accuracy.static.toFixed(4)}`,
      );
      assert.ok(summary.labeled >= (rows.length - 2000) * 0.99);
      assert.ok(summary.retrains.promoted > 0);
      assert.ok(
        summary.accuracy.adaptive > summary.accuracy.static,
        JSON.stringify(summary.accuracy),
      );
    },
  );
});
