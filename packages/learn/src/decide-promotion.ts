import { LearnError } from './errors.js';
import type { BinaryClassifierMetrics } from './evaluate-binary-classifier.js';
import type { ClassifierMetrics } from './evaluate-classifier.js';
import { mcnemarFromCounts, mcnemarTest, type McNemarResult } from './mcnemar-test.js';
import { option } from './errors.js';

export type PromotionMetric = 'accuracy' | 'f1' | 'rocAuc' | 'logLoss';
const promotionMetrics: readonly PromotionMetric[] = ['accuracy', 'f1', 'rocAuc', 'logLoss'];

export interface PromotionCriteria {
  /** The metric that must improve; `logLoss` improves by going down, the others by going up. */
  readonly metric: PromotionMetric;
  /** Least improvement (in the metric's units) that promotes; may be 0 or negative. */
  readonly minGain: number;
  /** Least holdout size on which any decision to promote is made. */
  readonly minHoldout: number;
  /** When set, the challenger must also be significantly more often right (McNemar p < alpha). */
  readonly mcnemarAlpha?: number;
}

export interface PromotionInput {
  /** Binary metrics, or multiclass ones (macro F1, one-vs-rest macro ROC AUC). */
  readonly challenger: BinaryClassifierMetrics | ClassifierMetrics;
  /** The serving model's metrics on the same holdout, or null when nothing is serving yet. */
  readonly champion: BinaryClassifierMetrics | ClassifierMetrics | null;
  /** Per holdout row, whether the champion was right; required with `mcnemarAlpha`. */
  readonly championCorrect?: ArrayLike<boolean | number>;
  /** Per holdout row, whether the challenger was right; required with `mcnemarAlpha`. */
  readonly challengerCorrect?: ArrayLike<boolean | number>;
  readonly criteria: PromotionCriteria;
}

export interface PromotionDecision {
  readonly promote: boolean;
  /** One line naming every number the decision rests on. */
  readonly reason: string;
  /** The McNemar test when it was run, for the record. */
  readonly mcnemar: McNemarResult | null;
}

/**
 * Gains within this of `minGain` count as meeting it: metrics are ratios of counts, and
 * 0.57 − 0.56 is 0.009999999999999898 in float64.
 */
const GAIN_SLACK = 1e-12;

/**
 * Decides whether a challenger replaces the champion, in this order:
 * 1. The holdout must hold at least `minHoldout` rows, otherwise no promotion.
 * 2. With no champion, the challenger is promoted.
 * 3. The chosen metric must improve by at least `minGain` (a NaN metric, e.g. ROC AUC on a
 *    one-class holdout, cannot).
 * 4. With `mcnemarAlpha`, McNemar's exact test on the paired correctness must give p < alpha, and
 *    the challenger must be the one more often right (c > b).
 *
 * Champion and challenger must have been evaluated on the same holdout (equal counts); mismatched
 * inputs or missing correctness arrays with `mcnemarAlpha` are programmer errors and throw
 * `DW_LEARN_INVALID_INPUT`.
 *
 * @example
 * ```ts
 * const decision = decidePromotion({
 *   challenger: { count: 1200, accuracy: 0.912, precision: 0.9, recall: 0.8, f1: 0.85, rocAuc: 0.95, logLoss: 0.25 },
 *   champion: { count: 1200, accuracy: 0.781, precision: 0.7, recall: 0.6, f1: 0.65, rocAuc: 0.85, logLoss: 0.45 },
 *   criteria: { metric: 'accuracy', minGain: 0.01, minHoldout: 200 },
 * });
 * decision.promote; // => true
 * decision.reason; // => "accuracy 0.912 vs champion 0.781 (+0.131 ≥ 0.01), holdout 1200 ≥ 200"
 * ```
 */
export function decidePromotion(input: PromotionInput): PromotionDecision {
  const { challenger, champion, criteria } = input;
  const metric = option.oneOf(criteria.metric, 'criteria.metric', promotionMetrics);
  const minGain = option.finite(criteria.minGain, 'criteria.minGain');
  const minHoldout = option.nonNegativeInteger(criteria.minHoldout, 'criteria.minHoldout');
  const alpha =
    criteria.mcnemarAlpha === undefined
      ? undefined
      : option.inOpenInterval(criteria.mcnemarAlpha, 'criteria.mcnemarAlpha', 0, 1);

  const holdout = `holdout ${challenger.count} ${challenger.count >= minHoldout ? '≥' : '<'} ${minHoldout}`;
  if (challenger.count < minHoldout) {
    return { promote: false, reason: `${holdout}: too small to decide`, mcnemar: null };
  }
  const challengerValue = challenger[metric];
  if (champion === null) {
    return {
      promote: true,
      reason: `no champion; challenger ${metric} ${formatValue(challengerValue)}, ${holdout}`,
      mcnemar: null,
    };
  }
  if (champion.count !== challenger.count) {
    throw new LearnError(
      'DW_LEARN_INVALID_INPUT',
      `champion and challenger must be evaluated on the same holdout, got ${champion.count} and ${challenger.count} rows`,
    );
  }
  const championValue = champion[metric];
  const comparison = `${metric} ${formatValue(challengerValue)} vs champion ${formatValue(championValue)}`;
  if (Number.isNaN(challengerValue) || Number.isNaN(championValue)) {
    return {
      promote: false,
      reason: `${comparison}: undefined on this holdout, ${holdout}`,
      mcnemar: null,
    };
  }
  const gain =
    metric === 'logLoss' ? championValue - challengerValue : challengerValue - championValue;
  const enough = gain >= minGain - GAIN_SLACK;
  const gainText = `${comparison} (${formatGain(gain)} ${enough ? '≥' : '<'} ${formatValue(minGain)})`;
  if (!enough) return { promote: false, reason: `${gainText}, ${holdout}`, mcnemar: null };
  if (alpha === undefined)
    return { promote: true, reason: `${gainText}, ${holdout}`, mcnemar: null };

  const { championCorrect, challengerCorrect } = input;
  if (championCorrect === undefined || challengerCorrect === undefined) {
    throw new LearnError(
      'DW_LEARN_INVALID_INPUT',
      'championCorrect and challengerCorrect are required when criteria.mcnemarAlpha is set',
    );
  }
  if (
    championCorrect.length !== challenger.count ||
    challengerCorrect.length !== challenger.count
  ) {
    throw new LearnError(
      'DW_LEARN_INVALID_INPUT',
      `championCorrect and challengerCorrect must have one entry per holdout row (${challenger.count}), got ${championCorrect.length} and ${challengerCorrect.length}`,
    );
  }
  const mcnemar = mcnemarTest(championCorrect, challengerCorrect);
  const significant = mcnemar.pValue < alpha;
  const test = `McNemar p=${formatP(mcnemar.pValue)} ${significant ? '<' : '≥'} ${formatValue(alpha)} (b=${mcnemar.b}, c=${mcnemar.c})`;
  if (!significant) {
    return { promote: false, reason: `${gainText}, ${holdout}, ${test}`, mcnemar };
  }
  if (mcnemar.c <= mcnemar.b) {
    return {
      promote: false,
      reason: `${gainText}, ${holdout}, ${test}, but the champion is right more often`,
      mcnemar,
    };
  }
  return { promote: true, reason: `${gainText}, ${holdout}, ${test}`, mcnemar };
}

/** A shadow's and the serving version's outcomes on the same labeled events, tallied. */
export interface PairedOutcomes {
  readonly labeled: number;
  readonly championCorrect: number;
  readonly shadowCorrect: number;
  /** Events only the champion got right (McNemar's b). */
  readonly championOnly: number;
  /** Events only the shadow got right (McNemar's c). */
  readonly shadowOnly: number;
}

export interface LiveCriteria {
  /** Labeled events before any decision; the trial runs until then. */
  readonly minLabeled: number;
  /** Least live accuracy gain over the champion that promotes; may be 0 or negative. */
  readonly minGain: number;
  /** When set, the shadow must also be significantly more often right (McNemar p < alpha). */
  readonly mcnemarAlpha?: number | null;
}

/**
 * Decides a shadow's trial on live labels: undefined while fewer than `minLabeled` events are
 * paired; then promote when its accuracy on the same events beats the champion's by `minGain`
 * (and, with `mcnemarAlpha`, McNemar's exact test on the paired outcomes gives p < alpha with the
 * shadow the one more often right), else retire. The same rule as `decidePromotion` on accuracy,
 * from tallies instead of a holdout's rows, since live evidence streams by.
 *
 * @example
 * ```ts
 * const decision = decideOnLiveEvidence(
 *   { labeled: 1000, championCorrect: 800, shadowCorrect: 860, championOnly: 40, shadowOnly: 100 },
 *   { minLabeled: 1000, minGain: 0.02, mcnemarAlpha: 0.01 },
 * );
 * decision?.promote; // => true
 * decision?.reason; // => "live accuracy 0.86 vs champion 0.8 (+0.06 ≥ 0.02) on 1000 labeled events, McNemar p=4.1e-7 < 0.01 (b=40, c=100)"
 * ```
 */
export function decideOnLiveEvidence(
  outcomes: PairedOutcomes,
  criteria: LiveCriteria,
): PromotionDecision | undefined {
  const minLabeled = option.nonNegativeInteger(criteria.minLabeled, 'criteria.minLabeled');
  const minGain = option.finite(criteria.minGain, 'criteria.minGain');
  const alpha =
    criteria.mcnemarAlpha === undefined || criteria.mcnemarAlpha === null
      ? undefined
      : option.inOpenInterval(criteria.mcnemarAlpha, 'criteria.mcnemarAlpha', 0, 1);
  const { labeled, championCorrect, shadowCorrect, championOnly, shadowOnly } = outcomes;
  if (labeled < Math.max(1, minLabeled)) return undefined;
  if (shadowCorrect - championCorrect !== shadowOnly - championOnly) {
    throw new LearnError(
      'DW_LEARN_INVALID_INPUT',
      `paired outcomes disagree: correct ${shadowCorrect} − ${championCorrect} must equal only ${shadowOnly} − ${championOnly}`,
    );
  }
  const championValue = championCorrect / labeled;
  const shadowValue = shadowCorrect / labeled;
  const gain = shadowValue - championValue;
  const enough = gain >= minGain - GAIN_SLACK;
  const gainText = `live accuracy ${formatValue(shadowValue)} vs champion ${formatValue(championValue)} (${formatGain(gain)} ${enough ? '≥' : '<'} ${formatValue(minGain)}) on ${labeled} labeled events`;
  if (!enough || alpha === undefined) return { promote: enough, reason: gainText, mcnemar: null };
  const mcnemar = mcnemarFromCounts(championOnly, shadowOnly);
  const significant = mcnemar.pValue < alpha;
  const test = `McNemar p=${formatP(mcnemar.pValue)} ${significant ? '<' : '≥'} ${formatValue(alpha)} (b=${mcnemar.b}, c=${mcnemar.c})`;
  return { promote: significant && mcnemar.c > mcnemar.b, reason: `${gainText}, ${test}`, mcnemar };
}

/** Four significant digits: enough to tell metrics apart, short enough to read in a log line. */
function formatValue(value: number): string {
  return Number.isFinite(value) ? String(Number(value.toPrecision(4))) : String(value);
}

function formatGain(gain: number): string {
  const text = String(Number(Math.abs(gain).toPrecision(3)));
  return `${gain < 0 ? '-' : '+'}${text}`;
}

function formatP(p: number): string {
  return String(Number(p.toPrecision(2)));
}
