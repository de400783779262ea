// WGSL building blocks shared by the webgpu kernels: how each dtype is
// loaded from and stored to an array<u32> binding, the per-op expressions
// of the elementwise families, and the helpers they call.
//
// Storage layouts match wasm's byte for byte (so a pointer's byte offset
// means the same thing on both devices): float32 and int32 are one word,
// int64 two words of which the kernels compute in the low one (values must
// fit in int32 on the GPU), bool and uint8 one byte.
import { Unary, Binary, Compare } from '../../../assembly/codes';
import type { DType } from '../../tensor/dtype';

/** How a dtype sits in a u32 array. */
export type Cls = 'f32' | 'i32' | 'i64' | 'u8';

export function clsOf(dtype: DType): Cls {
  switch (dtype) {
    case 'float32': return 'f32';
    case 'int32': return 'i32';
    case 'int64': return 'i64';
    case 'uint8': case 'bool': return 'u8';
    default: throw new Error(`the webgpu device does not support ${dtype} tensors (WGSL has no 64-bit floats); keep them on 'wasm'`);
  }
}

/** The WGSL type a dtype computes in. */
export const computeType = (dtype: DType): 'f32' | 'i32' => (dtype === 'float32' ? 'f32' : 'i32');

/** Reads element `e` (an i32 expression, in elements) of binding `b`; `atomic` when the binding is declared atomic. */
export function load(cls: Cls, b: string, e: string, atomic = false): string {
  const at = (w: string): string => (atomic ? `atomicLoad(&${b}[${w}])` : `${b}[${w}]`);
  switch (cls) {
    case 'f32': return `bitcast<f32>(${at(`u32(${e})`)})`;
    case 'i32': return `bitcast<i32>(${at(`u32(${e})`)})`;
    case 'i64': return `bitcast<i32>(${at(`u32(${e}) * 2u`)})`;
    case 'u8': return `i32((${at(`u32(${e}) >> 2u`)} >> ((u32(${e}) & 3u) * 8u)) & 255u)`;
  }
}

/** Statements writing `v` (already in the dtype's compute type) to element `e` of binding `b`. */
export function store(cls: Cls, b: string, e: string, v: string): string {
  switch (cls) {
    case 'f32': case 'i32': return `${b}[u32(${e})] = bitcast<u32>(${v});`;
    case 'i64': return `{ let w = u32(${e}) * 2u; let v = ${v}; ${b}[w] = bitcast<u32>(v); ${b}[w + 1u] = select(0u, 0xffffffffu, v < 0); }`;
    // neighbouring bytes belong to other invocations: change ours with atomics (and/or on disjoint bytes commute)
    case 'u8': return `{ let w = u32(${e}) >> 2u; let sh = (u32(${e}) & 3u) * 8u; atomicAnd(&${b}[w], ~(255u << sh)); atomicOr(&${b}[w], (u32(${v}) & 255u) << sh); }`;
  }
}

/** Converts value `v` of compute type `from` to what dtype `to` stores. */
export function convert(v: string, from: 'f32' | 'i32' | 'bool', to: DType): string {
  if (to === 'bool') return from === 'bool' ? `select(0, 1, ${v})` : `select(0, 1, ${v} != ${from === 'f32' ? '0.0' : '0'})`;
  if (from === 'bool') return to === 'float32' ? `select(0.0, 1.0, ${v})` : `select(0, 1, ${v})`;
  if (to === 'float32') return from === 'f32' ? v : `f32(${v})`;
  const i = from === 'f32' ? `i32(${v})` : v;
  return to === 'uint8' ? `(${i} & 255)` : i;
}

export const PRELUDE = /* wgsl */ `
// NaN and infinity are not constant expressions in WGSL: every dispatch's meta ends with their bits
fn nan_() -> f32 { return bitcast<f32>(M[62]); }
fn inf_() -> f32 { return bitcast<f32>(M[63]); }
fn isnan_(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }
fn isinf_(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) == 0x7f800000u; }
fn fmax_(a: f32, b: f32) -> f32 { if (isnan_(a) || isnan_(b)) { return nan_(); } return max(a, b); }
fn fmin_(a: f32, b: f32) -> f32 { if (isnan_(a) || isnan_(b)) { return nan_(); } return min(a, b); }
// WGSL leaves log, sqrt, asin and acos of out-of-domain arguments undefined; PyTorch gives NaN (and -inf for log 0)
fn log_(x: f32) -> f32 { if (x < 0.0 || isnan_(x)) { return nan_(); } if (x == 0.0) { return -inf_(); } return log(x); }
fn sqrt_(x: f32) -> f32 { if (x < 0.0 || isnan_(x)) { return nan_(); } return sqrt(x); }
fn asin_(x: f32) -> f32 { if (abs(x) > 1.0 || isnan_(x)) { return nan_(); } return asin(x); }
fn acos_(x: f32) -> f32 { if (abs(x) > 1.0 || isnan_(x)) { return nan_(); } return acos(x); }
fn sigmoid_(x: f32) -> f32 { return 1.0 / (1.0 + exp(-x)); }
fn tanh_(x: f32) -> f32 { if (abs(x) > 15.0) { return sign(x); } return tanh(x); }
fn log1p_(x: f32) -> f32 { let u = 1.0 + x; if (u == 1.0) { return x; } if (u <= 0.0 || isnan_(x)) { return log_(u); } if (isinf_(x)) { return x; } return log(u) * x / (u - 1.0); }
fn expm1_(x: f32) -> f32 {
  let u = exp(x);
  if (u == 1.0) { return x; }
  if (u - 1.0 == -1.0) { return -1.0; }
  if (isinf_(u)) { return u; }
  return (u - 1.0) * x / log(u);
}
fn erf_(x: f32) -> f32 {
  // Abramowitz and Stegun 7.1.26 (|error| < 1.5e-7)
  let a = abs(x);
  let t = 1.0 / (1.0 + 0.3275911 * a);
  let y = 1.0 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * exp(-a * a);
  return select(y, -y, x < 0.0);
}
fn pow_(a: f32, b: f32) -> f32 {
  if (b == 0.0) { return 1.0; }
  if (isnan_(a) || isnan_(b)) { return nan_(); }
  if (a == 0.0) { if (b > 0.0) { return 0.0; } return inf_(); }
  if (a < 0.0) {
    if (trunc(b) != b) { return nan_(); }
    let r = exp2(b * log2(-a));
    if (abs(b) < 16777216.0 && (i32(b) & 1) == 1) { return -r; }
    return r;
  }
  return exp2(b * log2(a));
}
fn fmod_(a: f32, b: f32) -> f32 { return a - trunc(a / b) * b; }
fn rem_(a: f32, b: f32) -> f32 { let m = fmod_(a, b); if (m != 0.0 && ((m < 0.0) != (b < 0.0))) { return m + b; } return m; }
fn ifloordiv_(a: i32, b: i32) -> i32 { let q = a / b; if ((a % b != 0) && ((a < 0) != (b < 0))) { return q - 1; } return q; }
fn irem_(a: i32, b: i32) -> i32 { let m = a % b; if (m != 0 && ((m < 0) != (b < 0))) { return m + b; } return m; }
fn ipow_(a: i32, b: i32) -> i32 {
  if (b < 0) { if (a == 1) { return 1; } if (a == -1) { return select(-1, 1, (b & 1) == 0); } return 0; }
  var r = 1; var x = a; var e = b;
  loop { if (e == 0) { break; } if ((e & 1) == 1) { r = r * x; } x = x * x; e = e >> 1u; }
  return r;
}
fn xlogy_(a: f32, b: f32) -> f32 { if (isnan_(b)) { return nan_(); } if (a == 0.0) { return 0.0; } return a * log_(b); }
`;

/** WGSL for unary `op` on x of compute type t; p0/p1 are the scalar parameters in that type. Null: not on webgpu. */
export function unaryExpr(op: Unary, t: 'f32' | 'i32'): string | null {
  const common: Partial<Record<Unary, string>> = {
    [Unary.copy]: 'x', [Unary.neg]: '-x', [Unary.abs]: 'abs(x)', [Unary.square]: 'x * x',
    [Unary.sign]: t === 'f32' ? 'select(select(0.0, -1.0, x < 0.0), 1.0, x > 0.0)' : 'select(select(0, -1, x < 0), 1, x > 0)',
    [Unary.relu]: t === 'f32' ? 'select(x, 0.0, x < 0.0)' : 'select(x, 0, x < 0)',
    [Unary.addS]: 'x + p0', [Unary.subS]: 'x - p0', [Unary.rsubS]: 'p0 - x', [Unary.mulS]: 'x * p0',
    [Unary.maxS]: t === 'f32' ? 'fmax_(x, p0)' : 'max(x, p0)', [Unary.minS]: t === 'f32' ? 'fmin_(x, p0)' : 'min(x, p0)',
    [Unary.clamp]: t === 'f32' ? 'fmin_(fmax_(x, p0), p1)' : 'min(max(x, p0), p1)',
    [Unary.fmodS]: t === 'f32' ? 'fmod_(x, p0)' : 'x % p0', [Unary.remainderS]: t === 'f32' ? 'rem_(x, p0)' : 'irem_(x, p0)',
  };
  if (common[op] !== undefined) return common[op]!;
  if (t === 'i32') {
    const ints: Partial<Record<Unary, string>> = {
      [Unary.floor]: 'x', [Unary.ceil]: 'x', [Unary.round]: 'x', [Unary.trunc]: 'x', [Unary.frac]: '0',
      [Unary.powS]: 'ipow_(x, p0)', [Unary.rpowS]: 'ipow_(p0, x)', [Unary.notBits]: '~x', [Unary.divS]: 'ifloordiv_(x, p0)',
    };
    return ints[op] ?? null;
  }
  const floats: Partial<Record<Unary, string>> = {
    [Unary.exp]: 'exp(x)', [Unary.log]: 'log_(x)', [Unary.sqrt]: 'sqrt_(x)', [Unary.rsqrt]: '1.0 / sqrt_(x)',
    [Unary.sin]: 'sin(x)', [Unary.cos]: 'cos(x)', [Unary.tan]: 'tan(x)', [Unary.tanh]: 'tanh_(x)', [Unary.sigmoid]: 'sigmoid_(x)',
    [Unary.reciprocal]: '1.0 / x', [Unary.log1p]: 'log1p_(x)', [Unary.expm1]: 'expm1_(x)', [Unary.floor]: 'floor(x)',
    [Unary.ceil]: 'ceil(x)', [Unary.round]: 'round(x)', [Unary.trunc]: 'trunc(x)', [Unary.frac]: 'x - trunc(x)', [Unary.erf]: 'erf_(x)',
    [Unary.log2]: 'log_(x) * 1.4426950408889634', [Unary.log10]: 'log_(x) * 0.4342944819032518', [Unary.exp2]: 'exp2(x)', [Unary.atan]: 'atan(x)',
    [Unary.asin]: 'asin_(x)', [Unary.acos]: 'acos_(x)', [Unary.sinh]: 'sinh(x)', [Unary.cosh]: 'cosh(x)', [Unary.asinh]: 'asinh(x)',
    [Unary.acosh]: 'acosh(x)', [Unary.atanh]: 'atanh(x)', [Unary.divS]: 'x / p0', [Unary.rdivS]: 'p0 / x', [Unary.powS]: 'pow_(x, p0)',
    [Unary.rpowS]: 'pow_(p0, x)', [Unary.leakyRelu]: 'select(x * p0, x, x > 0.0)', [Unary.gelu]: '0.5 * x * (1.0 + erf_(x * 0.7071067811865476))',
    [Unary.geluTanh]: '0.5 * x * (1.0 + tanh_(0.7978845608028654 * (x + 0.044715 * x * x * x)))', [Unary.silu]: 'x * sigmoid_(x)',
    [Unary.softplus]: 'select(log1p_(exp(x * p0)) / p0, x, x * p0 > p1)', [Unary.elu]: 'select(p0 * expm1_(x), x, x > 0.0)',
    [Unary.hardtanh]: 'fmin_(fmax_(x, p0), p1)', [Unary.sigmoidGrad]: 'x * (1.0 - x)', [Unary.tanhGrad]: '1.0 - x * x',
  };
  return floats[op] ?? null;
}

export function binaryExpr(op: Binary, t: 'f32' | 'i32'): string | null {
  const f = t === 'f32';
  const table: Partial<Record<Binary, string>> = {
    [Binary.add]: 'a + b', [Binary.sub]: 'a - b', [Binary.mul]: 'a * b',
    [Binary.div]: f ? 'a / b' : 'ifloordiv_(a, b)', [Binary.pow]: f ? 'pow_(a, b)' : 'ipow_(a, b)',
    [Binary.maximum]: f ? 'fmax_(a, b)' : 'max(a, b)', [Binary.minimum]: f ? 'fmin_(a, b)' : 'min(a, b)',
    [Binary.and]: f ? null! : 'a & b', [Binary.or]: f ? null! : 'a | b', [Binary.xor]: f ? null! : 'a ^ b',
    [Binary.atan2]: f ? 'atan2(a, b)' : null!, [Binary.fmod]: f ? 'fmod_(a, b)' : 'a % b', [Binary.remainder]: f ? 'rem_(a, b)' : 'irem_(a, b)',
    [Binary.floorDiv]: f ? 'floor(a / b)' : 'ifloordiv_(a, b)', [Binary.hypot]: f ? 'sqrt(a * a + b * b)' : null!,
    [Binary.xlogy]: f ? 'xlogy_(a, b)' : null!, [Binary.addScaled]: 'a + b * p0', [Binary.subScaled]: 'a - b * p0',
  };
  return table[op] ?? null;
}

/** Comparisons yield a WGSL bool. */
export function compareExpr(op: Compare, t: 'f32' | 'i32'): string {
  const z = t === 'f32' ? '0.0' : '0';
  switch (op) {
    case Compare.eq: return 'a == b';
    case Compare.ne: return 'a != b';
    case Compare.lt: return 'a < b';
    case Compare.le: return 'a <= b';
    case Compare.gt: return 'a > b';
    case Compare.ge: return 'a >= b';
    case Compare.isnan: return t === 'f32' ? 'isnan_(a)' : 'false';
    case Compare.isinf: return t === 'f32' ? 'isinf_(a)' : 'false';
    case Compare.isfinite: return t === 'f32' ? '(bitcast<u32>(a) & 0x7f800000u) != 0x7f800000u' : 'true';
    case Compare.isposinf: return t === 'f32' ? 'bitcast<u32>(a) == 0x7f800000u' : 'false';
    case Compare.isneginf: return t === 'f32' ? 'bitcast<u32>(a) == 0xff800000u' : 'false';
    case Compare.nonzero: return `a != ${z}`;
    case Compare.isZero: return `a == ${z}`;
  }
  return 'false';
}
