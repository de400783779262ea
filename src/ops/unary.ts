// Unary elementwise ops: one table entry per op carries its kernel code,
// dtype rule, backward node name and derivative. Derivatives are written
// with other differentiable ops, so higher-order gradients come for free.
import { Unary } from '../../assembly/codes';
import { Tensor } from '../tensor/tensor';
import { isFloating, resultType, type DType } from '../tensor/dtype';
import * as backend from '../devices/wasm/backend';
import { needsGrad, record } from '../autograd/record';
import { castTo, checkOperand, isScalar, pyTypeName, tensorInput } from './operands';
import { where } from './compare';

/** What a derivative formula may use: the input x, the result y and the op's scalar parameters. */
export interface UnaryCtx {
  x: Tensor;
  y: Tensor;
  p0: number;
  p1: number;
}

export interface UnaryDef {
  code: Unary;
  /** PyTorch's backward node name, shown as grad_fn=<...>. */
  node: string;
  /** Integer and bool inputs compute in float32 (PyTorch's int-to-float promotion). */
  float?: boolean;
  /** Refusal message for bool inputs. */
  noBool?: string;
  /** Integer inputs come back unchanged (a copy), as PyTorch's rounding ops do. */
  intIdentity?: boolean;
  /** The result dtype for a bool input, when it is not bool (square of bool is int64). */
  boolAs?: DType;
  /** d(out)/d(x) times g; 'zero' for piecewise-constant ops. */
  grad: ((g: Tensor, c: UnaryCtx) => Tensor) | 'zero';
  /** Which of x and y the derivative reads (they are saved for backward). */
  save?: 'x' | 'y' | 'xy';
}

const NEG_BOOL =
  'Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.';
const LN2 = Math.LN2;
const LN10 = Math.LN10;
const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/** The simple unary ops: torch.<name>(x) and x.<name>(). */
export const UNARY = {
  neg: { code: Unary.neg, node: 'NegBackward0', noBool: NEG_BOOL, grad: (g) => g.neg() },
  abs: { code: Unary.abs, node: 'AbsBackward0', noBool: `"abs_cpu" not implemented for 'Bool'`, save: 'x', grad: (g, { x }) => g.mul(x.sign()) },
  exp: { code: Unary.exp, node: 'ExpBackward0', float: true, save: 'y', grad: (g, { y }) => g.mul(y) },
  log: { code: Unary.log, node: 'LogBackward0', float: true, save: 'x', grad: (g, { x }) => g.div(x) },
  sqrt: { code: Unary.sqrt, node: 'SqrtBackward0', float: true, save: 'y', grad: (g, { y }) => g.div(y.mul(2)) },
  rsqrt: { code: Unary.rsqrt, node: 'RsqrtBackward0', float: true, save: 'y', grad: (g, { y }) => g.mul(y.pow(3)).mul(-0.5) },
  sin: { code: Unary.sin, node: 'SinBackward0', float: true, save: 'x', grad: (g, { x }) => g.mul(x.cos()) },
  cos: { code: Unary.cos, node: 'CosBackward0', float: true, save: 'x', grad: (g, { x }) => g.mul(x.sin().neg()) },
  tan: { code: Unary.tan, node: 'TanBackward0', float: true, save: 'y', grad: (g, { y }) => g.mul(y.square().add(1)) },
  tanh: { code: Unary.tanh, node: 'TanhBackward0', float: true, save: 'y', grad: (g, { y }) => g.mul(y.square().rsub(1)) },
  sigmoid: { code: Unary.sigmoid, node: 'SigmoidBackward0', float: true, save: 'y', grad: (g, { y }) => g.mul(y.mul(y.rsub(1))) },
  // threshold_backward: the gradient passes where the result is positive
  relu: { code: Unary.relu, node: 'ReluBackward0', noBool: 'Boolean inputs not supported for relu', save: 'y', grad: (g, { y }) => where(y.gt(0), g, 0) },
  // square is pow(x, 2): a bool tensor promotes with the int 2 to int64
  square: { code: Unary.square, node: 'PowBackward0', boolAs: 'int64', save: 'x', grad: (g, { x }) => g.mul(x.mul(2)) },
  reciprocal: { code: Unary.reciprocal, node: 'ReciprocalBackward0', float: true, save: 'y', grad: (g, { y }) => g.mul(y.square().neg()) },
  log1p: { code: Unary.log1p, node: 'Log1PBackward0', float: true, save: 'x', grad: (g, { x }) => g.div(x.add(1)) },
  expm1: { code: Unary.expm1, node: 'Expm1Backward0', float: true, save: 'y', grad: (g, { y }) => g.mul(y.add(1)) },
  sign: { code: Unary.sign, node: 'SignBackward0', grad: 'zero' },
  floor: { code: Unary.floor, node: 'FloorBackward0', intIdentity: true, noBool: `"floor_vml_cpu" not implemented for 'Bool'`, grad: 'zero' },
  ceil: { code: Unary.ceil, node: 'CeilBackward0', intIdentity: true, noBool: `"ceil_vml_cpu" not implemented for 'Bool'`, grad: 'zero' },
  round: { code: Unary.round, node: 'RoundBackward0', intIdentity: true, noBool: `"round_vml_cpu" not implemented for 'Bool'`, grad: 'zero' },
  trunc: { code: Unary.trunc, node: 'TruncBackward0', intIdentity: true, noBool: `"trunc_vml_cpu" not implemented for 'Bool'`, grad: 'zero' },
  frac: { code: Unary.frac, node: 'FracBackward0', grad: (g) => g },
  erf: { code: Unary.erf, node: 'ErfBackward0', float: true, save: 'x', grad: (g, { x }) => g.mul(x.square().neg().exp().mul(TWO_OVER_SQRT_PI)) },
  log2: { code: Unary.log2, node: 'Log2Backward0', float: true, save: 'x', grad: (g, { x }) => g.div(x.mul(LN2)) },
  log10: { code: Unary.log10, node: 'Log10Backward0', float: true, save: 'x', grad: (g, { x }) => g.div(x.mul(LN10)) },
  exp2: { code: Unary.exp2, node: 'Exp2Backward0', float: true, save: 'y', grad: (g, { y }) => g.mul(y.mul(LN2)) },
  atan: { code: Unary.atan, node: 'AtanBackward0', float: true, save: 'x', grad: (g, { x }) => g.div(x.square().add(1)) },
  asin: { code: Unary.asin, node: 'AsinBackward0', float: true, save: 'x', grad: (g, { x }) => g.div(x.square().rsub(1).sqrt()) },
  acos: { code: Unary.acos, node: 'AcosBackward0', float: true, save: 'x', grad: (g, { x }) => g.div(x.square().rsub(1).sqrt()).neg() },
  sinh: { code: Unary.sinh, node: 'SinhBackward0', float: true, save: 'x', grad: (g, { x }) => g.mul(x.cosh()) },
  cosh: { code: Unary.cosh, node: 'CoshBackward0', float: true, save: 'x', grad: (g, { x }) => g.mul(x.sinh()) },
  asinh: { code: Unary.asinh, node: 'AsinhBackward0', float: true, save: 'x', grad: (g, { x }) => g.div(x.square().add(1).sqrt()) },
  acosh: { code: Unary.acosh, node: 'AcoshBackward0', float: true, save: 'x', grad: (g, { x }) => g.div(x.square().sub(1).sqrt()) },
  atanh: { code: Unary.atanh, node: 'AtanhBackward0', float: true, save: 'x', grad: (g, { x }) => g.div(x.square().rsub(1)) },
  silu: {
    code: Unary.silu, node: 'SiluBackward0', float: true, save: 'x',
    grad: (g, { x }) => {
      const s = x.sigmoid();
      return g.mul(s.mul(x.mul(s.rsub(1)).add(1)));
    },
  },
} satisfies Record<string, UnaryDef>;

export type UnaryName = keyof typeof UNARY;

/** Parametric unary ops, reached through functions with their own signatures. */
export const PARAM_UNARY = {
  clamp: { code: Unary.clamp, node: 'ClampBackward1', save: 'x', grad: (g, { x, p0, p1 }) => where(x.ge(p0).logicalAnd(x.le(p1)), g, 0) },
  clampMin: { code: Unary.maxS, node: 'ClampMinBackward0', save: 'x', grad: (g, { x, p0 }) => where(x.ge(p0), g, 0) },
  clampMax: { code: Unary.minS, node: 'ClampMaxBackward0', save: 'x', grad: (g, { x, p0 }) => where(x.le(p0), g, 0) },
  leakyRelu: { code: Unary.leakyRelu, node: 'LeakyReluBackward0', float: true, save: 'x', grad: (g, { x, p0 }) => where(x.gt(0), g, g.mul(p0)) },
  gelu: {
    code: Unary.gelu, node: 'GeluBackward0', float: true, save: 'x',
    // d/dx x*Phi(x) = Phi(x) + x*phi(x)
    grad: (g, { x }) => g.mul(x.mul(Math.SQRT1_2).erf().add(1).mul(0.5).add(x.mul(x.square().mul(-0.5).exp()).mul(INV_SQRT_2PI))),
  },
  geluTanh: {
    code: Unary.geluTanh, node: 'GeluBackward0', float: true, save: 'x',
    grad: (g, { x }) => {
      const k = Math.sqrt(2 / Math.PI);
      const inner = x.add(x.pow(3).mul(0.044715)).mul(k);
      const t = inner.tanh();
      const dInner = x.square().mul(3 * 0.044715).add(1).mul(k);
      return g.mul(t.add(1).mul(0.5).add(x.mul(0.5).mul(t.square().rsub(1)).mul(dInner)));
    },
  },
  softplus: {
    code: Unary.softplus, node: 'SoftplusBackward0', float: true, save: 'x',
    grad: (g, { x, p0, p1 }) => {
      const bx = x.mul(p0);
      return g.mul(where(bx.gt(p1), 1, bx.sigmoid()));
    },
  },
  elu: { code: Unary.elu, node: 'EluBackward0', float: true, save: 'xy', grad: (g, { x, y, p0 }) => g.mul(where(x.gt(0), 1, y.add(p0))) },
  hardtanh: { code: Unary.hardtanh, node: 'HardtanhBackward0', save: 'x', grad: (g, { x, p0, p1 }) => where(x.gt(p0).logicalAnd(x.lt(p1)), g, 0) },
} satisfies Record<string, UnaryDef>;

/**
 * Runs a unary table entry on x. `dtype` overrides the computation dtype
 * (clamp with a float bound on an int tensor computes in float32).
 */
export function applyUnary(def: UnaryDef, x: Tensor, p0 = 0, p1 = 0, dtype?: DType): Tensor {
  if (def.noBool && x.dtype === 'bool') throw new Error(def.noBool);
  if (def.intIdentity && !isFloating(x.dtype)) {
    // integers are already whole; the kernels only round floats
    const copy = Tensor.empty(x.shape, x.dtype, x.device);
    backend.cast(copy, x);
    return copy;
  }
  const computeIn = dtype ?? (def.float && !isFloating(x.dtype) ? 'float32' : x.dtype === 'bool' && def.boolAs ? def.boolAs : x.dtype);
  const src = castTo(x, computeIn);
  const out = Tensor.empty(x.shape, computeIn, x.device);
  backend.unary(def.code, out, src, p0, p1);
  if (src !== x) src.dispose();
  if (needsGrad(x)) {
    const grad = def.grad;
    if (grad === 'zero') {
      record(def.node, [x], out, [], (g) => [g.zerosLike()]);
    } else {
      const save = def.save ?? '';
      const saved = [...(save.includes('x') ? [x] : []), ...(save.includes('y') ? [out] : [])];
      record(def.node, [x], out, saved, (g, s) => {
        const xs = save.includes('x') ? s[0] : (undefined as unknown as Tensor);
        const ys = save.includes('y') ? s[save.includes('x') ? 1 : 0] : (undefined as unknown as Tensor);
        return [grad(g, { x: xs, y: ys, p0, p1 })];
      });
    }
  }
  return out;
}

/**
 * torch.clamp(x, min?, max?). With one bound it runs the clamp_min/clamp_max
 * kernel, but PyTorch still names the node ClampBackward1 (ClampMinBackward0
 * belongs to torch.clamp_min itself).
 */
export function clamp(x: Tensor, min?: number | null, max?: number | null): Tensor {
  tensorInput('clamp', x);
  const lo = min ?? null;
  const hi = max ?? null;
  if (lo === null && hi === null) throw new Error("torch.clamp: At least one of 'min' or 'max' must not be None");
  for (const [name, v] of [['min', lo], ['max', hi]] as const) {
    if (v !== null && !isScalar(v)) throw new TypeError(`clamp(): argument '${name}' must be Number, not ${pyTypeName(v)}`);
  }
  const dtype = resultType([x, ...(lo === null ? [] : [lo]), ...(hi === null ? [] : [hi])]);
  if (lo !== null && hi !== null) return applyUnary(PARAM_UNARY.clamp, x, lo, hi, dtype);
  if (lo !== null) return applyUnary({ ...PARAM_UNARY.clampMin, node: 'ClampBackward1' }, x, lo, 0, dtype);
  return applyUnary({ ...PARAM_UNARY.clampMax, node: 'ClampBackward1' }, x, hi!, 0, dtype);
}

declare module '../tensor/tensor' {
  interface Tensor {
    neg(): Tensor;
    abs(): Tensor;
    exp(): Tensor;
    log(): Tensor;
    sqrt(): Tensor;
    rsqrt(): Tensor;
    sin(): Tensor;
    cos(): Tensor;
    tan(): Tensor;
    tanh(): Tensor;
    sigmoid(): Tensor;
    relu(): Tensor;
    square(): Tensor;
    reciprocal(): Tensor;
    log1p(): Tensor;
    expm1(): Tensor;
    sign(): Tensor;
    floor(): Tensor;
    ceil(): Tensor;
    round(): Tensor;
    trunc(): Tensor;
    frac(): Tensor;
    erf(): Tensor;
    log2(): Tensor;
    log10(): Tensor;
    exp2(): Tensor;
    atan(): Tensor;
    asin(): Tensor;
    acos(): Tensor;
    sinh(): Tensor;
    cosh(): Tensor;
    asinh(): Tensor;
    acosh(): Tensor;
    atanh(): Tensor;
    silu(): Tensor;

    clamp(min?: number | null, max?: number | null): Tensor;
    clip(min?: number | null, max?: number | null): Tensor;
  }
}

for (const name of Object.keys(UNARY) as UnaryName[]) {
  const def: UnaryDef = UNARY[name];
  Object.defineProperty(Tensor.prototype, name, {
    value: function (this: Tensor) {
      return applyUnary(def, this);
    },
    writable: true,
    configurable: true,
  });
}
Tensor.prototype.clamp = function (this: Tensor, min?: number | null, max?: number | null) {
  return clamp(this, min, max);
};
Tensor.prototype.clip = Tensor.prototype.clamp;

type UnaryFns = { [K in UnaryName]: (x: Tensor) => Tensor };
/** torch.<name>(x) for every simple unary op. */
export const unaryFns = Object.fromEntries(
  (Object.keys(UNARY) as UnaryName[]).map((name) => [name, (x: Tensor) => (checkOperand(name, x, 'input', 1, false), applyUnary(UNARY[name], x))]),
) as UnaryFns;
