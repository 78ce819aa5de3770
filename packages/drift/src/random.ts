/**
 * A seeded pseudo-random source. Algorithms that sample (KSWIN) take one of these instead of
 * reaching for `Math.random`, so every run is reproducible.
 */
export type Random = () => number;

/**
 * Mulberry32: 32-bit state, uniform doubles in [0, 1). Chosen because it is a few integer
 * operations that Java, Python and JavaScript compute identically, so golden streams can be
 * regenerated bit for bit by the reference harnesses under `test/fixtures/`.
 *
 * @example
 * ```ts
 * const random = mulberry32(42);
 * random(); // => 0.6011037519201636
 * random(); // => 0.44829055899754167
 * ```
 */
export function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
