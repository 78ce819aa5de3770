const ADAM_BETA1 = 0.9;
const ADAM_BETA2 = 0.999;
const ADAM_EPSILON = 1e-8;

/**
 * Adam over a fixed list of parameter arrays, updated in place: β₁ = 0.9, β₂ = 0.999, ε = 1e-8,
 * bias-corrected moments, and an L2 term `decay[i] · p` added to array i's gradient (weight decay
 * on the weights, 0 on the biases).
 *
 * @see Kingma and Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015.
 */
export class Adam {
  readonly #parameters: readonly Float64Array[];
  readonly #decay: readonly number[];
  readonly #learningRate: number;
  readonly #firstMoments: Float64Array[];
  readonly #secondMoments: Float64Array[];
  #step = 0;

  constructor(parameters: readonly Float64Array[], decay: readonly number[], learningRate: number) {
    this.#parameters = parameters;
    this.#decay = decay;
    this.#learningRate = learningRate;
    this.#firstMoments = parameters.map((p) => new Float64Array(p.length));
    this.#secondMoments = parameters.map((p) => new Float64Array(p.length));
  }

  /** One step against `gradients`, one array per parameter array, in the same order. */
  step(gradients: readonly Float64Array[]): void {
    this.#step++;
    const correction1 = 1 - ADAM_BETA1 ** this.#step;
    const correction2 = 1 - ADAM_BETA2 ** this.#step;
    for (const [index, p] of this.#parameters.entries()) {
      const g = gradients[index] as Float64Array;
      const m = this.#firstMoments[index] as Float64Array;
      const v = this.#secondMoments[index] as Float64Array;
      const decay = this.#decay[index] ?? 0;
      for (let k = 0; k < p.length; k++) {
        const gradient = (g[k] ?? 0) + decay * (p[k] ?? 0);
        const mk = ADAM_BETA1 * (m[k] ?? 0) + (1 - ADAM_BETA1) * gradient;
        const vk = ADAM_BETA2 * (v[k] ?? 0) + (1 - ADAM_BETA2) * gradient * gradient;
        m[k] = mk;
        v[k] = vk;
        p[k] =
          (p[k] ?? 0) -
          (this.#learningRate * (mk / correction1)) / (Math.sqrt(vk / correction2) + ADAM_EPSILON);
      }
    }
  }
}
