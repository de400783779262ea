// Elementwise kernels on any strides: unary (with scalar parameters),
// binary, comparisons, where, fill and dtype-converting copies.
// Each loop walks rows (see common.ts); a row whose operands are all
// contiguous, or broadcast with stride 0, runs on v128 lanes, and every
// other element goes through the scalar definition in scalar.ts.
import { Unary, Binary } from './codes';
import { beginRows, nextRow, rowPtr, geti, strideOf, lanes, at, splat, fromF64, isF32 } from './common';
import { unaryScalar, binaryScalar, compareScalar } from './scalar';
import { hasVUnary, vUnary, hasVBinary, vBinary, hasV16, vUnary16 } from './vector';

// ---- rows -----------------------------------------------------------------

@inline function unaryRow<T>(op: i32, n: i32, o: usize, so: i32, x: usize, sx: i32, p0: f64, p1: f64): void {
  let i = 0;
  const size = <i32>sizeof<T>();
  if (ASC_FEATURE_SIMD) if (hasVUnary<T>(op) && so == size && sx == size) {
    const v0 = splat<T>(fromF64<T>(p0));
    const v1 = splat<T>(fromF64<T>(p1));
    const L = lanes<T>();
    if (isF32<T>() && hasV16(op)) for (; i + 16 <= n; i += 16) vUnary16(op, at<T>(o, i), at<T>(x, i));
    // four vectors a trip: loads first, then the ops, then the stores
    for (; i + 4 * L <= n; i += 4 * L) {
      const q = at<T>(x, i), d = at<T>(o, i);
      const xa = v128.load(q), xb = v128.load(q, 16), xc = v128.load(q, 32), xd = v128.load(q, 48);
      v128.store(d, vUnary<T>(op, xa, v0, v1));
      v128.store(d, vUnary<T>(op, xb, v0, v1), 16);
      v128.store(d, vUnary<T>(op, xc, v0, v1), 32);
      v128.store(d, vUnary<T>(op, xd, v0, v1), 48);
    }
    for (; i + L <= n; i += L) v128.store(at<T>(o, i), vUnary<T>(op, v128.load(at<T>(x, i)), v0, v1));
  }
  for (; i < n; i++) {
    store<T>(o + <usize>(i * so), unaryScalar<T>(op, load<T>(x + <usize>(i * sx)), p0, p1));
  }
}

@inline function binaryRow<T>(op: i32, n: i32, o: usize, so: i32, a: usize, sa: i32, b: usize, sb: i32, p: f64): void {
  let i = 0;
  const size = <i32>sizeof<T>();
  if (ASC_FEATURE_SIMD) if (hasVBinary<T>(op) && so == size) {
    const L = lanes<T>();
    const vp = splat<T>(fromF64<T>(p));
    if (sa == size && sb == size) {
      for (; i + 4 * L <= n; i += 4 * L) {
        const qa = at<T>(a, i), qb = at<T>(b, i), d = at<T>(o, i);
        const a0 = v128.load(qa), a1 = v128.load(qa, 16), a2 = v128.load(qa, 32), a3 = v128.load(qa, 48);
        const b0 = v128.load(qb), b1 = v128.load(qb, 16), b2 = v128.load(qb, 32), b3 = v128.load(qb, 48);
        v128.store(d, vBinary<T>(op, a0, b0, vp));
        v128.store(d, vBinary<T>(op, a1, b1, vp), 16);
        v128.store(d, vBinary<T>(op, a2, b2, vp), 32);
        v128.store(d, vBinary<T>(op, a3, b3, vp), 48);
      }
      for (; i + L <= n; i += L) v128.store(at<T>(o, i), vBinary<T>(op, v128.load(at<T>(a, i)), v128.load(at<T>(b, i)), vp));
    } else if (sa == size && sb == 0) {
      const vb = splat<T>(load<T>(b));
      for (; i + 4 * L <= n; i += 4 * L) {
        const qa = at<T>(a, i), d = at<T>(o, i);
        const a0 = v128.load(qa), a1 = v128.load(qa, 16), a2 = v128.load(qa, 32), a3 = v128.load(qa, 48);
        v128.store(d, vBinary<T>(op, a0, vb, vp));
        v128.store(d, vBinary<T>(op, a1, vb, vp), 16);
        v128.store(d, vBinary<T>(op, a2, vb, vp), 32);
        v128.store(d, vBinary<T>(op, a3, vb, vp), 48);
      }
      for (; i + L <= n; i += L) v128.store(at<T>(o, i), vBinary<T>(op, v128.load(at<T>(a, i)), vb, vp));
    } else if (sa == 0 && sb == size) {
      const va = splat<T>(load<T>(a));
      for (; i + L <= n; i += L) v128.store(at<T>(o, i), vBinary<T>(op, va, v128.load(at<T>(b, i)), vp));
    }
  }
  for (; i < n; i++) {
    store<T>(o + <usize>(i * so), binaryScalar<T>(op, load<T>(a + <usize>(i * sa)), load<T>(b + <usize>(i * sb)), p));
  }
}

// ---- N-d walkers ----------------------------------------------------------

@inline function unaryWalk<T>(op: i32, nd: i32, meta: usize, out: usize, x: usize, p0: f64, p1: f64): void {
  const rows = beginRows(meta, nd, 2, out, x, 0, 0);
  const last = nd - 1;
  const n = geti(meta, last);
  const so = strideOf(meta, nd, 0, last), sx = strideOf(meta, nd, 1, last);
  for (let r = 0; r < rows; r++) {
    unaryRow<T>(op, n, rowPtr(meta, nd, 2, 0), so, rowPtr(meta, nd, 2, 1), sx, p0, p1);
    nextRow(meta, nd, 2);
  }
}

@inline function binaryWalk<T>(op: i32, nd: i32, meta: usize, out: usize, a: usize, b: usize, p: f64): void {
  const rows = beginRows(meta, nd, 3, out, a, b, 0);
  const last = nd - 1;
  const n = geti(meta, last);
  const so = strideOf(meta, nd, 0, last), sa = strideOf(meta, nd, 1, last), sb = strideOf(meta, nd, 2, last);
  for (let r = 0; r < rows; r++) {
    binaryRow<T>(op, n, rowPtr(meta, nd, 3, 0), so, rowPtr(meta, nd, 3, 1), sa, rowPtr(meta, nd, 3, 2), sb, p);
    nextRow(meta, nd, 3);
  }
}

function compareWalk<T>(op: i32, nd: i32, meta: usize, out: usize, a: usize, b: usize): void {
  const rows = beginRows(meta, nd, 3, out, a, b, 0);
  const last = nd - 1;
  const n = geti(meta, last);
  const so = strideOf(meta, nd, 0, last), sa = strideOf(meta, nd, 1, last), sb = strideOf(meta, nd, 2, last);
  for (let r = 0; r < rows; r++) {
    const o = rowPtr(meta, nd, 3, 0), pa = rowPtr(meta, nd, 3, 1), pb = rowPtr(meta, nd, 3, 2);
    for (let i = 0; i < n; i++) {
      store<u8>(o + <usize>(i * so), <u8>compareScalar<T>(op, load<T>(pa + <usize>(i * sa)), load<T>(pb + <usize>(i * sb))));
    }
    nextRow(meta, nd, 3);
  }
}

function whereWalk<T>(nd: i32, meta: usize, out: usize, c: usize, a: usize, b: usize): void {
  const rows = beginRows(meta, nd, 4, out, c, a, b);
  const last = nd - 1;
  const n = geti(meta, last);
  const so = strideOf(meta, nd, 0, last), sc = strideOf(meta, nd, 1, last);
  const sa = strideOf(meta, nd, 2, last), sb = strideOf(meta, nd, 3, last);
  for (let r = 0; r < rows; r++) {
    const o = rowPtr(meta, nd, 4, 0), pc = rowPtr(meta, nd, 4, 1), pa = rowPtr(meta, nd, 4, 2), pb = rowPtr(meta, nd, 4, 3);
    for (let i = 0; i < n; i++) {
      const v = load<u8>(pc + <usize>(i * sc)) != 0 ? load<T>(pa + <usize>(i * sa)) : load<T>(pb + <usize>(i * sb));
      store<T>(o + <usize>(i * so), v);
    }
    nextRow(meta, nd, 4);
  }
}

function fillWalk<T>(nd: i32, meta: usize, out: usize, value: f64): void {
  const rows = beginRows(meta, nd, 1, out, 0, 0, 0);
  const last = nd - 1;
  const n = geti(meta, last);
  const so = strideOf(meta, nd, 0, last);
  const v = fromF64<T>(value);
  for (let r = 0; r < rows; r++) {
    const o = rowPtr(meta, nd, 1, 0);
    let i = 0;
    if (ASC_FEATURE_SIMD) if (so == <i32>sizeof<T>()) {
      const vv = splat<T>(v);
      for (; i + lanes<T>() <= n; i += lanes<T>()) v128.store(at<T>(o, i), vv);
    }
    for (; i < n; i++) store<T>(o + <usize>(i * so), v);
    nextRow(meta, nd, 1);
  }
}

// ---- dispatch ---------------------------------------------------------------
// Ops with a v128 form get a loop specialised for them (the op folds away);
// the rest (transcendentals, integer pow, ...) share one loop per dtype that
// switches per element: they are compute-bound, and specialising them would
// double the module's size for no speed.

function unaryGeneric<T>(op: i32, nd: i32, meta: usize, out: usize, x: usize, p0: f64, p1: f64): void {
  const rows = beginRows(meta, nd, 2, out, x, 0, 0);
  const last = nd - 1;
  const n = geti(meta, last);
  const so = strideOf(meta, nd, 0, last), sx = strideOf(meta, nd, 1, last);
  for (let r = 0; r < rows; r++) {
    const o = rowPtr(meta, nd, 2, 0), px = rowPtr(meta, nd, 2, 1);
    for (let i = 0; i < n; i++) store<T>(o + <usize>(i * so), unaryScalar<T>(op, load<T>(px + <usize>(i * sx)), p0, p1));
    nextRow(meta, nd, 2);
  }
}

function binaryGeneric<T>(op: i32, nd: i32, meta: usize, out: usize, a: usize, b: usize, p: f64): void {
  const rows = beginRows(meta, nd, 3, out, a, b, 0);
  const last = nd - 1;
  const n = geti(meta, last);
  const so = strideOf(meta, nd, 0, last), sa = strideOf(meta, nd, 1, last), sb = strideOf(meta, nd, 2, last);
  for (let r = 0; r < rows; r++) {
    const o = rowPtr(meta, nd, 3, 0), pa = rowPtr(meta, nd, 3, 1), pb = rowPtr(meta, nd, 3, 2);
    for (let i = 0; i < n; i++) {
      store<T>(o + <usize>(i * so), binaryScalar<T>(op, load<T>(pa + <usize>(i * sa)), load<T>(pb + <usize>(i * sb)), p));
    }
    nextRow(meta, nd, 3);
  }
}

/** Runs `code`'s specialised loop when T has a vector form for it; false otherwise. */
@inline function unaryFast<T>(code: i32, nd: i32, meta: usize, out: usize, x: usize, p0: f64, p1: f64): bool {
  if (!hasVUnary<T>(code)) return false;
  unaryWalk<T>(code, nd, meta, out, x, p0, p1);
  return true;
}

@inline function unaryDispatch<T>(op: i32, nd: i32, meta: usize, out: usize, x: usize, p0: f64, p1: f64): void {
  if (!isFloat<T>()) {
    // rounding an integer is a copy and hardtanh is clamp
    if (op == Unary.floor || op == Unary.ceil || op == Unary.round || op == Unary.trunc) op = Unary.copy;
    else if (op == Unary.hardtanh) op = Unary.clamp;
  }
  let done = false;
  switch (op) {
    case Unary.copy: done = unaryFast<T>(Unary.copy, nd, meta, out, x, p0, p1); break;
    case Unary.neg: done = unaryFast<T>(Unary.neg, nd, meta, out, x, p0, p1); break;
    case Unary.abs: done = unaryFast<T>(Unary.abs, nd, meta, out, x, p0, p1); break;
    case Unary.square: done = unaryFast<T>(Unary.square, nd, meta, out, x, p0, p1); break;
    case Unary.relu: done = unaryFast<T>(Unary.relu, nd, meta, out, x, p0, p1); break;
    case Unary.addS: done = unaryFast<T>(Unary.addS, nd, meta, out, x, p0, p1); break;
    case Unary.subS: done = unaryFast<T>(Unary.subS, nd, meta, out, x, p0, p1); break;
    case Unary.rsubS: done = unaryFast<T>(Unary.rsubS, nd, meta, out, x, p0, p1); break;
    case Unary.mulS: done = unaryFast<T>(Unary.mulS, nd, meta, out, x, p0, p1); break;
    case Unary.divS: done = unaryFast<T>(Unary.divS, nd, meta, out, x, p0, p1); break;
    case Unary.rdivS: done = unaryFast<T>(Unary.rdivS, nd, meta, out, x, p0, p1); break;
    case Unary.maxS: done = unaryFast<T>(Unary.maxS, nd, meta, out, x, p0, p1); break;
    case Unary.minS: done = unaryFast<T>(Unary.minS, nd, meta, out, x, p0, p1); break;
    case Unary.clamp: done = unaryFast<T>(Unary.clamp, nd, meta, out, x, p0, p1); break;
    case Unary.hardtanh: done = unaryFast<T>(Unary.hardtanh, nd, meta, out, x, p0, p1); break;
    case Unary.sqrt: done = unaryFast<T>(Unary.sqrt, nd, meta, out, x, p0, p1); break;
    case Unary.rsqrt: done = unaryFast<T>(Unary.rsqrt, nd, meta, out, x, p0, p1); break;
    case Unary.reciprocal: done = unaryFast<T>(Unary.reciprocal, nd, meta, out, x, p0, p1); break;
    case Unary.floor: done = unaryFast<T>(Unary.floor, nd, meta, out, x, p0, p1); break;
    case Unary.ceil: done = unaryFast<T>(Unary.ceil, nd, meta, out, x, p0, p1); break;
    case Unary.round: done = unaryFast<T>(Unary.round, nd, meta, out, x, p0, p1); break;
    case Unary.trunc: done = unaryFast<T>(Unary.trunc, nd, meta, out, x, p0, p1); break;
    case Unary.leakyRelu: done = unaryFast<T>(Unary.leakyRelu, nd, meta, out, x, p0, p1); break;
    case Unary.sigmoidGrad: done = unaryFast<T>(Unary.sigmoidGrad, nd, meta, out, x, p0, p1); break;
    case Unary.tanhGrad: done = unaryFast<T>(Unary.tanhGrad, nd, meta, out, x, p0, p1); break;
    case Unary.exp: done = unaryFast<T>(Unary.exp, nd, meta, out, x, p0, p1); break;
    case Unary.log: done = unaryFast<T>(Unary.log, nd, meta, out, x, p0, p1); break;
    case Unary.sigmoid: done = unaryFast<T>(Unary.sigmoid, nd, meta, out, x, p0, p1); break;
    case Unary.tanh: done = unaryFast<T>(Unary.tanh, nd, meta, out, x, p0, p1); break;
    case Unary.silu: done = unaryFast<T>(Unary.silu, nd, meta, out, x, p0, p1); break;
  }
  if (!done) unaryGeneric<T>(op, nd, meta, out, x, p0, p1);
}

@inline function binaryFast<T>(code: i32, nd: i32, meta: usize, out: usize, a: usize, b: usize, p: f64): bool {
  if (!hasVBinary<T>(code)) return false;
  binaryWalk<T>(code, nd, meta, out, a, b, p);
  return true;
}

@inline function binaryDispatch<T>(op: i32, nd: i32, meta: usize, out: usize, a: usize, b: usize, p: f64): void {
  let done = false;
  switch (op) {
    case Binary.add: done = binaryFast<T>(Binary.add, nd, meta, out, a, b, p); break;
    case Binary.sub: done = binaryFast<T>(Binary.sub, nd, meta, out, a, b, p); break;
    case Binary.mul: done = binaryFast<T>(Binary.mul, nd, meta, out, a, b, p); break;
    case Binary.div: done = binaryFast<T>(Binary.div, nd, meta, out, a, b, p); break;
    case Binary.maximum: done = binaryFast<T>(Binary.maximum, nd, meta, out, a, b, p); break;
    case Binary.minimum: done = binaryFast<T>(Binary.minimum, nd, meta, out, a, b, p); break;
    case Binary.addScaled: done = binaryFast<T>(Binary.addScaled, nd, meta, out, a, b, p); break;
    case Binary.subScaled: done = binaryFast<T>(Binary.subScaled, nd, meta, out, a, b, p); break;
    case Binary.and: done = binaryFast<T>(Binary.and, nd, meta, out, a, b, p); break;
    case Binary.or: done = binaryFast<T>(Binary.or, nd, meta, out, a, b, p); break;
    case Binary.xor: done = binaryFast<T>(Binary.xor, nd, meta, out, a, b, p); break;
  }
  if (!done) binaryGeneric<T>(op, nd, meta, out, a, b, p);
}

// ---- exports ----------------------------------------------------------------

export function unary_f32(op: i32, nd: i32, meta: usize, out: usize, x: usize, p0: f64, p1: f64): void { unaryDispatch<f32>(op, nd, meta, out, x, p0, p1); }
export function unary_f64(op: i32, nd: i32, meta: usize, out: usize, x: usize, p0: f64, p1: f64): void { unaryDispatch<f64>(op, nd, meta, out, x, p0, p1); }
export function unary_i32(op: i32, nd: i32, meta: usize, out: usize, x: usize, p0: f64, p1: f64): void { unaryDispatch<i32>(op, nd, meta, out, x, p0, p1); }
export function unary_i64(op: i32, nd: i32, meta: usize, out: usize, x: usize, p0: f64, p1: f64): void { unaryDispatch<i64>(op, nd, meta, out, x, p0, p1); }
export function unary_u8(op: i32, nd: i32, meta: usize, out: usize, x: usize, p0: f64, p1: f64): void { unaryDispatch<u8>(op, nd, meta, out, x, p0, p1); }

export function binary_f32(op: i32, nd: i32, meta: usize, out: usize, a: usize, b: usize, p: f64): void { binaryDispatch<f32>(op, nd, meta, out, a, b, p); }
export function binary_f64(op: i32, nd: i32, meta: usize, out: usize, a: usize, b: usize, p: f64): void { binaryDispatch<f64>(op, nd, meta, out, a, b, p); }
export function binary_i32(op: i32, nd: i32, meta: usize, out: usize, a: usize, b: usize, p: f64): void { binaryDispatch<i32>(op, nd, meta, out, a, b, p); }
export function binary_i64(op: i32, nd: i32, meta: usize, out: usize, a: usize, b: usize, p: f64): void { binaryDispatch<i64>(op, nd, meta, out, a, b, p); }
export function binary_u8(op: i32, nd: i32, meta: usize, out: usize, a: usize, b: usize, p: f64): void { binaryDispatch<u8>(op, nd, meta, out, a, b, p); }

export function compare_f32(op: i32, nd: i32, meta: usize, out: usize, a: usize, b: usize): void { compareWalk<f32>(op, nd, meta, out, a, b); }
export function compare_f64(op: i32, nd: i32, meta: usize, out: usize, a: usize, b: usize): void { compareWalk<f64>(op, nd, meta, out, a, b); }
export function compare_i32(op: i32, nd: i32, meta: usize, out: usize, a: usize, b: usize): void { compareWalk<i32>(op, nd, meta, out, a, b); }
export function compare_i64(op: i32, nd: i32, meta: usize, out: usize, a: usize, b: usize): void { compareWalk<i64>(op, nd, meta, out, a, b); }
export function compare_u8(op: i32, nd: i32, meta: usize, out: usize, a: usize, b: usize): void { compareWalk<u8>(op, nd, meta, out, a, b); }

export function where_1(nd: i32, meta: usize, out: usize, c: usize, a: usize, b: usize): void { whereWalk<u8>(nd, meta, out, c, a, b); }
export function where_4(nd: i32, meta: usize, out: usize, c: usize, a: usize, b: usize): void { whereWalk<u32>(nd, meta, out, c, a, b); }
export function where_8(nd: i32, meta: usize, out: usize, c: usize, a: usize, b: usize): void { whereWalk<u64>(nd, meta, out, c, a, b); }

export function fill_f32(nd: i32, meta: usize, out: usize, v: f64): void { fillWalk<f32>(nd, meta, out, v); }
export function fill_f64(nd: i32, meta: usize, out: usize, v: f64): void { fillWalk<f64>(nd, meta, out, v); }
export function fill_i32(nd: i32, meta: usize, out: usize, v: f64): void { fillWalk<i32>(nd, meta, out, v); }
export function fill_i64(nd: i32, meta: usize, out: usize, v: f64): void { fillWalk<i64>(nd, meta, out, v); }
export function fill_u8(nd: i32, meta: usize, out: usize, v: f64): void { fillWalk<u8>(nd, meta, out, v); }
export function fill_bool(nd: i32, meta: usize, out: usize, v: f64): void { fillWalk<u8>(nd, meta, out, v != 0 ? 1 : 0); }

