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

/**
 * A draw of an index in proportion to `weights` (non-negative, not all 0; they need not sum to 1),
 * by one uniform number and a scan of the cumulative weights: for the few bins of a histogram.
 *
 * @example
 * ```ts
 * const draw = categoricalSampler([1, 0, 3]);
 * const random = mulberry32(5);
 * const counts = [0, 0, 0];
 * for (let i = 0; i < 4000; i++) counts[draw(random)]++;
 * counts[1]; // => 0
 * counts[2] > 2 * counts[0]; // => true
 * ```
 */
export function categoricalSampler(weights: ArrayLike<number>): (random: Random) => number {
  const cumulative = new Float64Array(weights.length);
  let total = 0;
  for (let i = 0; i < weights.length; i++) cumulative[i] = total += weights[i] ?? 0;
  const last = weights.length - 1;
  return (random) => {
    const u = random() * total;
    let index = 0;
    // Rounding may leave a draw at or past the last cumulative weight: it is the last index.
    while (index < last && u >= (cumulative[index] ?? Infinity)) index++;
    return index;
  };
}

/**
 * A standard normal draw (Box–Muller) from two uniform ones: for simulations whose null is
 * normal by the central limit theorem.
 *
 * @example
 * ```ts
 * const random = mulberry32(9);
 * const draws = Array.from({ length: 20_000 }, () => standardNormal(random));
 * Math.abs(draws.reduce((sum, x) => sum + x, 0) / draws.length) < 0.03; // => true
 * ```
 */
export function standardNormal(random: Random): number {
  const u = 1 - random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** The state of a generator {@link mulberry32} made, or `undefined` for any other `Random`. */
export function mulberry32State(random: Random): number | undefined {
  return madeByMulberry32.has(random) ? (random as SeededRandom).state() : undefined;
}
