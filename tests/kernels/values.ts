// Test values and how results are judged: special values per dtype,
// PyTorch's conversions (as observed on x86 PyTorch 1.13), integer
// wrap-around, and float comparison in ulps.
import { type KDType, type Val, rng } from './harness';

export const fround = Math.fround;
export const INT32_MIN = -(2 ** 31);
export const INT64_MIN = -(2n ** 63n);
export const INT64_MAX = 2n ** 63n - 1n;

const FLOAT_SPECIALS = [0, -0, 1, -1, 0.5, -0.5, 1.5, 2.5, -2.5, 3, -7, 1e-3, 1000, NaN, Infinity, -Infinity, 1e30, -1e-30, 0.25, -0.75, 88, -88, 6];
const I32_SPECIALS = [0, 1, -1, 2, -2, 7, -7, 2 ** 31 - 1, INT32_MIN, 100, -100, 3, 65536];
const I64_SPECIALS = [0n, 1n, -1n, 2n, -2n, 7n, -7n, INT64_MAX, INT64_MIN, 2n ** 40n + 3n, -(2n ** 33n), 2n ** 53n + 1n, 100n, 3n];
const U8_SPECIALS = [0, 1, 2, 3, 7, 127, 128, 200, 254, 255];

/** Which values an op wants: 'any' includes NaN, infinities and huge numbers; 'small' stays in [-3, 3]. */
export type Domain = 'any' | 'small' | 'int-small' | 'nonzero';

/** A buffer filler: position i -> a value of dtype (specials first, then seeded random values). */
export function sampler(dtype: KDType, seed: number, domain: Domain = 'any'): (i: number) => Val {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  return (i) => {
    const special = r() < 0.3;
    switch (dtype) {
      case 'f32':
      case 'f64': {
        const round = dtype === 'f32' ? fround : (x: number) => x;
        if (domain === 'small') return round((r() * 2 - 1) * 3);
        if (domain === 'int-small') return Math.floor(r() * 11) - 5;
        let v = special ? pick(FLOAT_SPECIALS) : (r() * 2 - 1) * pick([1, 4, 40]);
        if (domain === 'nonzero' && v === 0) v = 0.5;
        return round(v);
      }
      case 'i32': {
        if (domain === 'int-small') return Math.floor(r() * 11) - 5;
        let v = special ? pick(I32_SPECIALS) : Math.floor(r() * 2001) - 1000;
        if (domain === 'nonzero' && v === 0) v = 3;
        return v;
      }
      case 'i64': {
        if (domain === 'int-small') return BigInt(Math.floor(r() * 11) - 5);
        let v = special ? pick(I64_SPECIALS) : BigInt(Math.floor(r() * 2001) - 1000);
        if (!special && r() < 0.1) v = BigInt.asIntN(64, (BigInt(Math.floor(r() * 2 ** 32)) << 32n) | BigInt(Math.floor(r() * 2 ** 32)));
        if (domain === 'nonzero' && v === 0n) v = 3n;
        return v;
      }
      case 'u8': {
        if (domain === 'int-small') return Math.floor(r() * 6);
        let v = special ? pick(U8_SPECIALS) : Math.floor(r() * 256);
        if (domain === 'nonzero' && v === 0) v = 3;
        return v;
      }
      case 'bool':
        return (i * 7 + Math.floor(r() * 3)) % 3 === 0 ? 1 : 0;
    }
  };
}

// ---- integer wrap-around ---------------------------------------------------

/** Wraps a bigint into dtype's range, as the kernels' integer arithmetic does. */
export function wrap(dtype: KDType, v: bigint): bigint {
  if (dtype === 'i32') return BigInt.asIntN(32, v);
  if (dtype === 'i64') return BigInt.asIntN(64, v);
  if (dtype === 'u8' || dtype === 'bool') return BigInt.asUintN(8, v);
  throw new Error(`wrap: ${dtype} is not an integer dtype`);
}

export const toBig = (v: Val): bigint => (typeof v === 'bigint' ? v : BigInt(v));
export const fromBig = (dtype: KDType, v: bigint): Val => (dtype === 'i64' ? v : Number(v));

// ---- PyTorch's float -> integer conversion on x86 --------------------------

/** cvttss2si / cvttsd2si: truncation, with NaN and out-of-range values giving INT_MIN. */
export function f2i32(v: number): number {
  return v > -2147483649 && v < 2147483648 ? Math.trunc(v) | 0 : INT32_MIN;
}

export function f2i64(v: number): bigint {
  return v >= -(2 ** 63) && v < 2 ** 63 ? BigInt(Math.trunc(v)) : INT64_MIN;
}

/** A kernel scalar parameter (always an f64) converted to an integer dtype: truncated, then wrapped. */
export function paramInt(dtype: KDType, p: number): bigint {
  return wrap(dtype, Number.isFinite(p) ? BigInt(Math.trunc(p)) : 0n);
}

/** int64 -> float32 with one correct rounding (Number(bigint) then fround would round twice). */
export function bigToF32(v: bigint): number {
  const neg = v < 0n;
  const a = neg ? -v : v;
  const bits = a.toString(2).length;
  if (bits <= 24) return neg ? -Number(a) : Number(a);
  const shift = BigInt(bits - 24);
  let m = a >> shift;
  const rem = a - (m << shift);
  const half = 1n << (shift - 1n);
  if (rem > half || (rem === half && (m & 1n) === 1n)) m++;
  const r = Number(m) * 2 ** Number(shift);
  return neg ? -r : r;
}

/** Converts a value of dtype `from` to dtype `to` with PyTorch's casting rules. */
export function convert(v: Val, from: KDType, to: KDType): Val {
  if (to === 'bool') return (typeof v === 'bigint' ? v !== 0n : v !== 0) ? 1 : 0; // NaN is true
  if (typeof v === 'bigint') {
    if (to === 'f32') return bigToF32(v);
    if (to === 'f64') return Number(v);
    return fromBig(to, wrap(to, v));
  }
  if (from === 'f32' || from === 'f64') {
    if (to === 'f32') return fround(v);
    if (to === 'f64') return v;
    if (to === 'i32') return f2i32(v);
    if (to === 'i64') return f2i64(v);
    // float -> uint8 goes through the int of the source's width
    return from === 'f32' ? f2i32(v) & 255 : Number(BigInt.asUintN(8, f2i64(v)));
  }
  if (to === 'f32') return fround(v);
  if (to === 'f64') return v;
  return fromBig(to, wrap(to, BigInt(v)));
}

// ---- judging results -------------------------------------------------------

export interface Tol {
  /** Allowed distance in units in the last place of the expected value. */
  ulps: number;
  /** Allowed absolute distance (for results that suffer cancellation). */
  atol?: number;
  /** When false, +0 and -0 count as equal. */
  signedZero?: boolean;
}

export const EXACT: Tol = { ulps: 0, signedZero: true };

const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** Distance from |x| to the next representable number of dtype. */
export function ulp(x: number, dtype: 'f32' | 'f64'): number {
  const a = Math.abs(x);
  if (!Number.isFinite(a)) return Infinity;
  if (dtype === 'f32') {
    f32[0] = a;
    u32[0] += 1;
    return f32[0] - fround(a);
  }
  f64[0] = a;
  u64[0] += 1n;
  return f64[0] - a;
}

/** null when got is acceptable for want, else a description. */
export function judge(got: Val, want: Val, dtype: KDType, tol: Tol = EXACT): string | null {
  if (typeof want === 'bigint' || typeof got === 'bigint') return toBig(got) === toBig(want) ? null : `got ${got}, want ${want}`;
  if (dtype !== 'f32' && dtype !== 'f64') return got === want ? null : `got ${got}, want ${want}`;
  if (Number.isNaN(want)) return Number.isNaN(got) ? null : `got ${got}, want NaN`;
  if (Number.isNaN(got)) return `got NaN, want ${want}`;
  if (got === want) {
    if (tol.signedZero && !Object.is(got, want)) return `got ${Object.is(got, -0) ? '-0' : '+0'}, want ${Object.is(want, -0) ? '-0' : '+0'}`;
    return null;
  }
  if (!Number.isFinite(want) || !Number.isFinite(got)) return `got ${got}, want ${want}`;
  const err = Math.abs(got - want);
  const allowed = Math.max(tol.ulps * ulp(want, dtype), tol.atol ?? 0);
  return err <= allowed ? null : `got ${got}, want ${want} (off by ${(err / ulp(want, dtype)).toPrecision(3)} ulp)`;
}

/** Compares two row-major lists; the message names the first few mismatches. */
export function mismatches(got: readonly Val[], want: readonly Val[], dtype: KDType, tol: Tol | ((i: number) => Tol) = EXACT, inputs?: (i: number) => string): string[] {
  const out: string[] = [];
  if (got.length !== want.length) return [`length ${got.length}, want ${want.length}`];
  for (let i = 0; i < want.length && out.length < 5; i++) {
    const t = typeof tol === 'function' ? tol(i) : tol;
    const m = judge(got[i], want[i], dtype, t);
    if (m) out.push(`[${i}]${inputs ? ` (${inputs(i)})` : ''}: ${m}`);
  }
  return out;
}
