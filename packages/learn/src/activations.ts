import type { MlpActivation } from './trained-model.js';

/** The logistic function, in the form that cannot overflow for either sign of `x`. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** log(1 + e^x) without overflow: the log-loss of a logit is softplus(±logit). */
export function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

export function activate(activation: MlpActivation, x: number): number {
  return activation === 'tanh' ? Math.tanh(x) : x > 0 ? x : 0;
}

/** The activation's derivative, written in terms of its output `a` (which the forward pass kept). */
export function activationSlope(activation: MlpActivation, a: number): number {
  return activation === 'tanh' ? 1 - a * a : a > 0 ? 1 : 0;
}

/**
 * Softmax of `values[offset … offset + count)` in place: the largest is subtracted before `exp`,
 * so no logit overflows, and the sum is taken in class order (the order of the exported graph).
 */
export function softmaxInPlace(values: Float64Array, offset: number, count: number): void {
  let max = -Infinity;
  for (let k = 0; k < count; k++) max = Math.max(max, values[offset + k] ?? 0);
  let sum = 0;
  for (let k = 0; k < count; k++) {
    const e = Math.exp((values[offset + k] ?? 0) - max);
    values[offset + k] = e;
    sum += e;
  }
  for (let k = 0; k < count; k++) values[offset + k] = (values[offset + k] ?? 0) / sum;
}

/** log Σ exp(values[offset … offset + count)), without overflow. */
export function logSumExp(values: Float64Array, offset: number, count: number): number {
  let max = -Infinity;
  for (let k = 0; k < count; k++) max = Math.max(max, values[offset + k] ?? 0);
  let sum = 0;
  for (let k = 0; k < count; k++) sum += Math.exp((values[offset + k] ?? 0) - max);
  return max + Math.log(sum);
}
