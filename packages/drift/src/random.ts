/**
 * A seeded pseudo-random source. Algorithms that sample (KSWIN) take one of these instead of
 * reaching for `Math.random`, so every run is reproducible.
 */
export type Random = () => number;

/** A {@link mulberry32} generator: a `Random` that can say where it is in its sequence. */
export interface SeededRandom extends Random {
  /** The 32-bit state; `mulberry32(random.state())` continues the sequence from here. */
  state(): number;
}

/** The generators {@link mulberry32} made, whose `state()` therefore means what it says. */
const madeByMulberry32 = new WeakSet<Random>();

/**
 * Mulberry32: 32-bit state, uniform doubles in [0, 1). Chosen because it is a few integer
 * operations that Java, Python and JavaScript compute identically, so golden streams can be
 * regenerated bit for bit by the reference harnesses under `test/fixtures/`. The seed is the
 * initial state, so `mulberry32(random.state())` resumes a generator where it was (a Kswin
 * snapshot stores its generator that way).
 *
 * @example
 * ```ts
 * const random = mulberry32(42);
 * random(); // => 0.6011037519201636
 * const resumed = mulberry32(random.state());
 * random(); // => 0.44829055899754167
 * resumed(); // => 0.44829055899754167
 * ```
 */
export function mulberry32(seed: number): SeededRandom {
  let state = seed >>> 0;
  const random = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  madeByMulberry32.add(random);
  return Object.assign(random, { state: () => state });
}

/** The state of a generator {@link mulberry32} made, or `undefined` for any other `Random`. */
export function mulberry32State(random: Random): number | undefined {
  return madeByMulberry32.has(random) ? (random as SeededRandom).state() : undefined;
}
