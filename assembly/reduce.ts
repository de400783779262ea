// Reductions. TypeScript splits the input's dims into kept and reduced
// groups; the meta block holds
//   keptShape[nk] | keptStrides[nk] | redShape[nr] | redStrides[nr] | keptIdx[nk] | redIdx[nr]
// (strides in bytes). The output is contiguous over the kept dims.
// Two paths: "horizontal" (each output folds a run of inputs, vectorised
// when the innermost reduced dim is contiguous) and "vertical" (the
// innermost kept dim is contiguous, so whole rows are folded into the
// output with SIMD, as sum(0) of a matrix wants).
import { Reduce, ArgReduce, Scan, Softmax } from './codes';
import { geti, seti, lanes, at, splat, isF32, isF64 } from './common';
import { vexp, expNeg4 } from './vmath';

@inline function initOf<T>(op: i32): T {
  switch (op) {
    case Reduce.prod: return <T>1;
    case Reduce.max: return isFloat<T>() ? <T>-Infinity : isSigned<T>() ? (sizeof<T>() == 8 ? <T>i64.MIN_VALUE : <T>i32.MIN_VALUE) : <T>0;
    case Reduce.min: return isFloat<T>() ? <T>Infinity : isSigned<T>() ? (sizeof<T>() == 8 ? <T>i64.MAX_VALUE : <T>i32.MAX_VALUE) : <T>-1;
  }
  return <T>0;
}

@inline function fold<T>(op: i32, a: T, b: T): T {
  switch (op) {
    case Reduce.sum: return a + b;
    case Reduce.nanSum: return b != b ? a : a + b;
    case Reduce.prod: return a * b;
    case Reduce.max: return isFloat<T>() ? max<T>(a, b) : (a > b ? a : b);
    case Reduce.min: return isFloat<T>() ? min<T>(a, b) : (a < b ? a : b);
  }
  return a;
}

@inline function hasVFold<T>(op: i32): bool {
  if (!ASC_FEATURE_SIMD) return false;
  if (isFloat<T>()) return op != Reduce.nanSum;
  if (sizeof<T>() == 4) return true;
  if (sizeof<T>() == 8) return op == Reduce.sum || op == Reduce.prod;
  return op == Reduce.max || op == Reduce.min || op == Reduce.sum;
}

@inline function vfold<T>(op: i32, a: v128, b: v128): v128 {
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
@inline function pfold<T>(op: i32, a: v128, b: v128): v128 {
  if (isF32<T>()) return op == Reduce.max ? f32x4.pmax(a, b) : f32x4.pmin(a, b);
  return op == Reduce.max ? f64x2.pmax(a, b) : f64x2.pmin(a, b);
}

@inline function isNaNv<T>(x: v128): v128 {
  return isF32<T>() ? f32x4.ne(x, x) : f64x2.ne(x, x);
}

/** Folds n contiguous values starting at p; float sums carry block totals in f64. */
@inline function foldRun<T>(op: i32, p: usize, n: i32): T {
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
@inline function lanesToScalar<T>(op: i32, v: v128): T {
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

/** Byte offset of the current odometer position of a dim group, then advances it. */
@inline function groupOffset(shape: usize, strides: usize, idx: usize, n: i32): i32 {
  let off = 0;
  for (let d = 0; d < n; d++) off += geti(idx, d) * geti(strides, d);
  return off;
}

@inline function groupNext(shape: usize, idx: usize, n: i32): void {
  for (let d = n - 1; d >= 0; d--) {
    const i = geti(idx, d) + 1;
    if (i < geti(shape, d)) {
      seti(idx, d, i);
      return;
    }
    seti(idx, d, 0);
  }
}

@inline function groupCount(shape: usize, idx: usize, n: i32): i32 {
  let c = 1;
  for (let d = 0; d < n; d++) {
    c *= geti(shape, d);
    seti(idx, d, 0);
  }
  return c;
}

function reduceWalk<T>(op: i32, nk: i32, nr: i32, meta: usize, out: usize, x: usize): void {
  const kShape = meta, kStr = meta + (<usize>nk << 2);
  const rShape = kStr + (<usize>nk << 2), rStr = rShape + (<usize>nr << 2);
  const kIdx = rStr + (<usize>nr << 2), rIdx = kIdx + (<usize>nk << 2);
  const size = <i32>sizeof<T>();
  const rInner = nr > 0 ? geti(rShape, nr - 1) : 1;
  const rInnerStride = nr > 0 ? geti(rStr, nr - 1) : 0;
  const kInner = nk > 0 ? geti(kShape, nk - 1) : 1;
  const kInnerStride = nk > 0 ? geti(kStr, nk - 1) : 0;
  if (ASC_FEATURE_SIMD) if (nk > 0 && kInnerStride == size && rInnerStride != size && kInner >= lanes<T>() && hasVFold<T>(op)) {
    // vertical: fold whole contiguous rows of the input into the output row
    const rows = groupCount(kShape, kIdx, nk - 1);
    const reds = groupCount(rShape, rIdx, nr);
    const L = lanes<T>();
    let o = out;
    for (let r = 0; r < rows; r++) {
      const base = x + <usize>groupOffset(kShape, kStr, kIdx, nk - 1);
      for (let j = 0; j < kInner; j++) store<T>(at<T>(o, j), initOf<T>(op));
      groupCount(rShape, rIdx, nr);
      for (let q = 0; q < reds; q++) {
        const p = base + <usize>groupOffset(rShape, rStr, rIdx, nr);
        let j = 0;
        for (; j + L <= kInner; j += L) v128.store(at<T>(o, j), vfold<T>(op, v128.load(at<T>(o, j)), v128.load(at<T>(p, j))));
        for (; j < kInner; j++) store<T>(at<T>(o, j), fold<T>(op, load<T>(at<T>(o, j)), load<T>(at<T>(p, j))));
        groupNext(rShape, rIdx, nr);
      }
      o += <usize>kInner * sizeof<T>();
      groupNext(kShape, kIdx, nk - 1);
    }
    return;
  }
  // horizontal: each output folds the reduced group. float32 sums carry an f64
  // total, as PyTorch's CPU sums do: in f32 a strided sum of ones stops at 2^24
  const wide = isF32<T>() && (op == Reduce.sum || op == Reduce.nanSum);
  const outs = groupCount(kShape, kIdx, nk);
  const outerReds = groupCount(rShape, rIdx, nr - 1);
  for (let k = 0; k < outs; k++) {
    const base = x + <usize>groupOffset(kShape, kStr, kIdx, nk);
    let acc = initOf<T>(op);
    let total: f64 = 0;
    groupCount(rShape, rIdx, nr - 1);
    for (let q = 0; q < outerReds; q++) {
      const p = base + <usize>groupOffset(rShape, rStr, rIdx, nr - 1);
      if (rInnerStride == size) {
        // a run's nansum is NaN only when inf and -inf met: that NaN must survive, not be skipped as input
        const run = foldRun<T>(op, p, rInner);
        if (wide) total += <f64>run;
        else acc = op == Reduce.nanSum ? acc + run : fold<T>(op, acc, run);
      } else if (wide) {
        for (let i = 0; i < rInner; i++) total = fold<f64>(op, total, <f64>load<T>(p + <usize>(i * rInnerStride)));
      } else {
        for (let i = 0; i < rInner; i++) acc = fold<T>(op, acc, load<T>(p + <usize>(i * rInnerStride)));
      }
      groupNext(rShape, rIdx, nr - 1);
    }
    store<T>(at<T>(out, k), wide ? <T>total : acc);
    groupNext(kShape, kIdx, nk);
  }
}

@inline function reduceDispatch<T>(op: i32, nk: i32, nr: i32, meta: usize, out: usize, x: usize): void {
  switch (op) {
    case Reduce.sum: reduceWalk<T>(Reduce.sum, nk, nr, meta, out, x); return;
    case Reduce.prod: reduceWalk<T>(Reduce.prod, nk, nr, meta, out, x); return;
    case Reduce.max: reduceWalk<T>(Reduce.max, nk, nr, meta, out, x); return;
    case Reduce.min: reduceWalk<T>(Reduce.min, nk, nr, meta, out, x); return;
    case Reduce.nanSum: if (isFloat<T>()) reduceWalk<T>(Reduce.nanSum, nk, nr, meta, out, x); return;
  }
}

export function reduce_f32(op: i32, nk: i32, nr: i32, meta: usize, out: usize, x: usize): void { reduceDispatch<f32>(op, nk, nr, meta, out, x); }
export function reduce_f64(op: i32, nk: i32, nr: i32, meta: usize, out: usize, x: usize): void { reduceDispatch<f64>(op, nk, nr, meta, out, x); }
export function reduce_i32(op: i32, nk: i32, nr: i32, meta: usize, out: usize, x: usize): void { reduceDispatch<i32>(op, nk, nr, meta, out, x); }
export function reduce_i64(op: i32, nk: i32, nr: i32, meta: usize, out: usize, x: usize): void { reduceDispatch<i64>(op, nk, nr, meta, out, x); }
export function reduce_u8(op: i32, nk: i32, nr: i32, meta: usize, out: usize, x: usize): void { reduceDispatch<u8>(op, nk, nr, meta, out, x); }

/**
 * Values and int64 indices of the max/min along one dim (n values, byte
 * stride s). NaN wins, as in PyTorch; ties keep the first index.
 * meta: keptShape[nk] | keptStrides[nk] | keptIdx[nk].
 */
function argWalk<T>(op: i32, nk: i32, meta: usize, values: usize, indices: usize, x: usize, n: i32, s: i32): void {
  const kShape = meta, kStr = meta + (<usize>nk << 2), kIdx = kStr + (<usize>nk << 2);
  const outs = groupCount(kShape, kIdx, nk);
  for (let k = 0; k < outs; k++) {
    const p = x + <usize>groupOffset(kShape, kStr, kIdx, nk);
    let best = load<T>(p);
    let bi = 0;
    for (let i = 1; i < n; i++) {
      if (isFloat<T>() && best != best) break;
      const v = load<T>(p + <usize>(i * s));
      const better = op == ArgReduce.max ? v > best : v < best;
      if (better || (isFloat<T>() && v != v)) {
        best = v;
        bi = i;
      }
    }
    store<T>(at<T>(values, k), best);
    store<i64>(indices + (<usize>k << 3), <i64>bi);
    groupNext(kShape, kIdx, nk);
  }
}

export function argreduce_f32(op: i32, nk: i32, meta: usize, v: usize, i: usize, x: usize, n: i32, s: i32): void { argWalk<f32>(op, nk, meta, v, i, x, n, s); }
export function argreduce_f64(op: i32, nk: i32, meta: usize, v: usize, i: usize, x: usize, n: i32, s: i32): void { argWalk<f64>(op, nk, meta, v, i, x, n, s); }
export function argreduce_i32(op: i32, nk: i32, meta: usize, v: usize, i: usize, x: usize, n: i32, s: i32): void { argWalk<i32>(op, nk, meta, v, i, x, n, s); }
export function argreduce_i64(op: i32, nk: i32, meta: usize, v: usize, i: usize, x: usize, n: i32, s: i32): void { argWalk<i64>(op, nk, meta, v, i, x, n, s); }
export function argreduce_u8(op: i32, nk: i32, meta: usize, v: usize, i: usize, x: usize, n: i32, s: i32): void { argWalk<u8>(op, nk, meta, v, i, x, n, s); }

/**
 * Running fold along one dim. meta: keptShape[nk] | xStrides[nk] | outStrides[nk] | keptIdx[nk];
 * sx/so are the scanned dim's byte strides.
 */
function scanWalk<T>(op: i32, nk: i32, meta: usize, out: usize, x: usize, n: i32, sx: i32, so: i32): void {
  const kShape = meta, xStr = meta + (<usize>nk << 2), oStr = xStr + (<usize>nk << 2), kIdx = oStr + (<usize>nk << 2);
  const rows = groupCount(kShape, kIdx, nk);
  const fop = op == Scan.sum ? Reduce.sum : op == Scan.prod ? Reduce.prod : op == Scan.max ? Reduce.max : Reduce.min;
  for (let k = 0; k < rows; k++) {
    const px = x + <usize>groupOffset(kShape, xStr, kIdx, nk);
    const po = out + <usize>groupOffset(kShape, oStr, kIdx, nk);
    if (isF32<T>() && fop == Reduce.sum) {
      // float32 cumsum runs in f64, as PyTorch's CPU kernel does (in f32 it stalls at 2^24)
      let total: f64 = n > 0 ? <f64>load<T>(px) : 0;
      if (n > 0) store<T>(po, <T>total);
      for (let i = 1; i < n; i++) {
        total += <f64>load<T>(px + <usize>(i * sx));
        store<T>(po + <usize>(i * so), <T>total);
      }
    } else {
      let acc = load<T>(px);
      if (n > 0) store<T>(po, acc);
      for (let i = 1; i < n; i++) {
        acc = fold<T>(fop, acc, load<T>(px + <usize>(i * sx)));
        store<T>(po + <usize>(i * so), acc);
      }
    }
    groupNext(kShape, kIdx, nk);
  }
}

export function scan_f32(op: i32, nk: i32, meta: usize, out: usize, x: usize, n: i32, sx: i32, so: i32): void { scanWalk<f32>(op, nk, meta, out, x, n, sx, so); }
export function scan_f64(op: i32, nk: i32, meta: usize, out: usize, x: usize, n: i32, sx: i32, so: i32): void { scanWalk<f64>(op, nk, meta, out, x, n, sx, so); }
export function scan_i64(op: i32, nk: i32, meta: usize, out: usize, x: usize, n: i32, sx: i32, so: i32): void { scanWalk<i64>(op, nk, meta, out, x, n, sx, so); }

@inline function expT<T>(x: T): T {
  if (isF32<T>()) return <T>Mathf.exp(<f32>x);
  return <T>Math.exp(<f64>x);
}

@inline function logT<T>(x: T): T {
  if (isF32<T>()) return <T>Mathf.log(<f32>x);
  return <T>Math.log(<f64>x);
}

/**
 * Softmax / log-softmax over the middle dim of a contiguous [outer, n, inner]
 * block: max-shifted, so large logits cannot overflow.
 */
/** One contiguous float32 row: max, exp and sum on four lanes at a time. */
function softmaxRowF32(op: i32, n: i32, po: usize, px: usize): void {
  let i = 0;
  const m = foldRun<f32>(Reduce.max, px, n);
  const shift: f32 = m == -Infinity ? 0 : m;
  const vs = f32x4.splat(shift);
  let vsum = f32x4.splat(0);
  let tail: f32 = 0;
  i = 0;
  if (op == Softmax.softmax) {
    for (; i + 16 <= n; i += 16) {
      const q = px + (<usize>i << 2), d = po + (<usize>i << 2);
      vsum = f32x4.add(vsum, expNeg4(d, f32x4.sub(v128.load(q), vs), f32x4.sub(v128.load(q, 16), vs), f32x4.sub(v128.load(q, 32), vs), f32x4.sub(v128.load(q, 48), vs)));
    }
    for (; i + 4 <= n; i += 4) {
      const e = vexp(f32x4.sub(v128.load(px + (<usize>i << 2)), vs));
      v128.store(po + (<usize>i << 2), e);
      vsum = f32x4.add(vsum, e);
    }
    for (; i < n; i++) {
      const e = Mathf.exp(load<f32>(px + (<usize>i << 2)) - shift);
      store<f32>(po + (<usize>i << 2), e);
      tail += e;
    }
  } else {
    // the exponentials go through the output row as scratch: it is overwritten below
    for (; i + 16 <= n; i += 16) {
      const q = px + (<usize>i << 2), d = po + (<usize>i << 2);
      vsum = f32x4.add(vsum, expNeg4(d, f32x4.sub(v128.load(q), vs), f32x4.sub(v128.load(q, 16), vs), f32x4.sub(v128.load(q, 32), vs), f32x4.sub(v128.load(q, 48), vs)));
    }
    for (; i + 4 <= n; i += 4) vsum = f32x4.add(vsum, vexp(f32x4.sub(v128.load(px + (<usize>i << 2)), vs)));
    for (; i < n; i++) tail += Mathf.exp(load<f32>(px + (<usize>i << 2)) - shift);
  }
  const sum = (f32x4.extract_lane(vsum, 0) + f32x4.extract_lane(vsum, 1)) + (f32x4.extract_lane(vsum, 2) + f32x4.extract_lane(vsum, 3)) + tail;
  i = 0;
  if (op == Softmax.softmax) {
    const inv = f32x4.splat(<f32>1 / sum);
    for (; i + 4 <= n; i += 4) v128.store(po + (<usize>i << 2), f32x4.mul(v128.load(po + (<usize>i << 2)), inv));
    for (; i < n; i++) store<f32>(po + (<usize>i << 2), load<f32>(po + (<usize>i << 2)) * (<f32>1 / sum));
  } else {
    // (x - max) - log(sum), as PyTorch orders it: adding log(sum) to a large max first loses its low bits
    const logSum = Mathf.log(sum);
    const vl = f32x4.splat(logSum);
    for (; i + 4 <= n; i += 4) v128.store(po + (<usize>i << 2), f32x4.sub(f32x4.sub(v128.load(px + (<usize>i << 2)), vs), vl));
    for (; i < n; i++) store<f32>(po + (<usize>i << 2), (load<f32>(px + (<usize>i << 2)) - shift) - logSum);
  }
}

function softmaxWalk<T>(op: i32, outer: i32, n: i32, inner: i32, out: usize, x: usize): void {
  if (ASC_FEATURE_SIMD) {
    if (isF32<T>() && inner == 1) {
      for (let o = 0; o < outer; o++) softmaxRowF32(op, n, out + (<usize>(o * n) << 2), x + (<usize>(o * n) << 2));
      return;
    }
  }
  const s = <usize>inner * sizeof<T>();
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const px = x + (<usize>(o * n) * <usize>inner + <usize>j) * sizeof<T>();
      const po = out + (<usize>(o * n) * <usize>inner + <usize>j) * sizeof<T>();
      let m = <T>-Infinity;
      for (let i = 0; i < n; i++) m = max<T>(m, load<T>(px + <usize>i * s));
      // all -inf: PyTorch gives NaN for softmax; shifting by 0 reproduces that
      const shift = m == <T>-Infinity ? <T>0 : m;
      let sum = <T>0;
      if (op == Softmax.softmax) {
        for (let i = 0; i < n; i++) {
          const e = expT<T>(load<T>(px + <usize>i * s) - shift);
          store<T>(po + <usize>i * s, e);
          sum += e;
        }
        const inv = <T>1 / sum;
        for (let i = 0; i < n; i++) store<T>(po + <usize>i * s, load<T>(po + <usize>i * s) * inv);
      } else {
        for (let i = 0; i < n; i++) sum += expT<T>(load<T>(px + <usize>i * s) - shift);
        // (x - max) - log(sum), as PyTorch orders it: adding log(sum) to a large max first loses its low bits
        const logSum = logT<T>(sum);
        for (let i = 0; i < n; i++) store<T>(po + <usize>i * s, (load<T>(px + <usize>i * s) - shift) - logSum);
      }
    }
  }
}

export function softmax_f32(op: i32, outer: i32, n: i32, inner: i32, out: usize, x: usize): void { softmaxWalk<f32>(op, outer, n, inner, out, x); }
export function softmax_f64(op: i32, outer: i32, n: i32, inner: i32, out: usize, x: usize): void { softmaxWalk<f64>(op, outer, n, inner, out, x); }
