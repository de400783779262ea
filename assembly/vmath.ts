// float32 exp, log, tanh and sigmoid on v128 lanes, for the elementwise and
// softmax kernels. Range reduction (Cody-Waite) plus minimax polynomials in
// the Cephes tradition: about 1 ulp, with infinities, NaN, zeros and
// subnormal results handled lane by lane.
//
// Speed notes (V8, x86-64): a polynomial is a long chain of dependent
// instructions, so the *4 forms work on four vectors step by step, giving
// the CPU independent neighbours (about 2x faster than one vector at a
// time). Clamps use pmin/pmax (f32x4.min/max add NaN and -0 fix-ups), -|x|
// is one OR with the sign bit (abs and neg cost three instructions each),
// and constants come from a static table by broadcast load.

/** 1.5 * 2^23: adding it rounds to an integer held in the low mantissa bits. */
const MAGIC_BITS = 0x4b400000;

// the constant table: an index per name, the values in the same order
const LOG2E = 0, LN2_HI = 1, LN2_LO = 2, EXP_MAX = 3, EXP_MIN = 4, MAGIC = 5;
const E1 = 6, E2 = 7, E3 = 8, E4 = 9, E5 = 10;
const L0 = 11, L1 = 12, L2 = 13, L3 = 14, L4 = 15, L5 = 16, L6 = 17, L7 = 18, L8 = 19;
const T0 = 20, T1 = 21, T2 = 22, T3 = 23, T4 = 24, TANH_NEAR = 25;
const ONE = 26, HALF = 27, TWO = 28, SQRT_HALF = 29, MIN_NORMAL = 30, TWO_23 = 31, NORMAL_LIMIT = 32, MAGIC_BIASED = 33, NORMAL_HIGH = 34;
const S1 = 35, S2 = 36, S3 = 37, S4 = 38;
const K: StaticArray<f32> = [
  1.44269504088896341, 0.693359375, -2.12194440e-4, 88.72283935546875, -103.97208404541015625, 12582912,
  // e^r = 1 + r + r^2 P(r) on |r| <= ln2/2: P fitted for relative error, 0.81 ulp in float32 Horner
  1.3820342719554901e-3, 8.368710055947304e-3, 4.166828468441963e-2, 1.666652113199234e-1, 4.999999403953552e-1,
  // log(1 + m) = m - m^2/2 + m^3 P(m) on m in [sqrt(1/2) - 1, sqrt(2) - 1]
  7.0376836292e-2, -1.1514610310e-1, 1.1676998740e-1, -1.2420140846e-1, 1.4249322787e-1,
  -1.6668057665e-1, 2.0000714765e-1, -2.4999993993e-1, 3.3333331174e-1,
  // tanh(x) = x + x^3 P(x^2) on |x| < 0.625
  -5.70498872745e-3, 2.06390887954e-2, -5.37397155531e-2, 1.33314422036e-1, -3.33332819422e-1, 0.625,
  1, 0.5, 2, 0.707106781186547524, 1.17549435e-38, 8388608,
  // below -87.3, e^x is subnormal; MAGIC + 127 puts the exponent bias into the rounding constant
  -87.3, 12583039,
  // above 88, n = 128 and 2^n needs two factors
  88,
  // a shorter P for sigmoid, whose division rounds again anyway: 2.1 ulp
  8.312969468533993e-3, 4.189002513885498e-2, 1.6667109727859497e-1, 4.9999234080314636e-1,
];
const MANTISSA = 0, HALF_EXPONENT = 1, SIGN = 2, NO_SIGN = 3, BIAS = 4, MAGIC_INT = 5;
const KI: StaticArray<i32> = [0x007fffff, 0x3f000000, 0x80000000, 0x7fffffff, 127, MAGIC_BITS];

@inline function k(i: i32): v128 {
  return v128.load32_splat(changetype<usize>(K) + (<usize>i << 2));
}

@inline function ki(i: i32): v128 {
  return v128.load32_splat(changetype<usize>(KI) + (<usize>i << 2));
}

/** a * b + c; fused (one rounding) in the relaxed add-on, whose transcendentals this file also builds. */
@inline function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

/** 2^n as a float, in two factors, so n = 128 and subnormal results (n < -126) both work. */
@inline function scale2n(e: v128, n: v128): v128 {
  const half = i32x4.shr_s(n, 1); // i32x4.shr_s is arithmetic: it floors negative n
  const s1 = i32x4.shl(i32x4.add(half, ki(BIAS)), 23);
  const s2 = i32x4.shl(i32x4.add(i32x4.sub(n, half), ki(BIAS)), 23);
  return f32x4.mul(f32x4.mul(e, s1), s2);
}

/** e^x on one vector: overflow to inf, underflow to 0, NaN through. */
export function vexp(x: v128): v128 {
  const xc = f32x4.pmin(f32x4.pmax(x, k(EXP_MIN)), k(EXP_MAX));
  const s = madd(xc, k(LOG2E), k(MAGIC));
  const fn = f32x4.sub(s, k(MAGIC));
  const n = i32x4.sub(s, ki(MAGIC_INT));
  const r = f32x4.sub(f32x4.sub(xc, f32x4.mul(fn, k(LN2_HI))), f32x4.mul(fn, k(LN2_LO)));
  let p = madd(k(E1), r, k(E2));
  p = madd(p, r, k(E3));
  p = madd(p, r, k(E4));
  p = madd(p, r, k(E5));
  const y = scale2n(f32x4.add(madd(p, f32x4.mul(r, r), r), k(ONE)), n);
  return expEdges(x, y);
}

function expEdges(x: v128, y: v128): v128 {
  let r = v128.bitselect(f32x4.splat(Infinity), y, f32x4.gt(x, k(EXP_MAX)));
  r = v128.andnot(r, f32x4.lt(x, k(EXP_MIN)));
  return v128.bitselect(x, r, f32x4.ne(x, x));
}

/**
 * e^x of four vectors into dst (16 floats). Blocks whose lanes all give a
 * normal result (-87.3 <= x <= 88, nearly every block in practice) take
 * expNormal4; any other lane (overflow, subnormal, NaN) sends the block to
 * expExact4.
 */
export function exp4(dst: usize, a: v128, b: v128, c: v128, d: v128): void {
  const lo = k(NORMAL_LIMIT), hi = k(NORMAL_HIGH);
  // comparisons with NaN are false, so NaN lanes fail the test too
  const ok = v128.and(
    v128.and(v128.and(f32x4.ge(a, lo), f32x4.le(a, hi)), v128.and(f32x4.ge(b, lo), f32x4.le(b, hi))),
    v128.and(v128.and(f32x4.ge(c, lo), f32x4.le(c, hi)), v128.and(f32x4.ge(d, lo), f32x4.le(d, hi))));
  if (i32x4.all_true(ok)) expNormal4(dst, a, b, c, d);
  else expExact4(dst, a, b, c, d);
}

/**
 * e^x of four vectors known to be <= 0 (or NaN), for softmax after the max
 * shift: only the low end is checked, and the shorter polynomial serves
 * (normalising by the sum rounds again; softmax stays within 3 ulp).
 */
@inline export function expNeg4(dst: usize, a: v128, b: v128, c: v128, d: v128): v128 {
  const lo = k(NORMAL_LIMIT);
  const ok = v128.and(v128.and(f32x4.ge(a, lo), f32x4.ge(b, lo)), v128.and(f32x4.ge(c, lo), f32x4.ge(d, lo)));
  if (i32x4.all_true(ok)) return expPoly4(dst, a, b, c, d, k(MAGIC_BIASED), false, true);
  expExact4(dst, a, b, c, d);
  return f32x4.add(f32x4.add(v128.load(dst), v128.load(dst, 16)), f32x4.add(v128.load(dst, 32), v128.load(dst, 48)));
}

/**
 * The four-vector form of the Cody-Waite reduction and polynomial, step by
 * step across the vectors (the point is the instruction order). The caller
 * passes the rounding constant and makes 2^n from s: with MAGIC_BIASED the
 * exponent bias is already in s's low bits and 2^n is one shift. On that
 * path it also returns the lane-wise sum of the four results (softmax's
 * denominator; inlined callers that ignore it pay nothing).
 */
@inline function expPoly4(dst: usize, a: v128, b: v128, c: v128, d: v128, magic: v128, exact: bool, short: bool = false): v128 {
  const l2e = k(LOG2E);
  const sa = madd(a, l2e, magic), sb = madd(b, l2e, magic), sc = madd(c, l2e, magic), sd = madd(d, l2e, magic);
  const fa = f32x4.sub(sa, magic), fb = f32x4.sub(sb, magic), fc = f32x4.sub(sc, magic), fd = f32x4.sub(sd, magic);
  const h = k(LN2_HI), l = k(LN2_LO);
  let ra = f32x4.sub(a, f32x4.mul(fa, h)), rb = f32x4.sub(b, f32x4.mul(fb, h));
  let rc = f32x4.sub(c, f32x4.mul(fc, h)), rd = f32x4.sub(d, f32x4.mul(fd, h));
  ra = f32x4.sub(ra, f32x4.mul(fa, l)); rb = f32x4.sub(rb, f32x4.mul(fb, l));
  rc = f32x4.sub(rc, f32x4.mul(fc, l)); rd = f32x4.sub(rd, f32x4.mul(fd, l));
  let pa: v128, pb: v128, pc: v128, pd: v128;
  if (short) {
    const p1 = k(S1), p2 = k(S2);
    pa = madd(p1, ra, p2); pb = madd(p1, rb, p2); pc = madd(p1, rc, p2); pd = madd(p1, rd, p2);
    const p3 = k(S3);
    pa = madd(pa, ra, p3); pb = madd(pb, rb, p3); pc = madd(pc, rc, p3); pd = madd(pd, rd, p3);
    const p4 = k(S4);
    pa = madd(pa, ra, p4); pb = madd(pb, rb, p4); pc = madd(pc, rc, p4); pd = madd(pd, rd, p4);
  } else {
    const p1 = k(E1), p2 = k(E2);
    pa = madd(p1, ra, p2); pb = madd(p1, rb, p2); pc = madd(p1, rc, p2); pd = madd(p1, rd, p2);
    const p3 = k(E3);
    pa = madd(pa, ra, p3); pb = madd(pb, rb, p3); pc = madd(pc, rc, p3); pd = madd(pd, rd, p3);
    const p4 = k(E4);
    pa = madd(pa, ra, p4); pb = madd(pb, rb, p4); pc = madd(pc, rc, p4); pd = madd(pd, rd, p4);
    const p5 = k(E5);
    pa = madd(pa, ra, p5); pb = madd(pb, rb, p5); pc = madd(pc, rc, p5); pd = madd(pd, rd, p5);
  }
  const one = k(ONE);
  const ea = f32x4.add(madd(pa, f32x4.mul(ra, ra), ra), one), eb = f32x4.add(madd(pb, f32x4.mul(rb, rb), rb), one);
  const ec = f32x4.add(madd(pc, f32x4.mul(rc, rc), rc), one), ed = f32x4.add(madd(pd, f32x4.mul(rd, rd), rd), one);
  if (exact) {
    const mb = ki(MAGIC_INT);
    v128.store(dst, scale2n(ea, i32x4.sub(sa, mb)));
    v128.store(dst, scale2n(eb, i32x4.sub(sb, mb)), 16);
    v128.store(dst, scale2n(ec, i32x4.sub(sc, mb)), 32);
    v128.store(dst, scale2n(ed, i32x4.sub(sd, mb)), 48);
    return f32x4.splat(0); // (the exact path's edges come after: expExact4's callers sum its stores)
  }
  // the low bits of s hold n + 127: shifted into the exponent field they make 2^n
  const ya = f32x4.mul(ea, i32x4.shl(sa, 23)), yb = f32x4.mul(eb, i32x4.shl(sb, 23));
  const yc = f32x4.mul(ec, i32x4.shl(sc, 23)), yd = f32x4.mul(ed, i32x4.shl(sd, 23));
  v128.store(dst, ya); v128.store(dst, yb, 16); v128.store(dst, yc, 32); v128.store(dst, yd, 48);
  return f32x4.add(f32x4.add(ya, yb), f32x4.add(yc, yd));
}


/**
 * sigmoid(x) from e = e^-|x| (which cannot overflow, and is exactly 0 where
 * it underflows): 1/(1+e) for positive x and e/(1+e) otherwise, both free of
 * cancellation. e <= 1, so the numerator is max(e, x > 0 ? 1 : 0).
 */
@inline function sigmoidFrom(x: v128, e: v128, silu: bool, one: v128): v128 {
  const y = f32x4.div(f32x4.pmax(e, v128.and(f32x4.gt(x, f32x4.splat(0)), one)), f32x4.add(one, e));
  return silu ? f32x4.mul(x, y) : y;
}

/** e^x where every lane is in [-87.3, 88]: 2^n is normal and one shift makes it. */
function expNormal4(dst: usize, a: v128, b: v128, c: v128, d: v128): void {
  expPoly4(dst, a, b, c, d, k(MAGIC_BIASED), false);
}

/** e^x of any lanes: clamped reduction, two-factor 2^n for subnormal results, inf and NaN by mask. */
function expExact4(dst: usize, a: v128, b: v128, c: v128, d: v128): void {
  const lo = k(EXP_MIN), hi = k(EXP_MAX);
  const xa = f32x4.pmin(f32x4.pmax(a, lo), hi), xb = f32x4.pmin(f32x4.pmax(b, lo), hi);
  const xc = f32x4.pmin(f32x4.pmax(c, lo), hi), xd = f32x4.pmin(f32x4.pmax(d, lo), hi);
  expPoly4(dst, xa, xb, xc, xd, k(MAGIC), true);
  // inf, 0 and NaN lanes come from the unclamped input
  v128.store(dst, expEdges(a, v128.load(dst)));
  v128.store(dst, expEdges(b, v128.load(dst, 16)), 16);
  v128.store(dst, expEdges(c, v128.load(dst, 32)), 32);
  v128.store(dst, expEdges(d, v128.load(dst, 48)), 48);
}

/** sigmoid (or silu) of four vectors into dst, through e^-|x|. */
@inline export function sigmoid4(dst: usize, a: v128, b: v128, c: v128, d: v128, silu: bool): void {
  const sign = ki(SIGN), lo = k(NORMAL_LIMIT);
  const na = v128.or(a, sign), nb = v128.or(b, sign), nc = v128.or(c, sign), nd = v128.or(d, sign);
  // -|x| <= 0 cannot overflow: only the low end (and NaN) needs the exact path
  const ok = v128.and(v128.and(f32x4.ge(na, lo), f32x4.ge(nb, lo)), v128.and(f32x4.ge(nc, lo), f32x4.ge(nd, lo)));
  // the division rounds again anyway, so the shorter polynomial does
  if (i32x4.all_true(ok)) expPoly4(dst, na, nb, nc, nd, k(MAGIC_BIASED), false, true);
  else {
    expExact4(dst, na, nb, nc, nd);
    // PyTorch computes 1 / (1 + e^-x): where e^-x overflows (|x| > 88.72) the
    // result is exactly 0 or 1, so e^-|x| must be 0 there, not subnormal
    const far = f32x4.neg(k(EXP_MAX));
    v128.store(dst, v128.andnot(v128.load(dst), f32x4.lt(na, far)));
    v128.store(dst, v128.andnot(v128.load(dst, 16), f32x4.lt(nb, far)), 16);
    v128.store(dst, v128.andnot(v128.load(dst, 32), f32x4.lt(nc, far)), 32);
    v128.store(dst, v128.andnot(v128.load(dst, 48), f32x4.lt(nd, far)), 48);
  }
  // finishing after the stores measured faster than inside the polynomial's interleaving
  const one = k(ONE);
  v128.store(dst, sigmoidFrom(a, v128.load(dst), silu, one));
  v128.store(dst, sigmoidFrom(b, v128.load(dst, 16), silu, one), 16);
  v128.store(dst, sigmoidFrom(c, v128.load(dst, 32), silu, one), 32);
  v128.store(dst, sigmoidFrom(d, v128.load(dst, 48), silu, one), 48);
}

/** 1 / (1 + e^-x) on one vector. */
export function vsigmoid(x: v128): v128 {
  return f32x4.div(k(ONE), f32x4.add(k(ONE), vexp(f32x4.neg(x))));
}

/** Natural log on one vector: NaN below 0, -inf at 0, inf at inf. */
export function vlog(x: v128): v128 {
  // subnormals: scale into the normal range first, and take 23 from the exponent
  const sub = f32x4.lt(x, k(MIN_NORMAL));
  const xs = v128.bitselect(f32x4.mul(x, k(TWO_23)), x, sub);
  // x = m * 2^e with m in [0.5, 1)
  let e = i32x4.sub(i32x4.shr_u(xs, 23), i32x4.splat(126));
  e = i32x4.sub(e, v128.and(sub, i32x4.splat(23)));
  let m = v128.or(v128.and(xs, ki(MANTISSA)), ki(HALF_EXPONENT));
  // keep m in [sqrt(1/2), sqrt(2)): below sqrt(1/2), double it and take one from e
  const small = f32x4.lt(m, k(SQRT_HALF));
  e = i32x4.add(e, small); // true lanes are -1
  m = f32x4.sub(f32x4.add(m, v128.and(small, m)), k(ONE));
  const fe = f32x4.convert_i32x4_s(e);
  const z = f32x4.mul(m, m);
  let p = madd(k(L0), m, k(L1));
  p = madd(p, m, k(L2));
  p = madd(p, m, k(L3));
  p = madd(p, m, k(L4));
  p = madd(p, m, k(L5));
  p = madd(p, m, k(L6));
  p = madd(p, m, k(L7));
  p = madd(p, m, k(L8));
  let y = f32x4.mul(f32x4.mul(p, m), z);
  y = madd(fe, k(LN2_LO), y);
  y = f32x4.sub(y, f32x4.mul(z, k(HALF)));
  y = madd(fe, k(LN2_HI), f32x4.add(m, y));
  y = v128.bitselect(f32x4.splat(-Infinity), y, f32x4.eq(x, f32x4.splat(0)));
  y = v128.bitselect(f32x4.splat(Infinity), y, f32x4.eq(x, f32x4.splat(Infinity)));
  // negative numbers and NaN give NaN
  return v128.bitselect(f32x4.splat(NaN), y, v128.not(f32x4.ge(x, f32x4.splat(0))));
}

/** tanh near 0, where 1 - 2/(e^2x + 1) would cancel: x + x^3 P(x^2). */
@inline function tanhNear(x: v128): v128 {
  const z = f32x4.mul(x, x);
  let p = madd(k(T0), z, k(T1));
  p = madd(p, z, k(T2));
  p = madd(p, z, k(T3));
  p = madd(p, z, k(T4));
  return madd(f32x4.mul(x, z), p, x);
}

/** tanh from e = e^(2|x|): 1 - 2/(e + 1) with x's sign; the polynomial below |x| = 0.625. */
export function tanhFrom(x: v128, e: v128): v128 {
  let far = f32x4.sub(k(ONE), f32x4.div(k(TWO), f32x4.add(e, k(ONE))));
  // copy the sign of x (this also keeps -0 and NaN)
  far = v128.or(v128.and(far, ki(NO_SIGN)), v128.and(x, ki(SIGN)));
  const y = v128.bitselect(tanhNear(x), far, f32x4.lt(v128.and(x, ki(NO_SIGN)), k(TANH_NEAR)));
  return v128.bitselect(x, y, f32x4.ne(x, x));
}

export function vtanh(x: v128): v128 {
  const ax = v128.and(x, ki(NO_SIGN));
  return tanhFrom(x, vexp(f32x4.add(ax, ax)));
}

/** tanh of four vectors into dst: e^(2|x|) through exp4, then tanhFrom per vector. */
export function tanh4(dst: usize, a: v128, b: v128, c: v128, d: v128): void {
  const m = ki(NO_SIGN), two = k(TWO);
  exp4(dst, f32x4.mul(v128.and(a, m), two), f32x4.mul(v128.and(b, m), two), f32x4.mul(v128.and(c, m), two), f32x4.mul(v128.and(d, m), two));
  v128.store(dst, tanhFrom(a, v128.load(dst)));
  v128.store(dst, tanhFrom(b, v128.load(dst, 16)), 16);
  v128.store(dst, tanhFrom(c, v128.load(dst, 32)), 32);
  v128.store(dst, tanhFrom(d, v128.load(dst, 48)), 48);
}
