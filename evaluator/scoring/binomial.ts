import stdlibBinomial from '@stdlib/random-base-binomial';

/** Below this mean, inversion is faster than BTRD's setup (the usual switch point, also stdlib's). */
const INVERSION_MAX_MEAN = 10;

/**
 * Exact Binomial(n, p) draws from the caller's seeded uniform generator, in O(1) expected time: inversion when
 * n·p is small and stdlib's BTRD (Hörmann 1993) otherwise. stdlib alone would flip n coins for a small mean.
 */
export function seededBinomial(random: () => number): (n: number, p: number) => number {
  const btrd = stdlibBinomial.factory({ prng: random });
  const draw = (n: number, p: number): number => {
    if (n <= 0 || p <= 0) return 0;
    if (p >= 1) return n;
    if (p > 0.5) return n - draw(n, 1 - p);
    return n * p < INVERSION_MAX_MEAN ? inversion(random, n, p) : btrd(n, p);
  };
  return draw;
}

/** BINV (Kachitvichyanukul & Schmeiser 1988): walk the probability mass function from 0 until u is used up. */
function inversion(random: () => number, n: number, p: number): number {
  const q = 1 - p;
  const odds = p / q;
  const a = (n + 1) * odds;
  const start = q ** n;
  for (;;) {
    let mass = start;
    let u = random();
    let x = 0;
    while (u > mass && x < n) {
      u -= mass;
      x++;
      mass *= a / x - odds;
    }
    // Rounding can leave u above the whole mass; the standard remedy is a fresh draw.
    if (u <= mass) return x;
  }
}

/**
 * Multinomial(total; weights/total) counts by conditional binomials: category j gets
 * Binomial(picks left, weight_j / weight left). `weights` are integer counts summing to `total`.
 */
export function drawMultinomial(binomial: (n: number, p: number) => number, weights: ArrayLike<number>, total: number, out: Float64Array): void {
  let picksLeft = total;
  let weightLeft = total;
  const last = weights.length - 1;
  for (let j = 0; j < last; j++) {
    const c = picksLeft === 0 ? 0 : binomial(picksLeft, weights[j] / weightLeft);
    out[j] = c;
    picksLeft -= c;
    weightLeft -= weights[j];
  }
  out[last] = picksLeft;
}
