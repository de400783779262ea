// Elementwise kernels on any strides: unary (with scalar parameters),
// binary, comparisons, where, fill and dtype-converting copies.
// Each loop walks rows (see common.ts); a row whose operands are all
// contiguous, or broadcast with stride 0, runs on v128 lanes, and every
// other element goes through the scalar definition in scalar.ts.
import { Unary, Binary } from './codes';
import { beginRows, nextRow, rowPtr, geti, strideOf, lanes, at, splat, fromF64 } from './common';
import { unaryScalar, binaryScalar, compareScalar } from './scalar';
import { hasVUnary, vUnary, hasVBinary, vBinary } from './vector';

// ---- rows -----------------------------------------------------------------

@inline function unaryRow<T>(op: i32, n: i32, o: usize, so: i32, x: usize, sx: i32, p0: f64, p1: f64): void {
  let i = 0;
  const size = <i32>sizeof<T>();
  if (hasVUnary<T>(op) && so == size && sx == size) {
    const v0 = splat<T>(fromF64<T>(p0));
    const v1 = splat<T>(fromF64<T>(p1));
    const L = lanes<T>();
    for (; i + 2 * L <= n; i += 2 * L) {
      v128.store(at<T>(o, i), vUnary<T>(op, v128.load(at<T>(x, i)), v0, v1));
      v128.store(at<T>(o, i + L), vUnary<T>(op, v128.load(at<T>(x, i + L)), v0, v1));
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
  if (hasVBinary<T>(op) && so == size) {
    const L = lanes<T>();
    const vp = splat<T>(fromF64<T>(p));
    if (sa == size && sb == size) {
      for (; i + 2 * L <= n; i += 2 * L) {
        v128.store(at<T>(o, i), vBinary<T>(op, v128.load(at<T>(a, i)), v128.load(at<T>(b, i)), vp));
        v128.store(at<T>(o, i + L), vBinary<T>(op, v128.load(at<T>(a, i + L)), v128.load(at<T>(b, i + L)), vp));
      }
      for (; i + L <= n; i += L) v128.store(at<T>(o, i), vBinary<T>(op, v128.load(at<T>(a, i)), v128.load(at<T>(b, i)), vp));
    } else if (sa == size && sb == 0) {
      const vb = splat<T>(load<T>(b));
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
    if (ASC_FEATURE_SIMD && so == <i32>sizeof<T>()) {
      const vv = splat<T>(v);
      for (; i + lanes<T>() <= n; i += lanes<T>()) v128.store(at<T>(o, i), vv);
    }
    for (; i < n; i++) store<T>(o + <usize>(i * so), v);
    nextRow(meta, nd, 1);
  }
}

// ---- dispatch: one specialised loop per (dtype, op) -------------------------

@inline function unaryDispatch<T>(op: i32, nd: i32, meta: usize, out: usize, x: usize, p0: f64, p1: f64): void {
  switch (op) {
    case Unary.copy: unaryWalk<T>(Unary.copy, nd, meta, out, x, p0, p1); return;
    case Unary.neg: unaryWalk<T>(Unary.neg, nd, meta, out, x, p0, p1); return;
    case Unary.abs: unaryWalk<T>(Unary.abs, nd, meta, out, x, p0, p1); return;
    case Unary.square: unaryWalk<T>(Unary.square, nd, meta, out, x, p0, p1); return;
    case Unary.sign: unaryWalk<T>(Unary.sign, nd, meta, out, x, p0, p1); return;
    case Unary.relu: unaryWalk<T>(Unary.relu, nd, meta, out, x, p0, p1); return;
    case Unary.addS: unaryWalk<T>(Unary.addS, nd, meta, out, x, p0, p1); return;
    case Unary.subS: unaryWalk<T>(Unary.subS, nd, meta, out, x, p0, p1); return;
    case Unary.rsubS: unaryWalk<T>(Unary.rsubS, nd, meta, out, x, p0, p1); return;
    case Unary.mulS: unaryWalk<T>(Unary.mulS, nd, meta, out, x, p0, p1); return;
    case Unary.divS: unaryWalk<T>(Unary.divS, nd, meta, out, x, p0, p1); return;
    case Unary.powS: unaryWalk<T>(Unary.powS, nd, meta, out, x, p0, p1); return;
    case Unary.rpowS: unaryWalk<T>(Unary.rpowS, nd, meta, out, x, p0, p1); return;
    case Unary.maxS: unaryWalk<T>(Unary.maxS, nd, meta, out, x, p0, p1); return;
    case Unary.minS: unaryWalk<T>(Unary.minS, nd, meta, out, x, p0, p1); return;
    case Unary.clamp: unaryWalk<T>(Unary.clamp, nd, meta, out, x, p0, p1); return;
    case Unary.fmodS: unaryWalk<T>(Unary.fmodS, nd, meta, out, x, p0, p1); return;
    case Unary.remainderS: unaryWalk<T>(Unary.remainderS, nd, meta, out, x, p0, p1); return;
  }
  if (!isFloat<T>()) {
    // rounding an integer is a copy, its fraction is 0 and hardtanh is clamp: every dtype gets them
    switch (op) {
      case Unary.notBits: unaryWalk<T>(Unary.notBits, nd, meta, out, x, p0, p1); return;
      case Unary.floor:
      case Unary.ceil:
      case Unary.round:
      case Unary.trunc: unaryWalk<T>(Unary.copy, nd, meta, out, x, p0, p1); return;
      case Unary.frac: unaryWalk<T>(Unary.frac, nd, meta, out, x, p0, p1); return;
      case Unary.hardtanh: unaryWalk<T>(Unary.clamp, nd, meta, out, x, p0, p1); return;
    }
    return;
  }
  switch (op) {
    case Unary.exp: unaryWalk<T>(Unary.exp, nd, meta, out, x, p0, p1); return;
    case Unary.log: unaryWalk<T>(Unary.log, nd, meta, out, x, p0, p1); return;
    case Unary.sqrt: unaryWalk<T>(Unary.sqrt, nd, meta, out, x, p0, p1); return;
    case Unary.rsqrt: unaryWalk<T>(Unary.rsqrt, nd, meta, out, x, p0, p1); return;
    case Unary.sin: unaryWalk<T>(Unary.sin, nd, meta, out, x, p0, p1); return;
    case Unary.cos: unaryWalk<T>(Unary.cos, nd, meta, out, x, p0, p1); return;
    case Unary.tan: unaryWalk<T>(Unary.tan, nd, meta, out, x, p0, p1); return;
    case Unary.tanh: unaryWalk<T>(Unary.tanh, nd, meta, out, x, p0, p1); return;
    case Unary.sigmoid: unaryWalk<T>(Unary.sigmoid, nd, meta, out, x, p0, p1); return;
    case Unary.reciprocal: unaryWalk<T>(Unary.reciprocal, nd, meta, out, x, p0, p1); return;
    case Unary.log1p: unaryWalk<T>(Unary.log1p, nd, meta, out, x, p0, p1); return;
    case Unary.expm1: unaryWalk<T>(Unary.expm1, nd, meta, out, x, p0, p1); return;
    case Unary.floor: unaryWalk<T>(Unary.floor, nd, meta, out, x, p0, p1); return;
    case Unary.ceil: unaryWalk<T>(Unary.ceil, nd, meta, out, x, p0, p1); return;
    case Unary.round: unaryWalk<T>(Unary.round, nd, meta, out, x, p0, p1); return;
    case Unary.trunc: unaryWalk<T>(Unary.trunc, nd, meta, out, x, p0, p1); return;
    case Unary.frac: unaryWalk<T>(Unary.frac, nd, meta, out, x, p0, p1); return;
    case Unary.erf: unaryWalk<T>(Unary.erf, nd, meta, out, x, p0, p1); return;
    case Unary.log2: unaryWalk<T>(Unary.log2, nd, meta, out, x, p0, p1); return;
    case Unary.log10: unaryWalk<T>(Unary.log10, nd, meta, out, x, p0, p1); return;
    case Unary.exp2: unaryWalk<T>(Unary.exp2, nd, meta, out, x, p0, p1); return;
    case Unary.atan: unaryWalk<T>(Unary.atan, nd, meta, out, x, p0, p1); return;
    case Unary.asin: unaryWalk<T>(Unary.asin, nd, meta, out, x, p0, p1); return;
    case Unary.acos: unaryWalk<T>(Unary.acos, nd, meta, out, x, p0, p1); return;
    case Unary.sinh: unaryWalk<T>(Unary.sinh, nd, meta, out, x, p0, p1); return;
    case Unary.cosh: unaryWalk<T>(Unary.cosh, nd, meta, out, x, p0, p1); return;
    case Unary.asinh: unaryWalk<T>(Unary.asinh, nd, meta, out, x, p0, p1); return;
    case Unary.acosh: unaryWalk<T>(Unary.acosh, nd, meta, out, x, p0, p1); return;
    case Unary.atanh: unaryWalk<T>(Unary.atanh, nd, meta, out, x, p0, p1); return;
    case Unary.rdivS: unaryWalk<T>(Unary.rdivS, nd, meta, out, x, p0, p1); return;
    case Unary.leakyRelu: unaryWalk<T>(Unary.leakyRelu, nd, meta, out, x, p0, p1); return;
    case Unary.gelu: unaryWalk<T>(Unary.gelu, nd, meta, out, x, p0, p1); return;
    case Unary.geluTanh: unaryWalk<T>(Unary.geluTanh, nd, meta, out, x, p0, p1); return;
    case Unary.silu: unaryWalk<T>(Unary.silu, nd, meta, out, x, p0, p1); return;
    case Unary.softplus: unaryWalk<T>(Unary.softplus, nd, meta, out, x, p0, p1); return;
    case Unary.elu: unaryWalk<T>(Unary.elu, nd, meta, out, x, p0, p1); return;
    case Unary.hardtanh: unaryWalk<T>(Unary.hardtanh, nd, meta, out, x, p0, p1); return;
    case Unary.sigmoidGrad: unaryWalk<T>(Unary.sigmoidGrad, nd, meta, out, x, p0, p1); return;
    case Unary.tanhGrad: unaryWalk<T>(Unary.tanhGrad, nd, meta, out, x, p0, p1); return;
  }
}

@inline function binaryDispatch<T>(op: i32, nd: i32, meta: usize, out: usize, a: usize, b: usize, p: f64): void {
  switch (op) {
    case Binary.add: binaryWalk<T>(Binary.add, nd, meta, out, a, b, p); return;
    case Binary.sub: binaryWalk<T>(Binary.sub, nd, meta, out, a, b, p); return;
    case Binary.mul: binaryWalk<T>(Binary.mul, nd, meta, out, a, b, p); return;
    case Binary.div: binaryWalk<T>(Binary.div, nd, meta, out, a, b, p); return;
    case Binary.pow: binaryWalk<T>(Binary.pow, nd, meta, out, a, b, p); return;
    case Binary.maximum: binaryWalk<T>(Binary.maximum, nd, meta, out, a, b, p); return;
    case Binary.minimum: binaryWalk<T>(Binary.minimum, nd, meta, out, a, b, p); return;
    case Binary.fmod: binaryWalk<T>(Binary.fmod, nd, meta, out, a, b, p); return;
    case Binary.remainder: binaryWalk<T>(Binary.remainder, nd, meta, out, a, b, p); return;
    case Binary.floorDiv: binaryWalk<T>(Binary.floorDiv, nd, meta, out, a, b, p); return;
    case Binary.addScaled: binaryWalk<T>(Binary.addScaled, nd, meta, out, a, b, p); return;
    case Binary.subScaled: binaryWalk<T>(Binary.subScaled, nd, meta, out, a, b, p); return;
  }
  if (!isFloat<T>()) {
    switch (op) {
      case Binary.and: binaryWalk<T>(Binary.and, nd, meta, out, a, b, p); return;
      case Binary.or: binaryWalk<T>(Binary.or, nd, meta, out, a, b, p); return;
      case Binary.xor: binaryWalk<T>(Binary.xor, nd, meta, out, a, b, p); return;
    }
    return;
  }
  switch (op) {
    case Binary.atan2: binaryWalk<T>(Binary.atan2, nd, meta, out, a, b, p); return;
    case Binary.hypot: binaryWalk<T>(Binary.hypot, nd, meta, out, a, b, p); return;
    case Binary.xlogy: binaryWalk<T>(Binary.xlogy, nd, meta, out, a, b, p); return;
  }
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

