// The fold primitives reductions and softmax share: each reduce op's identity,
// scalar and vector folds (NaN-propagating max/min), lane-to-scalar folds, and
// foldRun over a contiguous run. Not a module entry: nothing here is exported
// from the wasm module.
import { Reduce } from './codes';
import { lanes, at, splat, isF32, isF64 } from './common';

@inline export function initOf<T>(op: i32): T {
  switch (op) {
    case Reduce.prod: return <T>1;
    case Reduce.max: return isFloat<T>() ? <T>-Infinity : isSigned<T>() ? (sizeof<T>() == 8 ? <T>i64.MIN_VALUE : <T>i32.MIN_VALUE) : <T>0;
    case Reduce.min: return isFloat<T>() ? <T>Infinity : isSigned<T>() ? (sizeof<T>() == 8 ? <T>i64.MAX_VALUE : <T>i32.MAX_VALUE) : <T>-1;
  }
  return <T>0;
}

@inline export function fold<T>(op: i32, a: T, b: T): T {
  switch (op) {
    case Reduce.sum: return a + b;
    case Reduce.nanSum: return b != b ? a : a + b;
    case Reduce.prod: return a * b;
    case Reduce.max: return isFloat<T>() ? max<T>(a, b) : (a > b ? a : b);
    case Reduce.min: return isFloat<T>() ? min<T>(a, b) : (a < b ? a : b);
  }
  return a;
}

@inline export function hasVFold<T>(op: i32): bool {
  if (!ASC_FEATURE_SIMD) return false;
  if (isFloat<T>()) return op != Reduce.nanSum;
  if (sizeof<T>() == 4) return true;
  if (sizeof<T>() == 8) return op == Reduce.sum || op == Reduce.prod;
  return op == Reduce.max || op == Reduce.min || op == Reduce.sum;
}

@inline export function vfold<T>(op: i32, a: v128, b: v128): v128 {
  if (isF32<T>()) {
    if (op == Reduce.sum) return f32x4.add(a, b);
    if (op == Reduce.prod) return f32x4.mul(a, b);
    if (op == Reduce.max) return f32x4.max(a, b);
    return f32x4.min(a, b);
  }
  if (isF64<T>()) {
    if (op == Reduce.sum) return f64x2.add(a, b);
    if (op == Reduce.prod) return f64x2.mul(a, b);
    if (op == Reduce.max) return f64x2.max(a, b);
    return f64x2.min(a, b);
  }
  if (sizeof<T>() == 4) {
    if (op == Reduce.sum) return i32x4.add(a, b);
    if (op == Reduce.prod) return i32x4.mul(a, b);
    if (op == Reduce.max) return i32x4.max_s(a, b);
    return i32x4.min_s(a, b);
  }
  if (sizeof<T>() == 8) {
    if (op == Reduce.sum) return i64x2.add(a, b);
    return i64x2.mul(a, b);
  }
  if (op == Reduce.sum) return i8x16.add(a, b);
  if (op == Reduce.max) return i8x16.max_u(a, b);
  return i8x16.min_u(a, b);
}

/** max/min without NaN propagation (x86's maxps/minps). */
@inline export function pfold<T>(op: i32, a: v128, b: v128): v128 {
  if (isF32<T>()) return op == Reduce.max ? f32x4.pmax(a, b) : f32x4.pmin(a, b);
  return op == Reduce.max ? f64x2.pmax(a, b) : f64x2.pmin(a, b);
}

@inline export function isNaNv<T>(x: v128): v128 {
  return isF32<T>() ? f32x4.ne(x, x) : f64x2.ne(x, x);
}

/** Folds n contiguous values starting at p; float sums carry block totals in f64. */
@inline export function foldRun<T>(op: i32, p: usize, n: i32): T {
  let i = 0;
  let r = initOf<T>(op);
  if (ASC_FEATURE_SIMD) if (hasVFold<T>(op)) {
    const L = lanes<T>();
    if (isFloat<T>() && op == Reduce.sum) {
      let total: f64 = 0;
      while (i + 2 * L <= n) {
        let a0 = splat<T>(<T>0), a1 = splat<T>(<T>0);
        const end = min(n, i + 512);
        for (; i + 2 * L <= end; i += 2 * L) {
          a0 = vfold<T>(op, a0, v128.load(at<T>(p, i)));
          a1 = vfold<T>(op, a1, v128.load(at<T>(p, i + L)));
        }
        total += <f64>lanesToScalar<T>(op, vfold<T>(op, a0, a1));
      }
      r = <T>total;
    } else if (isFloat<T>() && (op == Reduce.max || op == Reduce.min) && n >= 4 * L) {
      // pmax/pmin are one instruction each but drop NaN; f32x4.max is NaN-correct
      // but several, and one accumulator makes a latency chain. So: four
      // accumulators of pmax/pmin, NaN noted on the side, f32x4.max at the end.
      const init = splat<T>(initOf<T>(op));
      let a0 = init, a1 = init, a2 = init, a3 = init, nan = i32x4.splat(0);
      for (; i + 4 * L <= n; i += 4 * L) {
        const q = at<T>(p, i);
        const x0 = v128.load(q), x1 = v128.load(q, 16), x2 = v128.load(q, 32), x3 = v128.load(q, 48);
        a0 = pfold<T>(op, a0, x0); a1 = pfold<T>(op, a1, x1); a2 = pfold<T>(op, a2, x2); a3 = pfold<T>(op, a3, x3);
        nan = v128.or(nan, v128.or(v128.or(isNaNv<T>(x0), isNaNv<T>(x1)), v128.or(isNaNv<T>(x2), isNaNv<T>(x3))));
      }
      r = lanesToScalar<T>(op, vfold<T>(op, vfold<T>(op, a0, a1), vfold<T>(op, a2, a3)));
      if (v128.any_true(nan)) return <T>NaN;
    } else if (n >= L) {
      let acc = splat<T>(initOf<T>(op));
      for (; i + L <= n; i += L) acc = vfold<T>(op, acc, v128.load(at<T>(p, i)));
      r = lanesToScalar<T>(op, acc);
    }
  }
  for (; i < n; i++) r = fold<T>(op, r, load<T>(at<T>(p, i)));
  return r;
}

/** Horizontal fold of a v128 (through memory-free lane extraction per type). */
@inline export function lanesToScalar<T>(op: i32, v: v128): T {
  if (isF32<T>()) {
    return fold<T>(op, fold<T>(op, <T>f32x4.extract_lane(v, 0), <T>f32x4.extract_lane(v, 1)), fold<T>(op, <T>f32x4.extract_lane(v, 2), <T>f32x4.extract_lane(v, 3)));
  }
  if (isF64<T>()) return fold<T>(op, <T>f64x2.extract_lane(v, 0), <T>f64x2.extract_lane(v, 1));
  if (sizeof<T>() == 4) {
    return fold<T>(op, fold<T>(op, <T>i32x4.extract_lane(v, 0), <T>i32x4.extract_lane(v, 1)), fold<T>(op, <T>i32x4.extract_lane(v, 2), <T>i32x4.extract_lane(v, 3)));
  }
  if (sizeof<T>() == 8) return fold<T>(op, <T>i64x2.extract_lane(v, 0), <T>i64x2.extract_lane(v, 1));
  let r = initOf<T>(op);
  r = fold<T>(op, r, <T>i8x16.extract_lane_u(v, 0)); r = fold<T>(op, r, <T>i8x16.extract_lane_u(v, 1));
  r = fold<T>(op, r, <T>i8x16.extract_lane_u(v, 2)); r = fold<T>(op, r, <T>i8x16.extract_lane_u(v, 3));
  r = fold<T>(op, r, <T>i8x16.extract_lane_u(v, 4)); r = fold<T>(op, r, <T>i8x16.extract_lane_u(v, 5));
  r = fold<T>(op, r, <T>i8x16.extract_lane_u(v, 6)); r = fold<T>(op, r, <T>i8x16.extract_lane_u(v, 7));
  r = fold<T>(op, r, <T>i8x16.extract_lane_u(v, 8)); r = fold<T>(op, r, <T>i8x16.extract_lane_u(v, 9));
  r = fold<T>(op, r, <T>i8x16.extract_lane_u(v, 10)); r = fold<T>(op, r, <T>i8x16.extract_lane_u(v, 11));
  r = fold<T>(op, r, <T>i8x16.extract_lane_u(v, 12)); r = fold<T>(op, r, <T>i8x16.extract_lane_u(v, 13));
  r = fold<T>(op, r, <T>i8x16.extract_lane_u(v, 14)); r = fold<T>(op, r, <T>i8x16.extract_lane_u(v, 15));
  return r;
}
