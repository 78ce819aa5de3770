import { DriftError } from './errors.js';
import { toJsonNumber, type JsonNumber } from './json-number.js';
import { StateReader } from './state-reader.js';
import { requireBinary } from './input-checks.js';

export interface PrequentialAccuracyOptions {
  /** α in (0, 1]: the weight an outcome loses per later outcome. Default 0.999; 1 is the plain running accuracy. */
  fadingFactor?: number;
}

/**
 * The plain-JSON snapshot of a {@link PrequentialAccuracy} (`toJSON`,
 * `PrequentialAccuracy.fromJSON`).
 */
export interface PrequentialAccuracyState {
  fadingFactor: number;
  /** S: the faded sum of correct outcomes. */
  fadedCorrect: JsonNumber;
  /** N: the faded number of outcomes. */
  fadedCount: JsonNumber;
  count: number;
}

/**
 * Prequential (test-then-train) accuracy with a fading factor: each outcome's weight decays by α
 * per later outcome, so the estimate follows the recent past without keeping a window.
 *
 * After outcomes c₁ … cₙ (1 if correct, 0 if not), with S = c + α·S and N = 1 + α·N:
 *
 *   value = Σₖ αⁿ⁻ᵏ·cₖ / Σₖ αⁿ⁻ᵏ
 *
 * so the effective memory is about 1 / (1 − α) outcomes (1000 for the default 0.999). `value` is
 * NaN before the first outcome.
 *
 * Options: `fadingFactor` α (default 0.999, in (0, 1]).
 *
 * `toJSON()` snapshots it as plain JSON ({@link PrequentialAccuracyState});
 * `PrequentialAccuracy.fromJSON` revives it to continue exactly as if it had never stopped.
 *
 * @example
 * ```ts
 * const accuracy = new PrequentialAccuracy({ fadingFactor: 0.5 });
 * accuracy.update(true);
 * accuracy.update(false);
 * accuracy.update(true);
 * accuracy.value; // => 0.7142857142857143
 * accuracy.count; // => 3
 * ```
 *
 * @see Gama, Sebastião, Rodrigues (2013), "On evaluating stream learning algorithms", Machine
 * Learning 90(3), section 4 (fading factors).
 */
export class PrequentialAccuracy {
  readonly fadingFactor: number;
  #fadedCorrect = 0;
  #fadedCount = 0;
  #count = 0;

  constructor({ fadingFactor = 0.999 }: PrequentialAccuracyOptions = {}) {
    if (!(fadingFactor > 0 && fadingFactor <= 1)) {
      throw new DriftError(
        'DW_DRIFT_INVALID_OPTION',
        `option fadingFactor must be in (0, 1], got ${String(fadingFactor)}`,
      );
    }
    this.fadingFactor = fadingFactor;
  }

  /** Faded share of correct predictions; NaN before the first update. */
  get value(): number {
    return this.#count === 0 ? NaN : this.#fadedCorrect / this.#fadedCount;
  }

  /** Number of outcomes seen (not faded). */
  get count(): number {
    return this.#count;
  }

  /** Revives a PrequentialAccuracy from {@link toJSON}'s output, validating it (`DW_DRIFT_INVALID_STATE`). */
  static fromJSON(state: PrequentialAccuracyState): PrequentialAccuracy {
    const reader = new StateReader('PrequentialAccuracy', state);
    const accuracy = reader.build(
      () => new PrequentialAccuracy({ fadingFactor: reader.finite('fadingFactor') }),
    );
    const count = reader.integer('count');
    const fadedCount = reader.double('fadedCount');
    const fadedCorrect = reader.double('fadedCorrect');
    // N is 0 before the first outcome and at least 1 after it; S is between 0 and N.
    reader.require(
      count === 0 ? fadedCount === 0 && fadedCorrect === 0 : fadedCount >= 1,
      `fadedCount must be 0 with no outcome and at least 1 after one, got ${fadedCount}`,
    );
    reader.require(
      fadedCorrect >= 0 && fadedCorrect <= fadedCount,
      `fadedCorrect must be in [0, fadedCount], got ${fadedCorrect}`,
    );
    accuracy.#fadedCorrect = fadedCorrect;
    accuracy.#fadedCount = fadedCount;
    accuracy.#count = count;
    return accuracy;
  }

  /** The whole state as plain JSON (see {@link PrequentialAccuracyState}), for `fromJSON`. */
  toJSON(): PrequentialAccuracyState {
    return {
      fadingFactor: this.fadingFactor,
      fadedCorrect: toJsonNumber(this.#fadedCorrect),
      fadedCount: toJsonNumber(this.#fadedCount),
      count: this.#count,
    };
  }

  update(correct: boolean): void {
    const hit = requireBinary(correct, 'correct');
    this.#fadedCorrect = hit + this.fadingFactor * this.#fadedCorrect;
    this.#fadedCount = 1 + this.fadingFactor * this.#fadedCount;
    this.#count++;
  }
}
