import { DatasetError } from './errors.js';
import type { SeaConcept } from './sea-stream.js';
import { option } from './errors.js';

/** Concepts in equal blocks over `length` rows: block k starts at ⌊k · length / blocks⌋. */
function blocks(
  length: number,
  concepts: readonly Omit<SeaConcept, 'start'>[],
  preset: string,
): SeaConcept[] {
  option.positiveInteger(length, 'length');
  if (length < concepts.length) {
    throw new DatasetError(
      'DW_DATASET_INVALID_OPTION',
      `option length must be at least ${concepts.length} for ${preset}, got ${length}`,
    );
  }
  return concepts.map((concept, k) => ({
    ...concept,
    start: Math.floor((k * length) / concepts.length),
  }));
}

/**
 * The demo's SEA concepts: four equal blocks with θ = 7, 9, 11, 13 (label 1 when x1 + x2 ≤ θ).
 *
 * Why not the paper's 8, 9, 7, 9.5: the demo trains a model on the first concept and must see it
 * lose accuracy at every change. With features uniform on [0, 10)², P(x1 + x2 ≤ t) is t²/200 up to
 * t = 10 and 1 − (20 − t)²/200 beyond, and a boundary θ_old used on concept θ_new with label noise
 * η scores (1 − η) − (1 − 2η)·|P(≤ θ_old) − P(≤ θ_new)|, the Bayes-optimal 1 − η minus the drop.
 * At η = 0.1 the paper's changes cost the previous concept's boundary 6.8, 12.8 and 16.5 points,
 * but a model of concept 0 (θ = 8) *gains* 0.8 points at the change 9 → 7 because 7 is nearer 8
 * than 9 is. Thresholds that only rise make both measures equal: every change costs a model of
 * either the previous concept or concept 0 12.8, 15.2 and 12.8 points (90 → 77.2 → 62.0 → 49.2% for
 * a model of concept 0), and the class balance moves from 24.5% to 75.5% positive around a mean of
 * 50%. `sea-presets.test.ts` measures these drops and trains a logistic regression to confirm them.
 *
 * @example
 * ```ts
 * const concepts = seaDemoConcepts(20000);
 * concepts.map((concept) => concept.start); // => [0, 5000, 10000, 15000]
 * concepts.map((concept) => concept.threshold); // => [7, 9, 11, 13]
 * ```
 */
export function seaDemoConcepts(length: number): SeaConcept[] {
  return blocks(
    length,
    [{ threshold: 7 }, { threshold: 9 }, { threshold: 11 }, { threshold: 13 }],
    'seaDemoConcepts',
  );
}

/**
 * The paper's SEA concepts: four equal blocks with θ = 8, 9, 7, 9.5 (label 1 when x1 + x2 ≤ θ).
 *
 * @example
 * ```ts
 * const concepts = seaClassicConcepts(60000);
 * concepts.map((concept) => concept.start); // => [0, 15000, 30000, 45000]
 * concepts.map((concept) => concept.threshold); // => [8, 9, 7, 9.5]
 * ```
 *
 * @see W. Nick Street and YongSeog Kim, "A Streaming Ensemble Algorithm (SEA) for Large-Scale
 * Classification", KDD 2001.
 */
export function seaClassicConcepts(length: number): SeaConcept[] {
  return blocks(
    length,
    [{ threshold: 8 }, { threshold: 9 }, { threshold: 7 }, { threshold: 9.5 }],
    'seaClassicConcepts',
  );
}

/**
 * Data drift without concept drift: two equal blocks with θ = 10; in the second, x1 moves up by 3
 * and x2 down by 3. The marginals of x1 and x2 change (PSI alerts), but x1 + x2 keeps its
 * distribution and the rule is the same, so the class balance (50%) and the accuracy of a model
 * of the first block do not change: a control for alerts that should not trigger a retrain.
 *
 * @example
 * ```ts
 * const [before, after] = seaDataDriftConcepts(1000);
 * [before.start, after.start]; // => [0, 500]
 * after.shift; // => {"x1": 3, "x2": -3}
 * ```
 */
export function seaDataDriftConcepts(length: number): SeaConcept[] {
  return blocks(
    length,
    [{ threshold: 10 }, { threshold: 10, shift: { x1: 3, x2: -3 } }],
    'seaDataDriftConcepts',
  );
}
