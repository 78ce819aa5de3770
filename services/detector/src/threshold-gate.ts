export interface ThresholdGateOptions {
  /** `below`: fire when the value drops under the threshold; `above`: when it rises over it. */
  direction: 'below' | 'above';
  /** How far back past the threshold the value must come before the gate fires again. */
  rearmMargin: (threshold: number) => number;
}

export interface ThresholdGateState {
  armed: boolean;
}

/**
 * Re-arming for a threshold rule (hysteresis): it fires once when the value crosses the threshold, and not
 * again until the value has recovered past threshold ± margin. A metric hovering around its
 * threshold therefore raises one alert, not one per record.
 *
 * @example
 * ```ts
 * const gate = new ThresholdGate({ direction: 'below', rearmMargin: () => 0.05 });
 * [0.9, 0.7, 0.6, 0.82, 0.86, 0.7].map((accuracy) => gate.check(accuracy, 0.8));
 * // => [false, true, false, false, false, true]
 * ```
 */
export class ThresholdGate {
  readonly #options: ThresholdGateOptions;
  #armed: boolean;

  constructor(options: ThresholdGateOptions, state: ThresholdGateState = { armed: true }) {
    this.#options = options;
    this.#armed = state.armed;
  }

  /** Returns true when this value fires the rule. */
  check(value: number, threshold: number): boolean {
    const margin = this.#options.rearmMargin(threshold);
    const below = this.#options.direction === 'below';
    const crossed = below ? value < threshold : value > threshold;
    if (this.#armed && crossed) {
      this.#armed = false;
      return true;
    }
    const recovered = below ? value >= threshold + margin : value <= threshold - margin;
    if (!this.#armed && recovered) this.#armed = true;
    return false;
  }

  get armed(): boolean {
    return this.#armed;
  }

  toJSON(): ThresholdGateState {
    return { armed: this.#armed };
  }
}
