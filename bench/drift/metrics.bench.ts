/**
 * WindowedClassificationMetrics against the obvious implementation that re-sorts the window for
 * the AUC after every labeled prediction. Both read every metric after every update, as the
 * detector service does when it publishes. The baseline costs O(W log W) per update, so it runs
 * on fewer updates; both are reported per update.
 */
import { mulberry32, WindowedClassificationMetrics, type ScoredOutcome } from '@driftwatch/drift';

import { timeSeconds, withRatio, type BenchContext } from '../report.js';

const WINDOWS = [1000, 10_000];
const UPDATES = 10_000_000;
/** Baseline updates per window size: enough for a stable rate, few enough to stay in seconds. */
const BASELINE_UPDATES: Record<number, number> = { 1000: 20_000, 10_000: 2_000 };
const STREAM_LENGTH = 1 << 18;

/** 30% positives, scores to 3 decimals (so ties occur) leaning towards the true class. */
function labeledPredictions(): ScoredOutcome[] {
  const random = mulberry32(1);
  return Array.from({ length: STREAM_LENGTH }, () => {
    const positive = random() < 0.3;
    const score = Math.round(((positive ? 0.3 : 0) + 0.7 * random()) * 1000) / 1000;
    return { label: positive ? 1 : 0, predicted: score >= 0.5 ? 1 : 0, score };
  });
}

interface MetricsUnderTest {
  update(prediction: ScoredOutcome): void;
  readonly accuracy: number;
  readonly f1: number;
  readonly rocAuc: number;
}

/** Confusion counts kept incrementally, but the AUC from both classes' scores sorted afresh. */
class ResortingMetrics implements MetricsUnderTest {
  readonly #window: ScoredOutcome[] = [];
  readonly #size: number;
  #correct = 0;
  #truePositives = 0;
  #falsePositives = 0;
  #falseNegatives = 0;

  constructor(size: number) {
    this.#size = size;
  }

  get accuracy(): number {
    return this.#correct / this.#window.length;
  }

  get f1(): number {
    return (
      (2 * this.#truePositives) /
      (2 * this.#truePositives + this.#falsePositives + this.#falseNegatives)
    );
  }

  get rocAuc(): number {
    const positives = new Float64Array(this.#window.length);
    const negatives = new Float64Array(this.#window.length);
    let p = 0;
    let n = 0;
    for (const { label, score } of this.#window) {
      if (label === 1) positives[p++] = score;
      else negatives[n++] = score;
    }
    const sortedPositives = positives.subarray(0, p).sort();
    const sortedNegatives = negatives.subarray(0, n).sort();
    let twiceWins = 0;
    let below = 0;
    let atOrBelow = 0;
    for (const score of sortedPositives) {
      while (below < n && (sortedNegatives[below] as number) < score) below++;
      if (atOrBelow < below) atOrBelow = below;
      while (atOrBelow < n && (sortedNegatives[atOrBelow] as number) <= score) atOrBelow++;
      twiceWins += below + atOrBelow;
    }
    return twiceWins / (2 * p * n);
  }

  update(prediction: ScoredOutcome): void {
    this.#window.push(prediction);
    this.#tally(prediction, 1);
    if (this.#window.length > this.#size) {
      const oldest = this.#window.shift();
      if (oldest) this.#tally(oldest, -1);
    }
  }

  #tally({ label, predicted }: ScoredOutcome, sign: 1 | -1): void {
    if (label === predicted) this.#correct += sign;
    if (label === 1 && predicted === 1) this.#truePositives += sign;
    if (label !== 1 && predicted === 1) this.#falsePositives += sign;
    if (label === 1 && predicted !== 1) this.#falseNegatives += sign;
  }
}

/** Updates per second over `updates` predictions, after the window has been filled untimed. */
async function updatesPerSecond(
  metrics: MetricsUnderTest,
  stream: readonly ScoredOutcome[],
  window: number,
  updates: number,
): Promise<{ rate: number; checksum: number }> {
  for (let index = 0; index < window; index++)
    metrics.update(stream[index % STREAM_LENGTH] as ScoredOutcome);
  let checksum = 0;
  const seconds = await timeSeconds(() => {
    for (let index = window; index < window + updates; index++) {
      metrics.update(stream[index % STREAM_LENGTH] as ScoredOutcome);
      checksum += metrics.accuracy + metrics.f1 + metrics.rocAuc;
    }
  });
  return { rate: updates / seconds, checksum };
}

/** The two must compute the same numbers, or the ratio compares different work. */
function assertAgreement(stream: readonly ScoredOutcome[]): void {
  const windowed = new WindowedClassificationMetrics({ window: 1000, positiveLabel: 1 });
  const resorting = new ResortingMetrics(1000);
  for (const prediction of stream.slice(0, 3000)) {
    windowed.update(prediction);
    resorting.update(prediction);
  }
  for (const metric of ['accuracy', 'f1', 'rocAuc'] as const) {
    if (Math.abs(windowed[metric] - resorting[metric]) > 1e-12) {
      throw new Error(`${metric} disagrees: ${windowed[metric]} vs ${resorting[metric]}`);
    }
  }
}

export default async function metricsBench(context: BenchContext): Promise<void> {
  const stream = labeledPredictions();
  // Warm both implementations up so the first timed case is not billed for compilation.
  await updatesPerSecond(
    new WindowedClassificationMetrics({ window: 100, positiveLabel: 1 }),
    stream,
    100,
    50_000,
  );
  await updatesPerSecond(new ResortingMetrics(100), stream, 100, 2_000);
  assertAgreement(stream);

  for (const window of WINDOWS) {
    const updates = Math.max(1, Math.round(UPDATES * context.scale));
    const baselineUpdates = Math.max(
      1,
      Math.round((BASELINE_UPDATES[window] ?? 1000) * context.scale),
    );
    context.log(
      `window ${window}: ${updates.toLocaleString('en-US')} updates, baseline ${baselineUpdates.toLocaleString('en-US')}`,
    );

    const windowed = await updatesPerSecond(
      new WindowedClassificationMetrics({ window, positiveLabel: 1 }),
      stream,
      window,
      updates,
    );
    const resorting = await updatesPerSecond(
      new ResortingMetrics(window),
      stream,
      window,
      baselineUpdates,
    );
    context.report(
      withRatio(
        {
          suite: 'drift/metrics',
          case: `window ${window}`,
          subject: 'WindowedClassificationMetrics',
          value: windowed.rate,
          unit: 'updates/s',
          note: `${updates.toLocaleString('en-US')} updates; AUC by rank tree`,
        },
        're-sort per update',
        resorting.rate,
      ),
    );
    context.report({
      suite: 'drift/metrics',
      case: `window ${window}`,
      subject: 're-sort per update',
      value: resorting.rate,
      unit: 'updates/s',
      note: `${baselineUpdates.toLocaleString('en-US')} updates; AUC by sorting the window`,
    });
    if (!Number.isFinite(windowed.checksum) || !Number.isFinite(resorting.checksum)) {
      throw new Error('a metric was not finite: the bench stream lost a class');
    }
  }
}
