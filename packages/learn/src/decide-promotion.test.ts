import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  decideOnLiveEvidence,
  decidePromotion,
  type PromotionCriteria,
} from './decide-promotion.js';
import { LearnError } from './errors.js';
import { mcnemarTest } from './mcnemar-test.js';
import type { BinaryClassifierMetrics } from './evaluate-binary-classifier.js';

function metrics(overrides: Partial<BinaryClassifierMetrics>): BinaryClassifierMetrics {
  return {
    count: 1000,
    accuracy: 0.8,
    precision: 0.7,
    recall: 0.6,
    f1: 0.65,
    rocAuc: 0.85,
    logLoss: 0.4,
    ...overrides,
  };
}

/** `count` rows: the challenger alone right on `c`, the champion alone right on `b`. */
function correctness(
  count: number,
  b: number,
  c: number,
): { champion: boolean[]; challenger: boolean[] } {
  const champion: boolean[] = [];
  const challenger: boolean[] = [];
  for (let i = 0; i < count; i++) {
    champion.push(i >= c);
    challenger.push(i < c || i >= c + b);
  }
  return { champion, challenger };
}

const accuracyCriteria: PromotionCriteria = { metric: 'accuracy', minGain: 0.01, minHoldout: 200 };

function expectError(code: string, message?: RegExp): (error: unknown) => boolean {
  return (error) =>
    error instanceof LearnError && error.code === code && (message?.test(error.message) ?? true);
}

describe('decidePromotion', () => {
  it('refuses when the holdout is smaller than minHoldout, even without a champion', () => {
    const decision = decidePromotion({
      challenger: metrics({ count: 150, accuracy: 0.99 }),
      champion: null,
      criteria: accuracyCriteria,
    });
    assert.deepEqual(decision, {
      promote: false,
      reason: 'holdout 150 < 200: too small to decide',
      mcnemar: null,
    });
  });

  it('promotes the first model when the holdout is large enough', () => {
    const decision = decidePromotion({
      challenger: metrics({ count: 1200, accuracy: 0.912 }),
      champion: null,
      criteria: accuracyCriteria,
    });
    assert.equal(decision.promote, true);
    assert.equal(decision.reason, 'no champion; challenger accuracy 0.912, holdout 1200 ≥ 200');
  });

  it('promotes on a large enough gain, naming both values, the gain and the holdout', () => {
    const decision = decidePromotion({
      challenger: metrics({ count: 1200, accuracy: 0.912 }),
      champion: metrics({ count: 1200, accuracy: 0.781 }),
      criteria: accuracyCriteria,
    });
    assert.equal(decision.promote, true);
    assert.equal(
      decision.reason,
      'accuracy 0.912 vs champion 0.781 (+0.131 ≥ 0.01), holdout 1200 ≥ 200',
    );
  });

  it('refuses a gain below minGain, and a loss', () => {
    const small = decidePromotion({
      challenger: metrics({ accuracy: 0.8045 }),
      champion: metrics({ accuracy: 0.8 }),
      criteria: accuracyCriteria,
    });
    assert.equal(small.promote, false);
    assert.equal(
      small.reason,
      'accuracy 0.8045 vs champion 0.8 (+0.0045 < 0.01), holdout 1000 ≥ 200',
    );
    const worse = decidePromotion({
      challenger: metrics({ f1: 0.6 }),
      champion: metrics({ f1: 0.65 }),
      criteria: { ...accuracyCriteria, metric: 'f1', minGain: 0 },
    });
    assert.equal(worse.promote, false);
    assert.match(worse.reason, /^f1 0.6 vs champion 0.65 \(-0.05 < 0\)/);
  });

  it('counts a float64 gain a hair under minGain as meeting it', () => {
    assert.ok(0.57 - 0.56 < 0.01);
    const decision = decidePromotion({
      challenger: metrics({ accuracy: 0.57 }),
      champion: metrics({ accuracy: 0.56 }),
      criteria: accuracyCriteria,
    });
    assert.equal(decision.promote, true);
  });

  it('treats lower log-loss as better', () => {
    const criteria: PromotionCriteria = { metric: 'logLoss', minGain: 0.05, minHoldout: 0 };
    const better = decidePromotion({
      challenger: metrics({ logLoss: 0.3 }),
      champion: metrics({ logLoss: 0.4 }),
      criteria,
    });
    assert.equal(better.promote, true);
    assert.match(better.reason, /^logLoss 0.3 vs champion 0.4 \(\+0.1 ≥ 0.05\)/);
    const worse = decidePromotion({
      challenger: metrics({ logLoss: 0.4 }),
      champion: metrics({ logLoss: 0.3 }),
      criteria,
    });
    assert.equal(worse.promote, false);
    assert.match(worse.reason, /\(-0.1 < 0.05\)/);
  });

  it('refuses when the metric is undefined on the holdout (ROC AUC with one class)', () => {
    const decision = decidePromotion({
      challenger: metrics({ rocAuc: Number.NaN }),
      champion: metrics({ rocAuc: Number.NaN }),
      criteria: { ...accuracyCriteria, metric: 'rocAuc' },
    });
    assert.equal(decision.promote, false);
    assert.match(decision.reason, /rocAuc NaN vs champion NaN: undefined on this holdout/);
  });

  describe('with mcnemarAlpha', () => {
    const criteria: PromotionCriteria = { ...accuracyCriteria, mcnemarAlpha: 0.05 };

    it('promotes when the challenger is significantly more often right', () => {
      const { champion, challenger } = correctness(1000, 10, 60);
      const decision = decidePromotion({
        challenger: metrics({ accuracy: 0.85 }),
        champion: metrics({ accuracy: 0.8 }),
        championCorrect: champion,
        challengerCorrect: challenger,
        criteria,
      });
      assert.equal(decision.promote, true);
      assert.equal(decision.mcnemar?.b, 10);
      assert.equal(decision.mcnemar.c, 60);
      assert.ok(decision.mcnemar.pValue < 1e-9);
      assert.match(
        decision.reason,
        /^accuracy 0.85 vs champion 0.8 \(\+0.05 ≥ 0.01\), holdout 1000 ≥ 200, McNemar p=\d(\.\d)?e-\d+ < 0.05 \(b=10, c=60\)$/,
      );
    });

    it('refuses when the difference is not significant', () => {
      const { champion, challenger } = correctness(1000, 40, 55);
      const decision = decidePromotion({
        challenger: metrics({ accuracy: 0.815 }),
        champion: metrics({ accuracy: 0.8 }),
        championCorrect: champion,
        challengerCorrect: challenger,
        criteria,
      });
      assert.equal(decision.promote, false);
      assert.match(decision.reason, /McNemar p=0.15 ≥ 0.05 \(b=40, c=55\)$/);
    });

    it('refuses when the gain is in the metric but the champion is significantly more often right', () => {
      const { champion, challenger } = correctness(1000, 60, 10);
      const decision = decidePromotion({
        challenger: metrics({ f1: 0.7 }),
        champion: metrics({ f1: 0.65 }),
        championCorrect: champion,
        challengerCorrect: challenger,
        criteria: { ...criteria, metric: 'f1' },
      });
      assert.equal(decision.promote, false);
      assert.match(decision.reason, /but the champion is right more often$/);
    });

    it('does not run the test when the gain already fails', () => {
      const decision = decidePromotion({
        challenger: metrics({ accuracy: 0.8 }),
        champion: metrics({ accuracy: 0.8 }),
        criteria,
      });
      assert.equal(decision.promote, false);
      assert.equal(decision.mcnemar, null);
    });

    it('requires both correctness arrays, one entry per holdout row', () => {
      const input = {
        challenger: metrics({ accuracy: 0.9 }),
        champion: metrics({ accuracy: 0.8 }),
        criteria,
      };
      assert.throws(
        () => decidePromotion(input),
        expectError('DW_LEARN_INVALID_INPUT', /required/),
      );
      assert.throws(
        () => decidePromotion({ ...input, championCorrect: [true], challengerCorrect: [true] }),
        expectError('DW_LEARN_INVALID_INPUT', /one entry per holdout row \(1000\)/),
      );
    });
  });

  it('rejects a champion evaluated on another holdout', () => {
    assert.throws(
      () =>
        decidePromotion({
          challenger: metrics({ count: 1000 }),
          champion: metrics({ count: 999 }),
          criteria: accuracyCriteria,
        }),
      expectError('DW_LEARN_INVALID_INPUT', /same holdout/),
    );
  });

  it('rejects invalid criteria', () => {
    const invalid = [
      { ...accuracyCriteria, metric: 'precision' as 'f1' },
      { ...accuracyCriteria, minGain: Number.NaN },
      { ...accuracyCriteria, minHoldout: -1 },
      { ...accuracyCriteria, minHoldout: 1.5 },
      { ...accuracyCriteria, mcnemarAlpha: 0 },
      { ...accuracyCriteria, mcnemarAlpha: 1 },
    ];
    for (const criteria of invalid) {
      assert.throws(
        () => decidePromotion({ challenger: metrics({}), champion: null, criteria }),
        expectError('DW_LEARN_INVALID_OPTION'),
        JSON.stringify(criteria),
      );
    }
  });
});

describe('decideOnLiveEvidence', () => {
  const tally = (labeled: number, championOnly: number, shadowOnly: number, bothRight: number) => ({
    labeled,
    championCorrect: bothRight + championOnly,
    shadowCorrect: bothRight + shadowOnly,
    championOnly,
    shadowOnly,
  });

  it('waits until minLabeled events are paired', () => {
    const criteria = { minLabeled: 500, minGain: 0.01 };
    assert.equal(decideOnLiveEvidence(tally(499, 0, 100, 300), criteria), undefined);
    assert.equal(decideOnLiveEvidence(tally(500, 0, 100, 300), criteria)?.promote, true);
  });

  it('promotes on the accuracy gain over the champion, on the same events', () => {
    const better = decideOnLiveEvidence(tally(1000, 40, 70, 800), {
      minLabeled: 1000,
      minGain: 0.03,
    });
    assert.equal(better?.promote, true);
    assert.match(better.reason, /live accuracy 0\.87 vs champion 0\.84 \(\+0\.03 ≥ 0\.03\)/);
    const short = decideOnLiveEvidence(tally(1000, 40, 69, 800), {
      minLabeled: 1000,
      minGain: 0.03,
    });
    assert.equal(short?.promote, false, short?.reason);
  });

  it('with mcnemarAlpha, also asks for significance, from the counts alone', () => {
    // b=10, c=20: +1 point, but p = 0.099 — not below 0.05.
    const weak = decideOnLiveEvidence(tally(1000, 10, 20, 900), {
      minLabeled: 1000,
      minGain: 0,
      mcnemarAlpha: 0.05,
    });
    assert.equal(weak?.promote, false);
    const disagreements = (first: number, value: number): number[] =>
      Array.from({ length: 30 }, (_, i) => (i < 10 ? first : value));
    assert.equal(
      weak.mcnemar?.pValue,
      mcnemarTest(disagreements(1, 0), disagreements(0, 1)).pValue,
    );
    assert.match(weak.reason, /McNemar p=0\.099 ≥ 0\.05 \(b=10, c=20\)/);
    const strong = decideOnLiveEvidence(tally(1000, 10, 40, 900), {
      minLabeled: 1000,
      minGain: 0,
      mcnemarAlpha: 0.05,
    });
    assert.equal(strong?.promote, true, strong?.reason);
  });

  it('refuses tallies that cannot come from paired outcomes', () => {
    assert.throws(
      () =>
        decideOnLiveEvidence(
          { labeled: 10, championCorrect: 5, shadowCorrect: 9, championOnly: 0, shadowOnly: 1 },
          { minLabeled: 1, minGain: 0 },
        ),
      (error: unknown) => error instanceof LearnError && error.code === 'DW_LEARN_INVALID_INPUT',
    );
  });
});
