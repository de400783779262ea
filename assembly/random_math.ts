// Float arithmetic exactly as PyTorch's x86-64 build performs it for random
// numbers. Two things make that build differ from plain IEEE code:
//  * GCC compiles the AVX2 kernels with -mfma and contracts `a * b + c`
//    into one fused multiply-add (one rounding instead of two). Wasm has no
//    deterministic fma, so fmaf/fma below emulate it exactly.
//  * normal_ on float32 uses a Cephes-derived AVX2 log and sincos (the
//    avx_mathfun.h approximations), not libm. logCephes/sincosCephes
//    redo those polynomials step by step, with the contractions GCC makes.
// Every constant is written as a double and narrowed to f32, as the C
// tables do; a literal parsed straight to f32 could round differently.

/** Correctly rounded f32 a*b+c. */
export function fmaf(a: f32, b: f32, c: f32): f32 {
  const xy = <f64>a * <f64>b; // exact: two 24-bit mantissas fit in 53 bits
  const cd = <f64>c;
  const r = xy + cd;
  const bits = reinterpret<u64>(r);
  // Rounding r to f32 can only go wrong when r sits exactly halfway between
  // two floats (its low 29 bits are 1 followed by zeros) and r itself was rounded.
  if ((bits & 0x1fffffff) != 0x10000000 || ((bits >> 52) & 0x7ff) == 0x7ff) return <f32>r;
  const err = twoSumErr(xy, cd, r);
  if (err == 0) return <f32>r;
  // step r one f64 ulp toward the true sum so the tie breaks the right way
  const up = (err > 0) == (r > 0);
  return <f32>reinterpret<f64>(up ? bits + 1 : bits - 1);
}

/** The rounding error of s = a + b (Knuth's TwoSum): a + b == s + err exactly. */
@inline function twoSumErr(a: f64, b: f64, s: f64): f64 {
  const bb = s - a;
  return (a - (s - bb)) + (b - bb);
}

/** Veltkamp split: the high half of x (26 bits), so products of halves are exact. */
@inline function highHalf(x: f64): f64 {
  const c = 134217729.0 * x; // 2^27 + 1
  return c - (c - x);
}

/**
 * Correctly rounded f64 a*b+c (Boldo and Melquiond's emulation): the exact
 * product and sum as double-double pairs, the low parts added with
 * round-to-odd, then one final round-to-nearest. Assumes no overflow or
 * underflow, which holds for the means, stds and bounds random fills use.
 */
export function fma(a: f64, b: f64, c: f64): f64 {
  const ph = a * b;
  if (!isFinite(ph) || ph == 0) return ph + c;
  const ah = highHalf(a), al = a - ah;
  const bh = highHalf(b), bl = b - bh;
  const pl = ((ah * bh - ph) + ah * bl + al * bh) + al * bl;
  const sh = ph + c;
  const sl = twoSumErr(ph, c, sh);
  const v = sl + pl;
  const ve = twoSumErr(sl, pl, v);
  let odd = v;
  const vbits = reinterpret<u64>(v);
  if (ve != 0 && (vbits & 1) == 0) {
    // round to odd: take the neighbour of v on the side of the true value
    odd = reinterpret<f64>((ve > 0) == (v > 0) ? vbits + 1 : vbits - 1);
  }
  return sh + odd;
}

// ---- avx_mathfun.h log256_ps, lane by lane ---------------------------------

const SQRTHF: f32 = <f32>0.707106781186547524;
const LOG_P0: f32 = <f32>7.0376836292e-2;
const LOG_P1: f32 = <f32>-1.1514610310e-1;
const LOG_P2: f32 = <f32>1.1676998740e-1;
const LOG_P3: f32 = <f32>-1.2420140846e-1;
const LOG_P4: f32 = <f32>1.4249322787e-1;
const LOG_P5: f32 = <f32>-1.6668057665e-1;
const LOG_P6: f32 = <f32>2.0000714765e-1;
const LOG_P7: f32 = <f32>-2.4999993993e-1;
const LOG_P8: f32 = <f32>3.3333331174e-1;
const LOG_Q1: f32 = <f32>-2.12194440e-4;
const LOG_Q2: f32 = <f32>0.693359375;

/** log(x) for x in (0, 1] (normal_ only feeds 1 - u with u in [0, 1)). */
export function logCephes(x: f32): f32 {
  const ix = reinterpret<u32>(x);
  let e = <f32>(<i32>(ix >> 23) - 127) + 1.0;
  // mantissa scaled into [0.5, 1)
  let m = reinterpret<f32>((ix & ~0x7f800000) | reinterpret<u32>(<f32>0.5));
  const small = m < SQRTHF;
  const tmp: f32 = small ? m : 0;
  m = m - 1;
  e = e - (small ? <f32>1 : <f32>0);
  m = m + tmp;
  const z = m * m;
  let y = fmaf(LOG_P0, m, LOG_P1);
  y = fmaf(y, m, LOG_P2);
  y = fmaf(y, m, LOG_P3);
  y = fmaf(y, m, LOG_P4);
  y = fmaf(y, m, LOG_P5);
  y = fmaf(y, m, LOG_P6);
  y = fmaf(y, m, LOG_P7);
  y = fmaf(y, m, LOG_P8);
  y = y * m;
  // GCC fuses the earlier product (y*z) with the add; e*q1 stays a plain product
  y = fmaf(y, z, e * LOG_Q1);
  y = y - z * 0.5; // z*0.5 is exact, so fusing would not change it
  m = m + y;
  return m + e * LOG_Q2; // e*q2 is exact by construction of q2
}

// ---- avx_mathfun.h sincos256_ps, lane by lane ------------------------------

const FOPI: f32 = <f32>1.27323954473516; // 4 / pi
const DP1: f32 = <f32>-0.78515625;
const DP2: f32 = <f32>-2.4187564849853515625e-4;
const DP3: f32 = <f32>-3.77489497744594108e-8;
const SIN_P0: f32 = <f32>-1.9515295891e-4;
const SIN_P1: f32 = <f32>8.3321608736e-3;
const SIN_P2: f32 = <f32>-1.6666654611e-1;
const COS_P0: f32 = <f32>2.443315711809948e-5;
const COS_P1: f32 = <f32>-1.388731625493765e-3;
const COS_P2: f32 = <f32>4.166664568298827e-2;

export let sinOut: f32 = 0;
export let cosOut: f32 = 0;

/** sin and cos of x >= 0 (normal_ only passes 2*pi*u), into sinOut / cosOut. */
export function sincosCephes(x: f32): void {
  // octant j, rounded up to even, and x reduced by j*pi/4 in three exact-ish steps
  const j = (<i32>(x * FOPI) + 1) & ~1;
  const y = <f32>j;
  x = fmaf(y, DP1, x);
  x = fmaf(y, DP2, x);
  x = fmaf(y, DP3, x);
  const z = x * x;
  let c = fmaf(COS_P0, z, COS_P1);
  c = fmaf(c, z, COS_P2);
  c = c * z;
  c = fmaf(c, z, -(z * 0.5)); // y*z fused with the subtraction of the exact z/2
  c = c + 1;
  let s = fmaf(SIN_P0, z, SIN_P1);
  s = fmaf(s, z, SIN_P2);
  s = s * z;
  s = fmaf(s, x, x);
  const sinPoly = (j & 2) == 0;
  let sv = sinPoly ? s : c;
  let cv = sinPoly ? c : s;
  if ((j & 4) != 0) sv = -sv;
  if (((~(j - 2)) & 4) != 0) cv = -cv;
  sinOut = sv;
  cosOut = cv;
}
