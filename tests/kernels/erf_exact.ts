// erf and erfc to far beyond double precision, for judging the kernels'
// erf/gelu. JS has no Math.erf, and any double-precision formula would share
// the cancellation problems the kernels have; this one sums the Taylor
// series in 320-bit fixed point (BigInt), so it is slow but trustworthy.
const P = 320n;
const ONE = 1n << P;

function atanInverse(k: bigint): bigint {
  let sum = 0n;
  let term = ONE / k;
  let n = 1n;
  let sign = 1n;
  const k2 = k * k;
  while (term !== 0n) {
    sum += (sign * term) / n;
    term /= k2;
    n += 2n;
    sign = -sign;
  }
  return sum;
}

function isqrt(v: bigint): bigint {
  let x = 1n << BigInt(Math.ceil(v.toString(2).length / 2));
  for (;;) {
    const y = (x + v / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

// Machin: pi = 16 atan(1/5) - 4 atan(1/239)
const PI = 16n * atanInverse(5n) - 4n * atanInverse(239n);
const TWO_OVER_SQRT_PI = (2n * ONE * ONE) / isqrt(PI << P);

/** x (a double) in fixed point, exactly up to 2^-320. */
function toFixed(x: number): bigint {
  if (Math.abs(x) < 2 ** -330) return 0n;
  const e = Math.floor(Math.log2(Math.abs(x)));
  // x = m * 2^(e-60) with m an integer of about 61 bits (exact for doubles)
  const m = BigInt(Math.round(x * 2 ** (60 - e)));
  const shift = P + BigInt(e - 60);
  return shift >= 0n ? m << shift : m >> -shift;
}

const cache = new Map<number, bigint>();

/** erf(x) in fixed point (scaled by 2^320). */
function erfFixed(x: number): bigint {
  if (x >= 6) return ONE - erfcTailFixed(x);
  if (x <= -6) return -(ONE - erfcTailFixed(-x));
  let r = cache.get(x);
  if (r !== undefined) return r;
  const xf = toFixed(x);
  const x2 = (xf * xf) >> P;
  // erf(x) = 2/sqrt(pi) * sum (-1)^n x^(2n+1) / (n! (2n+1))
  let term = xf;
  let sum = 0n;
  for (let n = 0n; term !== 0n; n++) {
    const t = term / (2n * n + 1n);
    sum += n % 2n === 0n ? t : -t;
    term = (term * x2) >> P;
    term /= n + 1n;
  }
  r = (sum * TWO_OVER_SQRT_PI) >> P;
  cache.set(x, r);
  return r;
}

/** erfc for x >= 6 is below 2e-17: good enough as 0 next to 1, but gelu needs its size. */
function erfcTailFixed(x: number): bigint {
  // asymptotic: erfc(x) ~ e^-x^2 / (x sqrt(pi)) (1 - 1/(2x^2) + 3/(4x^4)); relative error < 1e-4 at x = 6
  const v = (Math.exp(-x * x) / (x * Math.sqrt(Math.PI))) * (1 - 1 / (2 * x * x) + 3 / (4 * x ** 4));
  return toFixed(v);
}

const toNumber = (f: bigint): number => Number(f) / 2 ** Number(P);

export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x === Infinity) return 1;
  if (x === -Infinity) return -1;
  if (Math.abs(x) < 1e-9) return x * (2 / Math.sqrt(Math.PI)) * (1 - (x * x) / 3);
  return toNumber(erfFixed(x));
}

export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x === Infinity) return 0;
  if (x === -Infinity) return 2;
  if (x >= 6) return toNumber(erfcTailFixed(x));
  return toNumber(ONE - erfFixed(x));
}
