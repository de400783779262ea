// Scalar definitions of every elementwise op: the reference the SIMD paths
// must agree with, and the tail/strided path of every loop.
import { Unary, Binary, Compare } from './codes';
import { fromF64, isF32 } from './common';

const INV_SQRT_PI: f64 = 0.5641895835477563;
const TWO_OVER_SQRT_PI: f64 = 1.1283791670955126;

/** erfc(x) for x >= 2.5 by the continued fraction e^-x^2/sqrt(pi) / (x + 1/2/(x + 1/(x + 3/2/(x + ...)))). */
function erfcLarge(x: f64): f64 {
  let f = x, c = x, d = 0.0;
  for (let k = 1; k < 500; k++) {
    const a = <f64>k * 0.5;
    d = 1.0 / (x + a * d);
    c = x + a / c;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1.0) < 1e-16) break;
  }
  return Math.exp(-x * x) * INV_SQRT_PI / f;
}

export function erf64(x: f64): f64 {
  const ax = Math.abs(x);
  if (ax != ax) return x;
  if (ax >= 6.0) return x > 0 ? 1.0 : -1.0;
  let r: f64;
  if (ax < 2.5) {
    // all-positive series: erf(x) = 2/sqrt(pi) e^-x^2 sum (2x^2)^n x / (1*3*..*(2n+1))
    const x2 = ax * ax;
    let term = ax, sum = ax;
    for (let n = 1; n < 200; n++) {
      term *= (2.0 * x2) / <f64>(2 * n + 1);
      sum += term;
      if (term < sum * 1e-17) break;
    }
    r = TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
  } else {
    r = 1.0 - erfcLarge(ax);
  }
  return x < 0 ? -r : r;
}

/** Integer power with PyTorch's rules for negative exponents (1, -1 survive; others become 0). */
@inline function ipow<T>(b: T, e: T): T {
  if (e < <T>0) {
    if (b == <T>1) return <T>1;
    if (b == <T>-1) return (e & <T>1) != <T>0 ? <T>-1 : <T>1;
    return <T>0;
  }
  let r: T = <T>1;
  while (e != <T>0) {
    if ((e & <T>1) != <T>0) r *= b;
    b *= b;
    e >>= <T>1;
  }
  return r;
}

@inline function fpow<T>(a: T, b: T): T {
  // C's pow, as PyTorch: 1^y (even y = NaN) and (-1)^(+-inf) are 1; the JS-style Math.pow gives NaN
  if (a == <T>1 || (a == <T>-1 && abs<T>(b) == <T>Infinity)) return <T>1;
  if (isF32<T>()) return <T>Mathf.pow(<f32>a, <f32>b);
  return <T>Math.pow(<f64>a, <f64>b);
}

/** C fmod for floats (sign of the dividend); integer % with a zero divisor giving 0. */
@inline function fmodT<T>(a: T, b: T): T {
  if (isFloat<T>()) {
    if (isF32<T>()) return <T>Mathf.mod(<f32>a, <f32>b);
    return <T>Math.mod(<f64>a, <f64>b);
  }
  if (b == <T>0) return <T>0;
  if (!isSigned<T>()) return a % b;
  if (b == <T>-1) return <T>0; // MIN % -1 traps in wasm
  return a % b;
}

/** Python's % (sign of the divisor). */
@inline function remainderT<T>(a: T, b: T): T {
  const r = fmodT<T>(a, b);
  if (r != <T>0 && ((r < <T>0) != (b < <T>0))) return r + b;
  return r;
}

@inline function floorDivT<T>(a: T, b: T): T {
  if (isFloat<T>()) {
    if (isF32<T>()) return <T>Mathf.floor(<f32>a / <f32>b);
    return <T>Math.floor(<f64>a / <f64>b);
  }
  if (b == <T>0) return <T>0;
  if (isSigned<T>() && b == <T>-1) return <T>0 - a;
  const q = a / b;
  // round toward -inf when signs differ and the division was inexact
  if (isSigned<T>() && q * b != a && ((a < <T>0) != (b < <T>0))) return q - <T>1;
  return q;
}

@inline function fexp<T>(x: T): T {
  if (isF32<T>()) return <T>Mathf.exp(<f32>x);
  return <T>Math.exp(<f64>x);
}

@inline function flog<T>(x: T): T {
  if (isF32<T>()) return <T>Mathf.log(<f32>x);
  return <T>Math.log(<f64>x);
}

@inline function flog1p<T>(x: T): T {
  if (isF32<T>()) return <T>Mathf.log1p(<f32>x);
  return <T>Math.log1p(<f64>x);
}

@inline function ftanh<T>(x: T): T {
  if (isF32<T>()) return <T>Mathf.tanh(<f32>x);
  return <T>Math.tanh(<f64>x);
}

@inline function ferf<T>(x: T): T {
  return <T>erf64(<f64>x);
}

@inline function fsigmoid<T>(x: T): T {
  return <T>1 / (<T>1 + fexp<T>(-x));
}

@inline function maxT<T>(a: T, b: T): T {
  if (isFloat<T>()) return max<T>(a, b); // wasm fmax propagates NaN, as torch.maximum does
  return a > b ? a : b;
}

@inline function minT<T>(a: T, b: T): T {
  if (isFloat<T>()) return min<T>(a, b);
  return a < b ? a : b;
}

@inline export function unaryScalar<T>(op: i32, x: T, p0: f64, p1: f64): T {
  // ops that make sense for every dtype
  switch (op) {
    case Unary.copy: return x;
    case Unary.neg: return isFloat<T>() ? -x : <T>0 - x; // -0.0 for 0.0, as torch.neg
    case Unary.abs: return isFloat<T>() ? abs<T>(x) : x < <T>0 ? <T>0 - x : x;
    case Unary.square: return x * x;
    case Unary.sign: return x > <T>0 ? <T>1 : x < <T>0 ? <T>-1 : <T>0;
    // torch.relu is `x < 0 ? 0 : x`: NaN and -0.0 pass through (relu written as max(x, 0) loses -0.0)
    case Unary.relu: return x < <T>0 ? <T>0 : x;
    case Unary.addS: return x + fromF64<T>(p0);
    case Unary.subS: return x - fromF64<T>(p0);
    case Unary.rsubS: return fromF64<T>(p0) - x;
    case Unary.mulS: return x * fromF64<T>(p0);
    case Unary.maxS: return maxT<T>(x, fromF64<T>(p0));
    case Unary.minS: return minT<T>(x, fromF64<T>(p0));
    case Unary.clamp: return minT<T>(maxT<T>(x, fromF64<T>(p0)), fromF64<T>(p1));
    case Unary.fmodS: return fmodT<T>(x, fromF64<T>(p0));
    case Unary.remainderS: return remainderT<T>(x, fromF64<T>(p0));
  }
  if (!isFloat<T>()) {
    switch (op) {
      case Unary.floor:
      case Unary.ceil:
      case Unary.round:
      case Unary.trunc: return x;
      case Unary.frac: return <T>0;
      case Unary.powS: return ipow<T>(x, fromF64<T>(p0));
      case Unary.rpowS: return ipow<T>(fromF64<T>(p0), x);
      case Unary.notBits: return ~x;
      case Unary.divS: return floorDivT<T>(x, fromF64<T>(p0));
    }
    return <T>0;
  }
  switch (op) {
    case Unary.exp: return fexp<T>(x);
    case Unary.log: return flog<T>(x);
    case Unary.sqrt: return sqrt<T>(x);
    case Unary.rsqrt: return <T>1 / sqrt<T>(x);
    case Unary.sin: return isF32<T>() ? <T>Mathf.sin(<f32>x) : <T>Math.sin(<f64>x);
    case Unary.cos: return isF32<T>() ? <T>Mathf.cos(<f32>x) : <T>Math.cos(<f64>x);
    case Unary.tan: return isF32<T>() ? <T>Mathf.tan(<f32>x) : <T>Math.tan(<f64>x);
    case Unary.tanh: return ftanh<T>(x);
    case Unary.sigmoid: return fsigmoid<T>(x);
    case Unary.reciprocal: return <T>1 / x;
    case Unary.log1p: return flog1p<T>(x);
    case Unary.expm1: return isF32<T>() ? <T>Mathf.expm1(<f32>x) : <T>Math.expm1(<f64>x);
    case Unary.floor: return floor<T>(x);
    case Unary.ceil: return ceil<T>(x);
    case Unary.round: return nearest<T>(x); // ties to even, as torch.round
    case Unary.trunc: return trunc<T>(x);
    case Unary.frac: return x - trunc<T>(x);
    case Unary.erf: return ferf<T>(x);
    case Unary.log2: return isF32<T>() ? <T>Mathf.log2(<f32>x) : <T>Math.log2(<f64>x);
    case Unary.log10: return isF32<T>() ? <T>Mathf.log10(<f32>x) : <T>Math.log10(<f64>x);
    case Unary.exp2: return isF32<T>() ? <T>Mathf.exp2(<f32>x) : <T>Math.exp2(<f64>x);
    case Unary.atan: return isF32<T>() ? <T>Mathf.atan(<f32>x) : <T>Math.atan(<f64>x);
    case Unary.asin: return isF32<T>() ? <T>Mathf.asin(<f32>x) : <T>Math.asin(<f64>x);
    case Unary.acos: return isF32<T>() ? <T>Mathf.acos(<f32>x) : <T>Math.acos(<f64>x);
    case Unary.sinh: return isF32<T>() ? <T>Mathf.sinh(<f32>x) : <T>Math.sinh(<f64>x);
    case Unary.cosh: return isF32<T>() ? <T>Mathf.cosh(<f32>x) : <T>Math.cosh(<f64>x);
    case Unary.asinh: return isF32<T>() ? <T>Mathf.asinh(<f32>x) : <T>Math.asinh(<f64>x);
    case Unary.acosh: return isF32<T>() ? <T>Mathf.acosh(<f32>x) : <T>Math.acosh(<f64>x);
    case Unary.atanh: return isF32<T>() ? <T>Mathf.atanh(<f32>x) : <T>Math.atanh(<f64>x);
    case Unary.divS: return x / fromF64<T>(p0);
    case Unary.rdivS: return fromF64<T>(p0) / x;
    case Unary.powS: return fpow<T>(x, fromF64<T>(p0));
    case Unary.rpowS: return fpow<T>(fromF64<T>(p0), x);
    case Unary.leakyRelu: return x > <T>0 ? x : x * fromF64<T>(p0);
    case Unary.gelu: return <T>0.5 * x * (<T>1 + ferf<T>(x * <T>0.7071067811865476));
    case Unary.geluTanh: {
      const inner = <T>0.7978845608028654 * (x + <T>0.044715 * x * x * x);
      return <T>0.5 * x * (<T>1 + ftanh<T>(inner));
    }
    case Unary.silu: return x * fsigmoid<T>(x);
    case Unary.softplus: {
      // p0 = beta, p1 = threshold: linear above the threshold, as torch.nn.functional.softplus
      const bx = x * fromF64<T>(p0);
      return bx > fromF64<T>(p1) ? x : flog1p<T>(fexp<T>(bx)) / fromF64<T>(p0);
    }
    case Unary.elu: return x > <T>0 ? x : fromF64<T>(p0) * (isF32<T>() ? <T>Mathf.expm1(<f32>x) : <T>Math.expm1(<f64>x));
    case Unary.hardtanh: return minT<T>(maxT<T>(x, fromF64<T>(p0)), fromF64<T>(p1));
    case Unary.sigmoidGrad: return x * (<T>1 - x);
    case Unary.tanhGrad: return <T>1 - x * x;
  }
  return <T>0;
}

@inline export function binaryScalar<T>(op: i32, a: T, b: T, p: f64): T {
  switch (op) {
    case Binary.add: return a + b;
    case Binary.sub: return a - b;
    case Binary.mul: return a * b;
    case Binary.maximum: return maxT<T>(a, b);
    case Binary.minimum: return minT<T>(a, b);
    case Binary.fmod: return fmodT<T>(a, b);
    case Binary.remainder: return remainderT<T>(a, b);
    case Binary.floorDiv: return floorDivT<T>(a, b);
    case Binary.addScaled: return a + b * fromF64<T>(p);
    case Binary.subScaled: return a - b * fromF64<T>(p);
  }
  if (!isFloat<T>()) {
    switch (op) {
      case Binary.div: return floorDivT<T>(a, b);
      case Binary.pow: return ipow<T>(a, b);
      case Binary.and: return a & b;
      case Binary.or: return a | b;
      case Binary.xor: return a ^ b;
    }
    return <T>0;
  }
  switch (op) {
    case Binary.div: return a / b;
    case Binary.pow: return fpow<T>(a, b);
    case Binary.atan2: return isF32<T>() ? <T>Mathf.atan2(<f32>a, <f32>b) : <T>Math.atan2(<f64>a, <f64>b);
    case Binary.hypot: return isF32<T>() ? <T>Mathf.hypot(<f32>a, <f32>b) : <T>Math.hypot(<f64>a, <f64>b);
    case Binary.xlogy: {
      if (b != b) return b;
      return a == <T>0 ? <T>0 : a * flog<T>(b);
    }
  }
  return <T>0;
}

@inline export function compareScalar<T>(op: i32, a: T, b: T): bool {
  switch (op) {
    case Compare.eq: return a == b;
    case Compare.ne: return a != b;
    case Compare.lt: return a < b;
    case Compare.le: return a <= b;
    case Compare.gt: return a > b;
    case Compare.ge: return a >= b;
    case Compare.nonzero: return a != <T>0;
    case Compare.isZero: return a == <T>0;
  }
  if (!isFloat<T>()) return op == Compare.isfinite;
  switch (op) {
    case Compare.isnan: return a != a;
    case Compare.isinf: return a == <T>Infinity || a == <T>-Infinity;
    case Compare.isfinite: return a - a == <T>0;
    case Compare.isposinf: return a == <T>Infinity;
    case Compare.isneginf: return a == <T>-Infinity;
  }
  return false;
}
