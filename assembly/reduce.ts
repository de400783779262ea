// Reductions. TypeScript splits the input's dims into kept and reduced
// groups; the meta block holds
//   keptShape[nk] | keptStrides[nk] | redShape[nr] | redStrides[nr] | keptIdx[nk] | redIdx[nr]
// (strides in bytes). The output is contiguous over the kept dims.
// Two paths: "horizontal" (each output folds a run of inputs, vectorised
// when the innermost reduced dim is contiguous) and "vertical" (the
// innermost kept dim is contiguous, so whole rows are folded into the
// output with SIMD, as sum(0) of a matrix wants).
import { Reduce, ArgReduce, Scan } from './codes';
import { geti, seti, lanes, at, isF32 } from './common';
import { initOf, fold, hasVFold, vfold, foldRun } from './fold';

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
