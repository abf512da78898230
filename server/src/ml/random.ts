/** A seeded pseudo-random source: the same seed always yields the same sequence. Not for cryptography. */
export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** A uniform integer in [lo, hi], both ends included. */
  int(lo: number, hi: number): number;
  pick<T>(items: readonly T[]): T;
  /** An index drawn with probability proportional to its (non-negative) weight. */
  weighted(weights: readonly number[]): number;
  /** A standard normal sample (mean 0, variance 1). */
  normal(): number;
}

const TWO_TO_32 = 4_294_967_296;

/** mulberry32: 32 bits of state, fast, and well distributed enough for sampling music and initialising weights. */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), state | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / TWO_TO_32;
  };
  return {
    next,
    int: (lo, hi) => drawInt(next, lo, hi),
    pick: (items) => {
      if (items.length === 0) throw new RangeError("cannot pick from an empty list");
      return items[drawInt(next, 0, items.length - 1)]!;
    },
    weighted: (weights) => drawWeighted(next, weights),
    normal: () => boxMuller(next),
  };
}

function drawInt(next: () => number, lo: number, hi: number): number {
  if (!Number.isInteger(lo) || !Number.isInteger(hi) || lo > hi) {
    throw new RangeError(`int(lo, hi) needs integers with lo <= hi, got ${lo} and ${hi}`);
  }
  return lo + Math.floor(next() * (hi - lo + 1));
}

function drawWeighted(next: () => number, weights: readonly number[]): number {
  if (weights.some((weight) => !(weight >= 0) || !Number.isFinite(weight))) {
    throw new RangeError("weights must be finite and non-negative");
  }
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  if (total <= 0) throw new RangeError("at least one weight must be positive");
  let remaining = next() * total;
  for (const [index, weight] of weights.entries()) {
    remaining -= weight;
    if (remaining < 0) return index;
  }
  // Rounding can leave a sliver past the last weight; it belongs to the last positive one.
  return weights.findLastIndex((weight) => weight > 0);
}

function boxMuller(next: () => number): number {
  const radius = Math.sqrt(-2 * Math.log(1 - next()));
  return radius * Math.cos(2 * Math.PI * next());
}
