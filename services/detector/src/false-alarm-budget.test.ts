import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { Cbpe, mulberry32, PsiReference, type Random } from '@driftwatch/drift';
import type { BinnedDistribution, ReferenceProfile } from '@driftwatch/topics';

import { calibrateConceptRules, clusterTrackName } from '@driftwatch/alarms';
import { fitMultivariateReference } from '@driftwatch/model';

import { ConceptMonitor, type ConceptMonitorOptions } from './concept-monitor.js';
import { DataMonitor, type DataMonitorOptions } from './data-monitor.js';

/**
 * The stationary world every stream is drawn from: three features of different shapes, a model
 * whose score is a slightly miscalibrated sigmoid of x1, and labels drawn from the true one.
 */
function draw(random: Random) {
  const normal = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const x1 = normal;
  const x2 = -Math.log(1 - random());
  const x3 = 10 * random();
  const label = random() < 1 / (1 + Math.exp(-2 * x1)) ? 1 : 0;
  const score = 1 / (1 + Math.exp(-(1.6 * x1 + 0.2)));
  return { features: { x1, x2, x3 }, label, score, predicted: score >= 0.5 ? 1 : 0 };
}

function binned(name: string, values: number[], sample: number[] = []): BinnedDistribution {
  const json = PsiReference.fit(values).toJSON();
  if (json.kind !== 'numeric') throw new Error('numeric expected');
  return { name, edges: json.edges, proportions: json.proportions, sample };
}

/**
 * The version as training would describe it: bins of 50,000 rows, a holdout of 50,000, clusters
 * and principal components of all 50,000 (100 chunks of 500 for the reconstruction error's spread).
 */
function referenceOf(random: Random): { reference: ReferenceProfile; holdoutAccuracy: number } {
  const training = Array.from({ length: 50_000 }, () => draw(random));
  const holdout = Array.from({ length: 50_000 }, () => draw(random));
  const column = (rows: typeof training, name: 'x1' | 'x2' | 'x3') =>
    rows.map((row) => row.features[name]);
  const scores = holdout.map((row) => row.score);
  const cbpe = Cbpe.fit({
    scores,
    labels: holdout.map((row) => row.label as 0 | 1),
    threshold: 0.5,
  });
  const fitted = cbpe.toJSON().calibrator;
  assert.ok(fitted === null || 'thresholdScores' in fitted, 'isotonic or none');
  const calibrator = fitted && {
    thresholdScores: fitted.thresholdScores.map(Number),
    thresholdValues: fitted.thresholdValues.map(Number),
  };
  return {
    reference: {
      features: (['x1', 'x2', 'x3'] as const).map((name) =>
        // KS compares each window with a sample of 5,000 training values.
        binned(name, column(training, name), column(training, name).slice(0, 5000)),
      ),
      score: binned('score', scores),
      classProbabilities: [],
      cbpe: {
        threshold: 0.5,
        calibrator,
        platt: null,
        calibrationErrorBefore: 0,
        calibrationErrorAfter: 0,
        expectedAccuracy: cbpe.estimate(scores).accuracy,
      },
      rows: training.length,
      classCbpe: null,
      multivariate: fitMultivariateReference(
        ['x1', 'x2', 'x3'],
        training.map(({ features }) => [features.x1, features.x2, features.x3]),
        { maxRows: 50_000 },
      ),
    },
    holdoutAccuracy: holdout.filter((row) => row.label === row.predicted).length / holdout.length,
  };
}

const streams = 20;
const eventsPerStream = 50_000;
const conceptBudget = 5_000;
const dataBudget = 10_000;

const conceptOptions: ConceptMonitorOptions = {
  window: 500,
  adwinDelta: 0.002,
  blockSize: 250,
  blockAccuracyThreshold: 0.5,
  accuracyThreshold: 0.5,
  rearmMargin: 0.02,
  adwinCooldown: 1000,
  falseAlarmEvery: conceptBudget,
};

const dataOptions: DataMonitorOptions = {
  window: 500,
  kind: 'tumbling',
  psiThreshold: 0.2,
  rearmRatio: 0.5,
  ksAlpha: 0.01,
  cbpeMaxDrop: 0.05,
  cbpeRearmMargin: 0.02,
  falseAlarmEvery: dataBudget,
};

/** Alarms of each rule (`detector` or `detector:feature`) over every stream. */
function countAlarms(
  run: (random: Random, alarm: (rule: string) => void) => void,
): Map<string, number> {
  const alarms = new Map<string, number>();
  for (let seed = 1; seed <= streams; seed++) {
    run(mulberry32(1000 + seed), (rule) => alarms.set(rule, (alarms.get(rule) ?? 0) + 1));
  }
  return alarms;
}

/** Asserts each rule's measured mean run length within a factor of 1.5 of the budget. */
function assertWithinBudget(
  report: (line: string) => void,
  rules: readonly { rule: string; expected: number }[],
  alarms: Map<string, number>,
  budget: number,
): void {
  const total = streams * eventsPerStream;
  for (const { rule, expected } of rules) {
    const count = alarms.get(rule) ?? 0;
    const measured = count === 0 ? Infinity : total / count;
    report(
      `${rule}: ${count} false alarms in ${total} events, one every ${Math.round(measured)} (target ${budget}, simulated ${Math.round(expected)})`,
    );
    assert.ok(
      measured >= budget / 1.5 && measured <= budget * 1.5,
      `${rule}: one false alarm every ${measured} events, not within ×1.5 of ${budget}`,
    );
  }
}

describe('false-alarm budget on 20 stationary streams drawn from the reference', () => {
  const { reference, holdoutAccuracy } = referenceOf(mulberry32(7));

  for (const rule of ['adwin', 'fhddm', 'fhddms', 'hddm-a'] as const) {
    it(`keeps ${rule}, block accuracy and window accuracy to one false alarm every ${conceptBudget} labeled predictions`, (t) => {
      const options = { ...conceptOptions, conceptDetector: rule };
      const calibration = calibrateConceptRules(holdoutAccuracy, options, conceptBudget);
      const alarms = countAlarms((random, alarm) => {
        const monitor = new ConceptMonitor({ ...options, calibration });
        for (let i = 0; i < eventsPerStream; i++) {
          const { label, predicted, score } = draw(random);
          for (const signal of monitor.observe({ label, predicted, score, ts: i })) {
            assert.equal(signal.expectedRunLength !== null, true);
            alarm(signal.detector);
          }
        }
      });
      assertWithinBudget(
        (line) => {
          t.diagnostic(line);
        },
        [
          { rule, expected: calibration.errorStream.expectedRunLength },
          { rule: 'block-accuracy', expected: calibration.blockAccuracy?.expectedRunLength ?? NaN },
          {
            rule: 'window-accuracy',
            expected: calibration.windowAccuracy?.expectedRunLength ?? NaN,
          },
        ],
        alarms,
        conceptBudget,
      );
    });
  }

  it(`keeps PSI, score PSI, KS, the CBPE floor, cluster occupancy and reconstruction error to one false alarm every ${dataBudget} predictions`, (t) => {
    const first = new DataMonitor(reference, dataOptions);
    const calibration = first.calibration;
    assert.ok(calibration?.cbpe, 'a binary version with a calibration gets a CBPE floor');
    const alarms = countAlarms((random, alarm) => {
      const monitor = new DataMonitor(reference, { ...dataOptions, calibration });
      for (let i = 0; i < eventsPerStream; i++) {
        const { features, score } = draw(random);
        for (const signal of monitor.observe({ features, score, ts: i })) {
          alarm(signal.feature === null ? signal.detector : `${signal.detector}:${signal.feature}`);
        }
      }
    });
    const tracks = ['x1', 'x2', 'x3', '<score>'];
    assertWithinBudget(
      (line) => {
        t.diagnostic(line);
      },
      [
        ...tracks.map((track) => ({
          rule: track === '<score>' ? 'psi-score' : `psi:${track}`,
          expected: calibration.psi[track]?.expectedRunLength ?? NaN,
        })),
        ...['x1', 'x2', 'x3'].map((feature) => ({
          rule: `ks:${feature}`,
          expected: calibration.ks?.expectedRunLength ?? NaN,
        })),
        { rule: 'cbpe', expected: calibration.cbpe.expectedRunLength },
        {
          rule: 'cluster-occupancy',
          expected: calibration.psi[clusterTrackName]?.expectedRunLength ?? NaN,
        },
        { rule: 'reconstruction', expected: calibration.reconstruction?.expectedRunLength ?? NaN },
      ],
      alarms,
      dataBudget,
    );
  });

  it('leaves a rule that cannot vary on its raw threshold instead of failing: a constant feature', () => {
    const constant = { name: 'x4', edges: [0, 1], proportions: [1], sample: [] };
    const withConstant = { ...reference, features: [...reference.features, constant] };
    const monitor = new DataMonitor(withConstant, dataOptions);
    const calibration = monitor.calibration;
    assert.ok(calibration);
    assert.equal(calibration.psi['x4'], undefined);
    assert.ok(calibration.psi['x1'], 'the others are calibrated');
    const random = mulberry32(3);
    for (let i = 0; i < 2000; i++) {
      const { features, score } = draw(random);
      for (const signal of monitor.observe({ features: { ...features, x4: 0.5 }, score, ts: i })) {
        assert.notEqual(signal.feature, 'x4');
      }
    }
  });
});
