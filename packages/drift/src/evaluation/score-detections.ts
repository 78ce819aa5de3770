import { DriftError } from '../errors.js';
import { option } from '../errors.js';

export interface ScoreDetectionsInput {
  /** 0-based indices where the detector fired, ascending. */
  detections: readonly number[];
  /** 0-based indices where the true changes start, ascending. */
  changePoints: readonly number[];
  /** Elements in the stream. */
  length: number;
  /** A detection counts for a change if it comes at most `tolerance − 1` elements after it. */
  tolerance: number;
}

/** One detector on one stream. Sum several with `summarizeScores`. */
export interface DetectionScore {
  elements: number;
  changePoints: number;
  detections: number;
  /** Changes caught: each change is matched by at most one detection. */
  truePositives: number;
  /** Detections that caught no change, including repeats within a change's tolerance window. */
  falseAlarms: number;
  /** Of the false alarms, those that repeat a caught change: later in the same window. */
  repeatAlarms: number;
  /** Changes no detection caught within tolerance. */
  missed: number;
  /** Elements from each caught change to the detection that caught it (0 = at the change). */
  delays: number[];
}

/**
 * Matches a detector's alarms to known change points. Change cᵢ is caught by the first detection
 * in [cᵢ, min(cᵢ + tolerance, cᵢ₊₁)): the window closes early at the next change, so one detection
 * never counts for two changes. Every other detection is a false alarm, whether it comes before
 * any change, too late, or after the change was already caught (counted again as a repeat, since
 * detectors that keep firing while a change settles are a different nuisance from spurious ones).
 *
 * @example
 * ```ts
 * const score = scoreDetections({
 *   detections: [50, 120, 130, 900],
 *   changePoints: [100, 500],
 *   length: 1000,
 *   tolerance: 200,
 * });
 * score.delays; // => [20]
 * score.falseAlarms; // => 3
 * score.repeatAlarms; // => 1
 * score.missed; // => 1
 * ```
 */
export function scoreDetections(input: ScoreDetectionsInput): DetectionScore {
  const { detections, changePoints } = input;
  const length = option.positiveInteger(input.length, 'length');
  const tolerance = option.positiveInteger(input.tolerance, 'tolerance');
  requireSortedIndices(detections, length, 'detections');
  requireSortedIndices(changePoints, length, 'changePoints');

  const delays: number[] = [];
  let repeatAlarms = 0;
  let next = 0;
  for (let i = 0; i < changePoints.length; i++) {
    const change = changePoints[i] as number;
    const windowEnd = Math.min(change + tolerance, changePoints[i + 1] ?? Infinity);
    while (next < detections.length && (detections[next] as number) < change) next++;
    const detection = detections[next];
    if (detection !== undefined && detection < windowEnd) {
      delays.push(detection - change);
      next++;
      while (next < detections.length && (detections[next] as number) < windowEnd) {
        repeatAlarms++;
        next++;
      }
    }
  }
  return {
    elements: length,
    changePoints: changePoints.length,
    detections: detections.length,
    truePositives: delays.length,
    falseAlarms: detections.length - delays.length,
    repeatAlarms,
    missed: changePoints.length - delays.length,
    delays,
  };
}

export interface DetectionSummary {
  runs: number;
  elements: number;
  changePoints: number;
  detections: number;
  truePositives: number;
  falseAlarms: number;
  repeatAlarms: number;
  missedChanges: number;
  /** Mean delay over caught changes; null when none was caught. */
  meanDelay: number | null;
  /** False alarms per 100 000 elements. */
  falseAlarmsPer100k: number;
  /** truePositives / detections; null when nothing was detected. */
  precision: number | null;
  /** truePositives / changePoints; null when there was no change to catch. */
  recall: number | null;
}

/**
 * Pools scores of one detector over several streams: counts are summed before the ratios are
 * taken, so a long stream weighs more than a short one.
 *
 * @example
 * ```ts
 * const length = 1000;
 * const tolerance = 200;
 * const a = scoreDetections({ detections: [120], changePoints: [100], length, tolerance });
 * const b = scoreDetections({ detections: [40, 530], changePoints: [500], length, tolerance });
 * const summary = summarizeScores([a, b]);
 * summary.meanDelay; // => 25
 * summary.falseAlarmsPer100k; // => 50
 * [summary.precision, summary.recall]; // => [0.6666666666666666, 1]
 * ```
 */
export function summarizeScores(scores: readonly DetectionScore[]): DetectionSummary {
  let elements = 0;
  let changePoints = 0;
  let detections = 0;
  let truePositives = 0;
  let falseAlarms = 0;
  let repeatAlarms = 0;
  let delaySum = 0;
  for (const score of scores) {
    elements += score.elements;
    changePoints += score.changePoints;
    detections += score.detections;
    truePositives += score.truePositives;
    falseAlarms += score.falseAlarms;
    repeatAlarms += score.repeatAlarms;
    for (const delay of score.delays) delaySum += delay;
  }
  return {
    runs: scores.length,
    elements,
    changePoints,
    detections,
    truePositives,
    falseAlarms,
    repeatAlarms,
    missedChanges: changePoints - truePositives,
    meanDelay: truePositives === 0 ? null : delaySum / truePositives,
    falseAlarmsPer100k: elements === 0 ? 0 : (falseAlarms / elements) * 100_000,
    precision: detections === 0 ? null : truePositives / detections,
    recall: changePoints === 0 ? null : truePositives / changePoints,
  };
}

function requireSortedIndices(indices: readonly number[], length: number, what: string): void {
  let previous = -1;
  for (const index of indices) {
    if (!Number.isInteger(index) || index <= previous || index >= length) {
      throw new DriftError(
        'DW_DRIFT_INVALID_INPUT',
        `${what} must be strictly increasing integers in [0, ${length}), got ${index} after ${previous}`,
      );
    }
    previous = index;
  }
}
