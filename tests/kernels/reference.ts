// Plain-JS definitions of every elementwise kernel op. Float ops compute in
// double from the (already rounded) inputs and round once at the end unless
// the kernel's definition rounds in between (then `R` marks each step), so
// exact ops are compared bit for bit and transcendentals in ulps. Integer
// ops compute on bigint and wrap to the dtype.
import { Unary, Binary, Compare } from '../../assembly/codes';
import { erf, erfc } from './erf_exact';
import type { Domain, Tol } from './values';
import { EXACT } from './values';

type R = (x: number) => number;

export interface UnaryRef {
  code: Unary;
  /** f(x, p0, p1, R) with p0/p1 already rounded to the dtype. */
  float?: (x: number, p0: number, p1: number, R: R) => number;
  /** g(x, p0, p1, wrap) with p0/p1 already converted to the dtype; wrap reduces to its range. */
  int?: (x: bigint, p0: bigint, p1: bigint, wrap: (v: bigint) => bigint) => bigint;
  tol32?: Tol;
  tol64?: Tol;
  /** Scalar parameters to try. */
  params?: [number, number][];
  domain?: Domain;
}

const T = (ulps32: number, ulps64 = 2, atol32 = 0, atol64 = 0): Pick<UnaryRef, 'tol32' | 'tol64'> => ({
  tol32: { ulps: ulps32, atol: atol32 },
  tol64: { ulps: ulps64, atol: atol64 },
});

/** C's pow: pow(1, y) = 1 and pow(-1, +-inf) = 1, where JS's Math.pow gives NaN. */
export function cpow(x: number, y: number): number {
  if (x === 1 || y === 0) return 1;
  if (x === -1 && (y === Infinity || y === -Infinity)) return 1;
  return Math.pow(x, y);
}

/** Python's % on floats (sign of the divisor), as PyTorch 1.13's remainder kernel computes it. */
export function fremainder(a: number, b: number, R: R): number {
  const r = a % b;
  return r !== 0 && r < 0 !== b < 0 ? R(r + b) : r;
}

/** Integer power with negative exponents giving 0, except bases 1 and -1. */
export function ipow(b: bigint, e: bigint, wrap: (v: bigint) => bigint): bigint {
  if (e < 0n) {
    if (b === 1n) return 1n;
    if (b === -1n) return e % 2n === 0n ? 1n : -1n;
    return 0n;
  }
  let r = 1n;
  let base = wrap(b);
  while (e > 0n) {
    if (e & 1n) r = wrap(r * base);
    base = wrap(base * base);
    e >>= 1n;
  }
  return r;
}

export const ifloorDiv = (a: bigint, b: bigint): bigint => {
  if (b === 0n) return 0n;
  const q = a / b;
  return q * b !== a && a < 0n !== b < 0n ? q - 1n : q;
};
export const ifmod = (a: bigint, b: bigint): bigint => (b === 0n ? 0n : a % b);
export const iremainder = (a: bigint, b: bigint): bigint => {
  const r = ifmod(a, b);
  return r !== 0n && r < 0n !== b < 0n ? r + b : r;
};
const imax = (a: bigint, b: bigint): bigint => (a > b ? a : b);
const imin = (a: bigint, b: bigint): bigint => (a < b ? a : b);
const sign = (x: number): number => (x > 0 ? 1 : x < 0 ? -1 : 0);

/** Round half to even, keeping the sign of zero. */
export function roundEven(x: number): number {
  if (!Number.isFinite(x)) return x;
  const f = Math.floor(x);
  const d = x - f;
  const r = d < 0.5 ? f : d > 0.5 ? f + 1 : f % 2 === 0 ? f : f + 1;
  return r === 0 ? (x < 0 || Object.is(x, -0) ? -0 : 0) : r;
}

const gelu = (x: number): number => 0.5 * x * erfc(-x / Math.SQRT2);
/** PyTorch's 1 / (1 + exp(-x)): 0 where exp(-x) overflows the dtype (x < -88.72 in float32), not the subnormal tail. */
const sigmoid = (x: number, R: R = (v) => v): number => (R(Math.exp(-x)) === Infinity ? 0 : 1 / (1 + Math.exp(-x)));

export const UNARY_REF: Record<string, UnaryRef> = {
  copy: { code: Unary.copy, float: (x) => x, int: (x) => x },
  neg: { code: Unary.neg, float: (x) => -x, int: (x) => -x },
  abs: { code: Unary.abs, float: Math.abs, int: (x) => (x < 0n ? -x : x) },
  exp: { code: Unary.exp, float: Math.exp, ...T(1) },
  log: { code: Unary.log, float: Math.log, ...T(1) },
  sqrt: { code: Unary.sqrt, float: Math.sqrt },
  rsqrt: { code: Unary.rsqrt, float: (x, _p, _q, R) => 1 / R(Math.sqrt(x)) },
  sin: { code: Unary.sin, float: Math.sin, ...T(1) },
  cos: { code: Unary.cos, float: Math.cos, ...T(1) },
  tan: { code: Unary.tan, float: Math.tan, ...T(1) },
  // AssemblyScript's Mathf.tanh is up to 2 ulp off (PyTorch's float32 tanh is within 1)
  tanh: { code: Unary.tanh, float: Math.tanh, ...T(2) },
  sigmoid: { code: Unary.sigmoid, float: (x, _p, _q, R) => sigmoid(x, R), ...T(3, 3) },
  relu: { code: Unary.relu, float: (x) => (x < 0 ? 0 : x), int: (x) => (x < 0n ? 0n : x) },
  square: { code: Unary.square, float: (x) => x * x, int: (x) => x * x },
  reciprocal: { code: Unary.reciprocal, float: (x) => 1 / x },
  log1p: { code: Unary.log1p, float: Math.log1p, ...T(1) },
  expm1: { code: Unary.expm1, float: Math.expm1, ...T(1) },
  sign: { code: Unary.sign, float: sign, int: (x) => (x > 0n ? 1n : x < 0n ? -1n : 0n) },
  floor: { code: Unary.floor, float: Math.floor, int: (x) => x },
  ceil: { code: Unary.ceil, float: Math.ceil, int: (x) => x },
  round: { code: Unary.round, float: roundEven, int: (x) => x },
  trunc: { code: Unary.trunc, float: Math.trunc, int: (x) => x },
  frac: { code: Unary.frac, float: (x) => x - Math.trunc(x), int: () => 0n },
  // the kernel's float64 erf (series times exp(-x^2)) is up to ~4.5 ulp off; PyTorch's is within 1
  erf: { code: Unary.erf, float: erf, ...T(1, 6) },
  log2: { code: Unary.log2, float: Math.log2, ...T(1) },
  log10: { code: Unary.log10, float: Math.log10, ...T(1) },
  exp2: { code: Unary.exp2, float: (x) => 2 ** x, ...T(1) },
  atan: { code: Unary.atan, float: Math.atan, ...T(1) },
  asin: { code: Unary.asin, float: Math.asin, ...T(1), domain: 'small' },
  acos: { code: Unary.acos, float: Math.acos, ...T(1), domain: 'small' },
  sinh: { code: Unary.sinh, float: Math.sinh, ...T(2) },
  cosh: { code: Unary.cosh, float: Math.cosh, ...T(2) },
  asinh: { code: Unary.asinh, float: Math.asinh, ...T(2) },
  acosh: { code: Unary.acosh, float: Math.acosh, ...T(2) },
  atanh: { code: Unary.atanh, float: Math.atanh, ...T(2), domain: 'small' },
  addS: { code: Unary.addS, float: (x, p) => x + p, int: (x, p) => x + p, params: [[2.5, 0], [-3, 0], [0, 0]] },
  subS: { code: Unary.subS, float: (x, p) => x - p, int: (x, p) => x - p, params: [[2.5, 0], [-3, 0]] },
  rsubS: { code: Unary.rsubS, float: (x, p) => p - x, int: (x, p) => p - x, params: [[1, 0], [-2.25, 0]] },
  mulS: { code: Unary.mulS, float: (x, p) => x * p, int: (x, p) => x * p, params: [[3, 0], [-0.5, 0], [0, 0]] },
  divS: { code: Unary.divS, float: (x, p) => x / p, int: (x, p) => ifloorDiv(x, p), params: [[3, 0], [-2, 0], [0, 0]] },
  rdivS: { code: Unary.rdivS, float: (x, p) => p / x, params: [[3, 0], [-1, 0]] },
  powS: { code: Unary.powS, float: (x, p) => cpow(x, p), int: (x, p, _q, w) => ipow(x, p, w), ...T(1, 2), params: [[3, 0], [2.5, 0], [-1.5, 0], [0, 0], [Infinity, 0], [-Infinity, 0], [NaN, 0]] },
  rpowS: { code: Unary.rpowS, float: (x, p) => cpow(p, x), int: (x, p, _q, w) => ipow(p, x, w), ...T(1, 2), params: [[2, 0], [0.5, 0], [-2, 0], [1, 0], [-1, 0]] },
  maxS: { code: Unary.maxS, float: (x, p) => Math.max(x, p), int: (x, p) => imax(x, p), params: [[0.5, 0], [-3, 0], [200, 0]] },
  minS: { code: Unary.minS, float: (x, p) => Math.min(x, p), int: (x, p) => imin(x, p), params: [[0.5, 0], [-3, 0], [200, 0]] },
  clamp: { code: Unary.clamp, float: (x, lo, hi) => Math.min(Math.max(x, lo), hi), int: (x, lo, hi) => imin(imax(x, lo), hi), params: [[-1, 2], [3, 250], [2, -2]] },
  leakyRelu: { code: Unary.leakyRelu, float: (x, p, _q, R) => (x > 0 ? x : R(x * p)), params: [[0.01, 0], [-2, 0]] },
  gelu: { code: Unary.gelu, float: gelu, ...T(4, 4, 1e-6, 1e-14) },
  geluTanh: {
    code: Unary.geluTanh,
    float: (x) => 0.5 * x * (1 + Math.tanh(0.7978845608028654 * (x + 0.044715 * x * x * x))),
    ...T(8, 8, 1e-6, 1e-14),
  },
  silu: { code: Unary.silu, float: (x, _p, _q, R) => x * sigmoid(x, R), ...T(4, 4) },
  softplus: {
    code: Unary.softplus,
    float: (x, beta, threshold, R) => (R(x * beta) > threshold ? x : Math.log1p(Math.exp(R(x * beta))) / beta),
    ...T(4, 4),
    params: [[1, 20], [2, 3], [0.5, 1]],
  },
  elu: { code: Unary.elu, float: (x, a) => (x > 0 ? x : a * Math.expm1(x)), ...T(2, 2), params: [[1, 0], [0.3, 0]] },
  hardtanh: { code: Unary.hardtanh, float: (x, lo, hi) => Math.min(Math.max(x, lo), hi), int: (x, lo, hi) => imin(imax(x, lo), hi), params: [[-1, 1], [0, 6]] },
  fmodS: { code: Unary.fmodS, float: (x, p) => x % p, int: (x, p) => ifmod(x, p), params: [[3, 0], [-2.5, 0], [0, 0], [Infinity, 0]] },
  remainderS: { code: Unary.remainderS, float: (x, p, _q, R) => fremainder(x, p, R), int: (x, p) => iremainder(x, p), params: [[3, 0], [-2.5, 0], [0, 0]] },
  notBits: { code: Unary.notBits, int: (x) => ~x },
  sigmoidGrad: { code: Unary.sigmoidGrad, float: (x, _p, _q, R) => x * R(1 - x) },
  tanhGrad: { code: Unary.tanhGrad, float: (x, _p, _q, R) => 1 - R(x * x) },
};

export interface BinaryRef {
  code: Binary;
  float?: (a: number, b: number, p: number, R: R) => number;
  int?: (a: bigint, b: bigint, p: bigint, wrap: (v: bigint) => bigint) => bigint;
  tol32?: Tol;
  tol64?: Tol;
  params?: number[];
  /** Domain of the second operand. */
  bDomain?: Domain;
}

export const BINARY_REF: Record<string, BinaryRef> = {
  add: { code: Binary.add, float: (a, b) => a + b, int: (a, b) => a + b },
  sub: { code: Binary.sub, float: (a, b) => a - b, int: (a, b) => a - b },
  mul: { code: Binary.mul, float: (a, b) => a * b, int: (a, b) => a * b },
  div: { code: Binary.div, float: (a, b) => a / b, int: ifloorDiv },
  pow: { code: Binary.pow, float: cpow, int: (a, b, _p, w) => ipow(a, b, w), tol32: { ulps: 1 }, tol64: { ulps: 2 } },
  maximum: { code: Binary.maximum, float: (a, b) => Math.max(a, b), int: imax },
  minimum: { code: Binary.minimum, float: (a, b) => Math.min(a, b), int: imin },
  and: { code: Binary.and, int: (a, b) => a & b },
  or: { code: Binary.or, int: (a, b) => a | b },
  xor: { code: Binary.xor, int: (a, b) => a ^ b },
  atan2: { code: Binary.atan2, float: (a, b) => Math.atan2(a, b), tol32: { ulps: 2 }, tol64: { ulps: 2 } },
  fmod: { code: Binary.fmod, float: (a, b) => a % b, int: ifmod },
  remainder: { code: Binary.remainder, float: (a, b, _p, R) => fremainder(a, b, R), int: iremainder },
  floorDiv: { code: Binary.floorDiv, float: (a, b, _p, R) => Math.floor(R(a / b)), int: ifloorDiv },
  hypot: { code: Binary.hypot, float: (a, b) => Math.hypot(a, b), tol32: { ulps: 1 }, tol64: { ulps: 2 } },
  xlogy: { code: Binary.xlogy, float: (a, b) => (Number.isNaN(b) ? NaN : a === 0 ? 0 : a * Math.log(b)), tol32: { ulps: 2 }, tol64: { ulps: 2 } },
  addScaled: { code: Binary.addScaled, float: (a, b, p, R) => a + R(b * p), int: (a, b, p) => a + b * p, params: [1, -2, 0.5] },
  subScaled: { code: Binary.subScaled, float: (a, b, p, R) => a - R(b * p), int: (a, b, p) => a - b * p, params: [1, 3] },
};

export interface CompareRef {
  code: Compare;
  float: (a: number, b: number) => boolean;
  int: (a: bigint, b: bigint) => boolean;
}

export const COMPARE_REF: Record<string, CompareRef> = {
  eq: { code: Compare.eq, float: (a, b) => a === b, int: (a, b) => a === b },
  ne: { code: Compare.ne, float: (a, b) => a !== b, int: (a, b) => a !== b },
  lt: { code: Compare.lt, float: (a, b) => a < b, int: (a, b) => a < b },
  le: { code: Compare.le, float: (a, b) => a <= b, int: (a, b) => a <= b },
  gt: { code: Compare.gt, float: (a, b) => a > b, int: (a, b) => a > b },
  ge: { code: Compare.ge, float: (a, b) => a >= b, int: (a, b) => a >= b },
  isnan: { code: Compare.isnan, float: (a) => Number.isNaN(a), int: () => false },
  isinf: { code: Compare.isinf, float: (a) => a === Infinity || a === -Infinity, int: () => false },
  isfinite: { code: Compare.isfinite, float: (a) => Number.isFinite(a), int: () => true },
  isposinf: { code: Compare.isposinf, float: (a) => a === Infinity, int: () => false },
  isneginf: { code: Compare.isneginf, float: (a) => a === -Infinity, int: () => false },
  nonzero: { code: Compare.nonzero, float: (a) => a !== 0, int: (a) => a !== 0n },
  isZero: { code: Compare.isZero, float: (a) => a === 0, int: (a) => a === 0n },
};

export { EXACT };
