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
