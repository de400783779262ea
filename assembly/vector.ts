// v128 forms of the elementwise ops that have a cheap vector equivalent.
// hasV*<T>(op) tells the loops which ones; anything else stays scalar.
// Traps worth naming: f32x4.max/min propagate NaN (as torch.maximum does),
// i64x2 has no min/max, and i8x16 has no multiply.
import { Unary, Binary } from './codes';
import { isF32, isF64 } from './common';
import { vexp, vlog, vsigmoid, vtanh, exp4, sigmoid4, tanh4 } from './vmath';

@inline export function hasVUnary<T>(op: i32): bool {
  if (!ASC_FEATURE_SIMD) return false;
  switch (op) {
    case Unary.copy: case Unary.addS: case Unary.subS: case Unary.rsubS: return true;
  }
  if (isF32<T>()) {
    switch (op) {
      case Unary.exp: case Unary.log: case Unary.sigmoid: case Unary.tanh: case Unary.silu: return true;
    }
  }
  if (isFloat<T>()) {
    switch (op) {
      case Unary.neg: case Unary.abs: case Unary.sqrt: case Unary.relu: case Unary.square:
      case Unary.reciprocal: case Unary.floor: case Unary.ceil: case Unary.round: case Unary.trunc:
      case Unary.mulS: case Unary.divS: case Unary.rdivS: case Unary.maxS: case Unary.minS:
      case Unary.clamp: case Unary.hardtanh: case Unary.leakyRelu: case Unary.sigmoidGrad:
      case Unary.tanhGrad: case Unary.rsqrt: return true;
    }
    return false;
  }
  if (sizeof<T>() == 4) {
    switch (op) {
      case Unary.neg: case Unary.abs: case Unary.square: case Unary.relu: case Unary.mulS:
      case Unary.maxS: case Unary.minS: case Unary.clamp: return true;
    }
    return false;
  }
  if (sizeof<T>() == 8) {
    switch (op) {
      case Unary.neg: case Unary.abs: case Unary.square: case Unary.mulS: return true;
    }
    return false;
  }
  switch (op) {
    case Unary.maxS: case Unary.minS: case Unary.clamp: return true;
  }
  return false;
}

@inline export function vUnary<T>(op: i32, x: v128, p0: v128, p1: v128): v128 {
  if (op == Unary.copy) return x;
  if (isF32<T>()) {
    switch (op) {
      case Unary.exp: return vexp(x);
      case Unary.log: return vlog(x);
      case Unary.sigmoid: return vsigmoid(x);
      case Unary.tanh: return vtanh(x);
      case Unary.silu: return f32x4.mul(x, vsigmoid(x));
      case Unary.neg: return f32x4.neg(x);
      case Unary.abs: return f32x4.abs(x);
      case Unary.sqrt: return f32x4.sqrt(x);
      case Unary.rsqrt: return f32x4.div(f32x4.splat(1), f32x4.sqrt(x));
      case Unary.relu: return v128.andnot(x, f32x4.lt(x, f32x4.splat(0)));
      case Unary.square: return f32x4.mul(x, x);
      case Unary.reciprocal: return f32x4.div(f32x4.splat(1), x);
      case Unary.floor: return f32x4.floor(x);
      case Unary.ceil: return f32x4.ceil(x);
      case Unary.round: return f32x4.nearest(x);
      case Unary.trunc: return f32x4.trunc(x);
      case Unary.addS: return f32x4.add(x, p0);
      case Unary.subS: return f32x4.sub(x, p0);
      case Unary.rsubS: return f32x4.sub(p0, x);
      case Unary.mulS: return f32x4.mul(x, p0);
      case Unary.divS: return f32x4.div(x, p0);
      case Unary.rdivS: return f32x4.div(p0, x);
      case Unary.maxS: return f32x4.max(x, p0);
      case Unary.minS: return f32x4.min(x, p0);
      case Unary.clamp: case Unary.hardtanh: return f32x4.min(f32x4.max(x, p0), p1);
      case Unary.leakyRelu: return v128.bitselect(x, f32x4.mul(x, p0), f32x4.gt(x, f32x4.splat(0)));
      case Unary.sigmoidGrad: return f32x4.mul(x, f32x4.sub(f32x4.splat(1), x));
      case Unary.tanhGrad: return f32x4.sub(f32x4.splat(1), f32x4.mul(x, x));
    }
  } else if (isF64<T>()) {
    switch (op) {
      case Unary.neg: return f64x2.neg(x);
      case Unary.abs: return f64x2.abs(x);
      case Unary.sqrt: return f64x2.sqrt(x);
      case Unary.rsqrt: return f64x2.div(f64x2.splat(1), f64x2.sqrt(x));
      case Unary.relu: return v128.andnot(x, f64x2.lt(x, f64x2.splat(0)));
      case Unary.square: return f64x2.mul(x, x);
      case Unary.reciprocal: return f64x2.div(f64x2.splat(1), x);
      case Unary.floor: return f64x2.floor(x);
      case Unary.ceil: return f64x2.ceil(x);
      case Unary.round: return f64x2.nearest(x);
      case Unary.trunc: return f64x2.trunc(x);
      case Unary.addS: return f64x2.add(x, p0);
      case Unary.subS: return f64x2.sub(x, p0);
      case Unary.rsubS: return f64x2.sub(p0, x);
      case Unary.mulS: return f64x2.mul(x, p0);
      case Unary.divS: return f64x2.div(x, p0);
      case Unary.rdivS: return f64x2.div(p0, x);
      case Unary.maxS: return f64x2.max(x, p0);
      case Unary.minS: return f64x2.min(x, p0);
      case Unary.clamp: case Unary.hardtanh: return f64x2.min(f64x2.max(x, p0), p1);
      case Unary.leakyRelu: return v128.bitselect(x, f64x2.mul(x, p0), f64x2.gt(x, f64x2.splat(0)));
      case Unary.sigmoidGrad: return f64x2.mul(x, f64x2.sub(f64x2.splat(1), x));
      case Unary.tanhGrad: return f64x2.sub(f64x2.splat(1), f64x2.mul(x, x));
    }
  } else if (sizeof<T>() == 4) {
    switch (op) {
      case Unary.neg: return i32x4.neg(x);
      case Unary.abs: return i32x4.abs(x);
      case Unary.square: return i32x4.mul(x, x);
      case Unary.relu: return i32x4.max_s(x, i32x4.splat(0));
      case Unary.addS: return i32x4.add(x, p0);
      case Unary.subS: return i32x4.sub(x, p0);
      case Unary.rsubS: return i32x4.sub(p0, x);
      case Unary.mulS: return i32x4.mul(x, p0);
      case Unary.maxS: return i32x4.max_s(x, p0);
      case Unary.minS: return i32x4.min_s(x, p0);
      case Unary.clamp: return i32x4.min_s(i32x4.max_s(x, p0), p1);
    }
  } else if (sizeof<T>() == 8) {
    switch (op) {
      case Unary.neg: return i64x2.neg(x);
      case Unary.abs: return i64x2.abs(x);
      case Unary.square: return i64x2.mul(x, x);
      case Unary.addS: return i64x2.add(x, p0);
      case Unary.subS: return i64x2.sub(x, p0);
      case Unary.rsubS: return i64x2.sub(p0, x);
      case Unary.mulS: return i64x2.mul(x, p0);
    }
  } else {
    switch (op) {
      case Unary.addS: return i8x16.add(x, p0);
      case Unary.subS: return i8x16.sub(x, p0);
      case Unary.rsubS: return i8x16.sub(p0, x);
      case Unary.maxS: return i8x16.max_u(x, p0);
      case Unary.minS: return i8x16.min_u(x, p0);
      case Unary.clamp: return i8x16.min_u(i8x16.max_u(x, p0), p1);
    }
  }
  unreachable();
  return x;
}

@inline export function hasVBinary<T>(op: i32): bool {
  if (!ASC_FEATURE_SIMD) return false;
  switch (op) {
    case Binary.add: case Binary.sub: return true;
  }
  if (isFloat<T>()) {
    switch (op) {
      case Binary.mul: case Binary.div: case Binary.maximum: case Binary.minimum:
      case Binary.addScaled: case Binary.subScaled: return true;
    }
    return false;
  }
  switch (op) {
    case Binary.and: case Binary.or: case Binary.xor: return true;
    case Binary.mul: case Binary.addScaled: case Binary.subScaled: return sizeof<T>() >= 4;
    case Binary.maximum: case Binary.minimum: return sizeof<T>() != 8;
  }
  return false;
}

@inline export function vBinary<T>(op: i32, a: v128, b: v128, p: v128): v128 {
  switch (op) {
    case Binary.and: return v128.and(a, b);
    case Binary.or: return v128.or(a, b);
    case Binary.xor: return v128.xor(a, b);
  }
  if (isF32<T>()) {
    switch (op) {
      case Binary.add: return f32x4.add(a, b);
      case Binary.sub: return f32x4.sub(a, b);
      case Binary.mul: return f32x4.mul(a, b);
      case Binary.div: return f32x4.div(a, b);
      case Binary.maximum: return f32x4.max(a, b);
      case Binary.minimum: return f32x4.min(a, b);
      case Binary.addScaled: return f32x4.add(a, f32x4.mul(b, p));
      case Binary.subScaled: return f32x4.sub(a, f32x4.mul(b, p));
    }
  } else if (isF64<T>()) {
    switch (op) {
      case Binary.add: return f64x2.add(a, b);
      case Binary.sub: return f64x2.sub(a, b);
      case Binary.mul: return f64x2.mul(a, b);
      case Binary.div: return f64x2.div(a, b);
      case Binary.maximum: return f64x2.max(a, b);
      case Binary.minimum: return f64x2.min(a, b);
      case Binary.addScaled: return f64x2.add(a, f64x2.mul(b, p));
      case Binary.subScaled: return f64x2.sub(a, f64x2.mul(b, p));
    }
  } else if (sizeof<T>() == 4) {
    switch (op) {
      case Binary.add: return i32x4.add(a, b);
      case Binary.sub: return i32x4.sub(a, b);
      case Binary.mul: return i32x4.mul(a, b);
      case Binary.maximum: return i32x4.max_s(a, b);
      case Binary.minimum: return i32x4.min_s(a, b);
      case Binary.addScaled: return i32x4.add(a, i32x4.mul(b, p));
      case Binary.subScaled: return i32x4.sub(a, i32x4.mul(b, p));
    }
  } else if (sizeof<T>() == 8) {
    switch (op) {
      case Binary.add: return i64x2.add(a, b);
      case Binary.sub: return i64x2.sub(a, b);
      case Binary.mul: return i64x2.mul(a, b);
      case Binary.addScaled: return i64x2.add(a, i64x2.mul(b, p));
      case Binary.subScaled: return i64x2.sub(a, i64x2.mul(b, p));
    }
  } else {
    switch (op) {
      case Binary.add: return i8x16.add(a, b);
      case Binary.sub: return i8x16.sub(a, b);
      case Binary.maximum: return i8x16.max_u(a, b);
      case Binary.minimum: return i8x16.min_u(a, b);
    }
  }
  unreachable();
  return a;
}

/** float32 ops with a 16-wide (four interleaved vectors) form: the transcendentals. */
@inline export function hasV16(op: i32): bool {
  return op == Unary.exp || op == Unary.sigmoid || op == Unary.silu || op == Unary.tanh;
}

/** Sixteen floats of op from src to dst (they may be the same buffer). */
@inline export function vUnary16(op: i32, dst: usize, src: usize): void {
  const a = v128.load(src), b = v128.load(src, 16), c = v128.load(src, 32), d = v128.load(src, 48);
  if (op == Unary.exp) exp4(dst, a, b, c, d);
  else if (op == Unary.tanh) tanh4(dst, a, b, c, d);
  else sigmoid4(dst, a, b, c, d, op == Unary.silu);
}
