// Op codes shared by the kernels and the TypeScript that calls them.
// This file must stay valid AssemblyScript and valid TypeScript: plain enums only.

/** Elementwise maps x -> y of one dtype; p0/p1 are scalar parameters. */
export enum Unary {
  copy, neg, abs, exp, log, sqrt, rsqrt, sin, cos, tan, tanh, sigmoid, relu, square,
  reciprocal, log1p, expm1, sign, floor, ceil, round, trunc, erf, log2, log10, exp2,
  atan, asin, acos, sinh, cosh, asinh, acosh, atanh, frac,
  addS, subS, rsubS, mulS, divS, rdivS, powS, rpowS, maxS, minS, clamp, leakyRelu,
  gelu, geluTanh, silu, softplus, elu, hardtanh, fmodS, remainderS, notBits,
  /** x * (1 - x): sigmoid's derivative written in terms of its output */
  sigmoidGrad,
  /** 1 - x * x: tanh's derivative written in terms of its output */
  tanhGrad,
}

/** Elementwise (a, b) -> c of one dtype. */
export enum Binary {
  add, sub, mul, div, pow, maximum, minimum, and, or, xor, atan2, fmod, remainder,
  floorDiv, hypot, xlogy,
  /** a + b * p (PyTorch's alpha) */
  addScaled,
  /** a - b * p */
  subScaled,
}

/** Elementwise (a, b) -> bool. The unary predicates ignore b. */
export enum Compare {
  eq, ne, lt, le, gt, ge, isnan, isinf, isfinite, isposinf, isneginf, nonzero, isZero,
}

/** Reductions that fold many values into one. */
export enum Reduce { sum, prod, max, min, nanSum }

/** Reductions that also report where the winner was. */
export enum ArgReduce { max, min }

/** Running reductions along one axis. */
export enum Scan { sum, prod, max, min }

/** Normalising reductions along one axis. */
export enum Softmax { softmax, logSoftmax }

/** Storage dtypes as the kernels know them. */
export enum DTypeCode { float32, float64, int32, int64, uint8, bool }
