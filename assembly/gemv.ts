// Vector-matrix products for the GEMM kernel: c (1 x N) (+)= a (1 x K) @ B.
// A one-row product is bound by reading B once, so packing B and running
// the 4-row register tile (three rows of it idle) would double the memory
// traffic and waste the arithmetic. Two streaming forms instead, by B's
// layout: rows of B contiguous -> c += a[k] * B[k, :], four rows at a time;
// columns of B contiguous -> c[n] = dot(a, B[:, n]), four columns at a time.
// Matrix @ vector arrives here too: TypeScript passes it transposed.

import { lanes, isF32, isF64 } from './common';

/** acc + a * b; the relaxed-SIMD build fuses it into one rounding (f32x4.relaxed_madd). */
@inline export function vmadd<T>(acc: v128, a: v128, b: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) {
    if (isF32<T>()) return f32x4.relaxed_madd(a, b, acc);
    if (isF64<T>()) return f64x2.relaxed_madd(a, b, acc);
  }
  if (isF32<T>()) return f32x4.add(acc, f32x4.mul(a, b));
  if (isF64<T>()) return f64x2.add(acc, f64x2.mul(a, b));
  if (sizeof<T>() == 4) return i32x4.add(acc, i32x4.mul(a, b));
  return i64x2.add(acc, i64x2.mul(a, b));
}

@inline export function vadd<T>(a: v128, b: v128): v128 {
  if (isF32<T>()) return f32x4.add(a, b);
  if (isF64<T>()) return f64x2.add(a, b);
  if (sizeof<T>() == 4) return i32x4.add(a, b);
  return i64x2.add(a, b);
}

@inline function splatAt<T>(p: usize): v128 {
  return sizeof<T>() == 4 ? v128.load32_splat(p) : v128.load64_splat(p);
}

/** Sum of the lanes of v. */
@inline function hsum<T>(v: v128): T {
  if (isF32<T>()) return <T>(f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3)));
  if (isF64<T>()) return <T>(f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1));
  if (sizeof<T>() == 4) return <T>(i32x4.extract_lane(v, 0) + i32x4.extract_lane(v, 1) + i32x4.extract_lane(v, 2) + i32x4.extract_lane(v, 3));
  return <T>(i64x2.extract_lane(v, 0) + i64x2.extract_lane(v, 1));
}

@inline function put<T>(p: usize, v: T, add: bool): void {
  store<T>(p, add ? load<T>(p) + v : v);
}

/**
 * c (+)= a @ B for one row a when B's rows or columns are contiguous; returns
 * false (and does nothing) otherwise. Byte pointers, element strides; `scratch`
 * holds `scratchLen` elements (at least 4 v128), where a strided a is copied.
 */
export function gemvRow<T>(N: i32, K: i32, a: usize, sAk: i32, b: usize, sBk: i32, sBn: i32, c: usize, sCn: i32, add: bool, scratch: usize, scratchLen: i32): bool {
  const sz = <usize>sizeof<T>();
  const L = lanes<T>();
  // a B that is one column (or one row) has both strides 1: the dot form vectorises along k
  const dotForm = sBk == 1 && (sBn != 1 || N < 4 * L);
  if (!dotForm && sBn == 1) {
    // row form, streamed: c += a[k] * B[k, :] four rows of B at a time, each
    // row read front to back (B's rows may be far apart: walking down a
    // column block instead would touch a new page per element)
    if (sCn != 1) return false; // never from torchlet's ops: their outputs are fresh, contiguous tensors
    const acc = c;
    if (!add) {
      for (let j = 0; j < N; j++) store<T>(acc + <usize>j * sz, <T>0);
    }
    const rs = <usize>sBk * sz, as = <usize>sAk * sz;
    const nv = N - N % (2 * L);
    let k = 0;
    for (; k + 4 <= K; k += 4) {
      const pa = a + <usize>k * as, p0 = b + <usize>k * rs;
      const s0 = splatAt<T>(pa), s1 = splatAt<T>(pa + as), s2 = splatAt<T>(pa + 2 * as), s3 = splatAt<T>(pa + 3 * as);
      for (let n = 0; n < nv; n += 2 * L) {
        const o = <usize>n * sz, p = p0 + o;
        let t0 = v128.load(acc + o), t1 = v128.load(acc + o, 16);
        t0 = vmadd<T>(t0, s0, v128.load(p)); t1 = vmadd<T>(t1, s0, v128.load(p, 16));
        t0 = vmadd<T>(t0, s1, v128.load(p + rs)); t1 = vmadd<T>(t1, s1, v128.load(p + rs, 16));
        t0 = vmadd<T>(t0, s2, v128.load(p + 2 * rs)); t1 = vmadd<T>(t1, s2, v128.load(p + 2 * rs, 16));
        t0 = vmadd<T>(t0, s3, v128.load(p + 3 * rs)); t1 = vmadd<T>(t1, s3, v128.load(p + 3 * rs, 16));
        v128.store(acc + o, t0); v128.store(acc + o, t1, 16);
      }
      const x0 = load<T>(pa), x1 = load<T>(pa + as), x2 = load<T>(pa + 2 * as), x3 = load<T>(pa + 3 * as);
      for (let n = nv; n < N; n++) {
        const o = <usize>n * sz, p = p0 + o;
        store<T>(acc + o, load<T>(acc + o) + x0 * load<T>(p) + x1 * load<T>(p + rs) + x2 * load<T>(p + 2 * rs) + x3 * load<T>(p + 3 * rs));
      }
    }
    for (; k < K; k++) {
      const p0 = b + <usize>k * rs;
      const x = load<T>(a + <usize>k * as), s0 = splatAt<T>(a + <usize>k * as);
      for (let n = 0; n < nv; n += 2 * L) {
        const o = <usize>n * sz;
        v128.store(acc + o, vmadd<T>(v128.load(acc + o), s0, v128.load(p0 + o)));
        v128.store(acc + o, vmadd<T>(v128.load(acc + o, 16), s0, v128.load(p0 + o, 16)), 16);
      }
      for (let n = nv; n < N; n++) store<T>(acc + <usize>n * sz, load<T>(acc + <usize>n * sz) + x * load<T>(p0 + <usize>n * sz));
    }
    return true;
  }
  if (!dotForm || (sAk != 1 && K > scratchLen)) return false;
  // dot form: a contiguous (copied when strided), four columns of B at a time
  let av = a;
  if (sAk != 1) {
    for (let k = 0; k < K; k++) store<T>(scratch + <usize>k * sz, load<T>(a + <usize>(k * sAk) * sz));
    av = scratch;
  }
  const colStep = <usize>sBn * sz;
  const kv = K - K % L;
  let n0 = 0;
  for (; n0 + 4 <= N; n0 += 4) {
    const p0 = b + <usize>n0 * colStep;
    let d0 = i64x2.splat(0), d1 = i64x2.splat(0), d2 = i64x2.splat(0), d3 = i64x2.splat(0);
    for (let k = 0; k < kv; k += L) {
      const x = v128.load(av + <usize>k * sz), p = p0 + <usize>k * sz;
      d0 = vmadd<T>(d0, x, v128.load(p));
      d1 = vmadd<T>(d1, x, v128.load(p + colStep));
      d2 = vmadd<T>(d2, x, v128.load(p + 2 * colStep));
      d3 = vmadd<T>(d3, x, v128.load(p + 3 * colStep));
    }
    let s0 = hsum<T>(d0), s1 = hsum<T>(d1), s2 = hsum<T>(d2), s3 = hsum<T>(d3);
    for (let k = kv; k < K; k++) {
      const x = load<T>(av + <usize>k * sz), p = p0 + <usize>k * sz;
      s0 += x * load<T>(p);
      s1 += x * load<T>(p + colStep);
      s2 += x * load<T>(p + 2 * colStep);
      s3 += x * load<T>(p + 3 * colStep);
    }
    const pc = c + <usize>(n0 * sCn) * sz, cs = <usize>sCn * sz;
    put<T>(pc, s0, add); put<T>(pc + cs, s1, add); put<T>(pc + 2 * cs, s2, add); put<T>(pc + 3 * cs, s3, add);
  }
  for (; n0 < N; n0++) {
    const p0 = b + <usize>n0 * colStep;
    let d = i64x2.splat(0);
    for (let k = 0; k < kv; k += L) d = vmadd<T>(d, v128.load(av + <usize>k * sz), v128.load(p0 + <usize>k * sz));
    let s = hsum<T>(d);
    for (let k = kv; k < K; k++) s += load<T>(av + <usize>k * sz) * load<T>(p0 + <usize>k * sz);
    put<T>(c + <usize>(n0 * sCn) * sz, s, add);
  }
  return true;
}
