import { solveSymmetricPositiveDefinite } from './cholesky.js';
import { LearnError } from './errors.js';

/** A smooth, strictly convex objective over `size` parameters, with its exact derivatives. */
export interface NewtonObjective {
  readonly size: number;
  value(beta: Float64Array): number;
  /** The gradient and the row-major `size × size` Hessian at `beta`. */
  derivatives(beta: Float64Array): { gradient: Float64Array; hessian: Float64Array };
}

export interface NewtonResult {
  readonly beta: Float64Array;
  /** Newton iterations taken. */
  readonly iterations: number;
  /** Largest gradient component at `beta` (≤ the tolerance). */
  readonly gradientMaxAbs: number;
}

/**
 * Newton's method with an Armijo backtracking line search, from `start` until every gradient
 * component is at most `tolerance`. `what` names the model in `DW_LEARN_NOT_CONVERGED` messages.
 * Deterministic: plain float64 arithmetic in fixed loops.
 */
export function minimizeByNewton(
  objective: NewtonObjective,
  start: Float64Array,
  options: { maxIterations: number; tolerance: number; what: string },
): NewtonResult {
  const { maxIterations, tolerance, what } = options;
  const size = objective.size;
  let beta = start;
  let value = objective.value(beta);
  for (let iteration = 0; ; iteration++) {
    const { gradient, hessian } = objective.derivatives(beta);
    const gradientMaxAbs = maxAbs(gradient);
    if (gradientMaxAbs <= tolerance) return { beta, iterations: iteration, gradientMaxAbs };
    if (iteration === maxIterations) {
      throw new LearnError(
        'DW_LEARN_NOT_CONVERGED',
        `${what} did not converge in ${maxIterations} Newton iterations: largest gradient component ${gradientMaxAbs} > tolerance ${tolerance}`,
      );
    }
    // The Hessian is positive definite in exact arithmetic; if rounding says otherwise, a
    // gradient step (with the same line search) still makes progress.
    const direction = solveSymmetricPositiveDefinite(hessian, gradient, size) ?? gradient;
    let decrement = 0;
    for (let k = 0; k < size; k++) decrement += (gradient[k] ?? 0) * (direction[k] ?? 0);
    const current = beta;
    const stepTo = (t: number): Float64Array => current.map((b, k) => b - t * (direction[k] ?? 0));
    // Near the optimum the predicted decrease (decrement / 2) is below the objective's rounding,
    // so comparing values would reject good steps: there the full Newton step is taken as is
    // (it converges quadratically), and the gradient test above decides when to stop.
    if (decrement < 1e-10 * Math.max(1, Math.abs(value))) {
      beta = stepTo(1);
      value = objective.value(beta);
      continue;
    }
    let step = 1;
    let candidate = stepTo(step);
    let candidateValue = objective.value(candidate);
    // Armijo: accept a step that achieves a tenth of the decrease its slope promises.
    while (candidateValue > value - 1e-4 * step * decrement) {
      step /= 2;
      if (step < 1e-12) {
        throw new LearnError(
          'DW_LEARN_NOT_CONVERGED',
          `${what} line search failed at iteration ${iteration}: largest gradient component ${gradientMaxAbs}`,
        );
      }
      candidate = stepTo(step);
      candidateValue = objective.value(candidate);
    }
    beta = candidate;
    value = candidateValue;
  }
}

function maxAbs(values: Float64Array): number {
  let max = 0;
  for (const value of values) max = Math.max(max, Math.abs(value));
  return max;
}
