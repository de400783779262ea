// Python's '{:.Nf}' and '{:.Ne}' for doubles, digit for digit.
//
// Python rounds the exact binary value half-to-even. JS toFixed/toExponential
// also start from the exact value but break ties away from zero, toFixed gives
// up above 1e21, and toExponential writes 'e+5' where Python writes 'e+05'.
// Working on the exact value as a BigInt ratio sidesteps all three.

const view = new DataView(new ArrayBuffer(8));
const MANTISSA_MASK = (1n << 52n) - 1n;

/** Splits a finite positive double into an integer mantissa m and exponent e with x = m * 2^e. */
function decompose(x: number): [bigint, number] {
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const biased = Number(bits >> 52n);
  const frac = bits & MANTISSA_MASK;
  return biased === 0 ? [frac, -1074] : [frac | (1n << 52n), biased - 1075];
}

/** round_half_even(m * 2^e * 10^k), exactly. */
function scaledRound(m: bigint, e: number, k: number): bigint {
  let num = m;
  let den = 1n;
  if (e >= 0) num <<= BigInt(e);
  else den <<= BigInt(-e);
  if (k >= 0) num *= 10n ** BigInt(k);
  else den *= 10n ** BigInt(-k);
  const q = num / den;
  const twiceRem = (num % den) * 2n;
  if (twiceRem > den || (twiceRem === den && (q & 1n) === 1n)) return q + 1n;
  return q;
}

/** Python spells non-finite values without a sign for NaN, whatever its sign bit. */
function nonFinite(x: number): string | null {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  return null;
}

// Python keeps the sign of -0.0 and of negatives that round to zero ('-0.00').
const signOf = (x: number): string => (x < 0 || Object.is(x, -0) ? '-' : '');

/** Python's `'{:.<digits>f}'.format(x)`. */
export function formatFixed(x: number, digits: number): string {
  const special = nonFinite(x);
  if (special !== null) return special;
  const n = x === 0 ? 0n : scaledRound(...decompose(Math.abs(x)), digits);
  if (digits === 0) return signOf(x) + n.toString();
  const s = n.toString().padStart(digits + 1, '0');
  return `${signOf(x)}${s.slice(0, -digits)}.${s.slice(-digits)}`;
}

/** Python's `'{:.<digits>e}'.format(x)`. */
export function formatExp(x: number, digits: number): string {
  const special = nonFinite(x);
  if (special !== null) return special;
  let exp = 0;
  let n = 0n;
  if (x !== 0) {
    const [m, e] = decompose(Math.abs(x));
    const lo = 10n ** BigInt(digits);
    const hi = lo * 10n;
    // log10 only estimates the decimal exponent; the exact check below settles it,
    // including the carry when rounding turns 9.99995 into 10.000.
    exp = Math.floor(Math.log10(Math.abs(x)));
    n = scaledRound(m, e, digits - exp);
    if (n < lo) n = scaledRound(m, e, digits - --exp);
    if (n >= hi) n = scaledRound(m, e, digits - ++exp);
  }
  const s = n.toString().padStart(digits + 1, '0');
  const mantissa = digits === 0 ? s : `${s[0]}.${s.slice(1)}`;
  const expSign = exp < 0 ? '-' : '+';
  return `${signOf(x)}${mantissa}e${expSign}${String(Math.abs(exp)).padStart(2, '0')}`;
}
