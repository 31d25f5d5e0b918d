/** Below this mean, inversion from 0 is cheapest; above it, inversion searches outward from the mode. */
const INVERSION_MAX_MEAN = 10;

/**
 * Exact Binomial(n, p) draws from the caller's seeded uniform generator: inversion from 0 when n·p is small, else
 * inversion in the order mode, mode+1, mode−1, mode+2, … (O(√(npq)) expected steps). Until issue 12 this used
 * stdlib's BTRD, whose draws came out biased upwards (≈ +0.3 on Binomial(294, ½), 1.5–2 standard errors over 2000
 * draws, with Math.random too): that bias moved the centre of every bootstrap distribution, which the BCa
 * interval's bias correction then doubled (docs/decisions/129).
 */
export function seededBinomial(random: () => number): (n: number, p: number) => number {
  const draw = (n: number, p: number): number => {
    if (n <= 0 || p <= 0) return 0;
    if (p >= 1) return n;
    if (p > 0.5) return n - draw(n, 1 - p);
    return n * p < INVERSION_MAX_MEAN ? inversion(random, n, p) : modeSearch(random, n, p);
  };
  return draw;
}

/** Inversion over outcomes ordered outward from the mode; any fixed order of outcomes gives an exact sampler. */
function modeSearch(random: () => number, n: number, p: number): number {
  const q = 1 - p;
  const mode = Math.min(n, Math.floor((n + 1) * p));
  const modeMass = Math.exp(logFactorial(n) - logFactorial(mode) - logFactorial(n - mode) + mode * Math.log(p) + (n - mode) * Math.log(q));
  for (;;) {
    let u = random() - modeMass;
    if (u < 0) return mode;
    let up = mode;
    let upMass = modeMass;
    let down = mode;
    let downMass = modeMass;
    while (up < n || down > 0) {
      if (up < n) {
        upMass *= ((n - up) / (up + 1)) * (p / q);
        up++;
        u -= upMass;
        if (u < 0) return up;
      }
      if (down > 0) {
        downMass *= (down / (n - down + 1)) * (q / p);
        down--;
        u -= downMass;
        if (u < 0) return down;
      }
    }
    // Rounding left u above the whole mass: draw again (as BINV does).
  }
}

const SMALL_LOG_FACTORIALS = Array.from({ length: 32 }, (_, k) => {
  let s = 0;
  for (let i = 2; i <= k; i++) s += Math.log(i);
  return s;
});

/** ln(k!): exact sums below 32, Stirling's series with three correction terms above (error < 1e-13). */
function logFactorial(k: number): number {
  if (k < SMALL_LOG_FACTORIALS.length) return SMALL_LOG_FACTORIALS[k];
  const x = k + 1;
  return (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * x) - 1 / (360 * x ** 3) + 1 / (1260 * x ** 5);
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
