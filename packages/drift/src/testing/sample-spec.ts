/**
 * Samples for the golden fixtures under test/fixtures/drift/{scipy,evidently}: either the values
 * themselves or a seed to draw them from. The generator scripts there follow the same rule, using
 * + − × ÷ and floor only, so both sides hold the same doubles bit for bit.
 */
import { mulberry32 } from '../random.js';

export type SampleSpec =
  { values: number[] } | { seed: number; length: number; mean: number; std: number; step?: number };

/** `mean + std · (Σ of 12 uniforms − 6)`, snapped to `floor(v / step + 0.5) · step` if `step`. */
export function sampleFromSpec(spec: SampleSpec): number[] {
  if ('values' in spec) return spec.values;
  const random = mulberry32(spec.seed);
  const values: number[] = [];
  for (let i = 0; i < spec.length; i++) {
    let total = 0;
    for (let draw = 0; draw < 12; draw++) total += random();
    const value = spec.mean + spec.std * (total - 6);
    values.push(spec.step === undefined ? value : Math.floor(value / spec.step + 0.5) * spec.step);
  }
  return values;
}
