// Binary arithmetic with broadcasting and type promotion. Each table entry
// names its kernel, the unary kernels that serve a scalar operand, and the
// derivative for each input; the engine sums gradients back to each
// input's shape, so formulas here never mention broadcasting.
import { scopedOp } from '../tensor/lifetime';
import { Binary, Unary } from '../../assembly/codes';
import { Tensor } from '../tensor/tensor';
import { type DType, type Scalar, isFloating, isIntegral, resultType, scalarDType } from '../tensor/dtype';
import { broadcastShapes } from '../tensor/shape';
import * as backend from '../devices/wasm/backend';
import { needsGrad, record } from '../autograd/record';
import { alive, broadcastView, castTo, checkOperand, isScalar, scalarTensor } from './operands';
import { eq, gt, lt, where } from './compare';

export type Operand = Tensor | Scalar;

export interface BinaryCtx {
  a: Tensor | Scalar;
  b: Tensor | Scalar;
  y: Tensor;
  alpha: number;
}

export interface BinaryDef {
  code: Binary;
  node: string;
  /** Unary kernel for `tensor op scalar`, and for `scalar op tensor`. */
  scalar?: Unary;
  rscalar?: Unary;
  /** Integer results become float32 (true division). */
  float?: boolean;
  /** Kernel to use when both operands are bool (bool + bool is logical or). */
  onBool?: Binary;
  /** Derivatives with respect to a and b; saved tensors arrive in ctx. */
  grad: (g: Tensor, c: BinaryCtx) => [Tensor | null, Tensor | null];
  save?: 'a' | 'b' | 'ab' | 'aby' | 'by';
}

const SUB_BOOL = 'Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or `logical_xor()` operator instead.';
const SUB_ONE_BOOL =
  'Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.';

const isBool = (v: Operand): boolean => (isScalar(v) ? typeof v === 'boolean' : v.dtype === 'bool');

/** PyTorch's sub_check: a bool on either side is refused, whatever the other operand is. */
function checkSub(a: Operand, b: Operand): void {
  if (isBool(a) && isBool(b)) throw new Error(SUB_BOOL);
  if (isBool(a) || isBool(b)) throw new Error(SUB_ONE_BOOL);
}

export const BINARY = {
  add: { code: Binary.add, node: 'AddBackward0', scalar: Unary.addS, rscalar: Unary.addS, onBool: Binary.or, grad: (g, { alpha }) => [g, alpha === 1 ? g : g.mul(alpha)] },
  sub: { code: Binary.sub, node: 'SubBackward0', scalar: Unary.subS, rscalar: Unary.rsubS, grad: (g, { alpha }) => [g, alpha === 1 ? g.neg() : g.mul(-alpha)] },
  mul: { code: Binary.mul, node: 'MulBackward0', scalar: Unary.mulS, rscalar: Unary.mulS, onBool: Binary.and, save: 'ab', grad: (g, { a, b }) => [g.mul(b), g.mul(a)] },
  div: {
    code: Binary.div, node: 'DivBackward0', scalar: Unary.divS, rscalar: Unary.rdivS, float: true, save: 'aby',
    grad: (g, { b, y }) => [g.div(b), isScalar(b) ? null : g.mul(y).div(b).neg()],
  },
  pow: {
    code: Binary.pow, node: 'PowBackward1', scalar: Unary.powS, rscalar: Unary.rpowS, save: 'aby',
    grad: (g, { a, b, y }) => [powGradBase(g, a, b), isScalar(b) ? null : powGradExponent(g, a, b, y)],
  },
  maximum: { code: Binary.maximum, node: 'MaximumBackward0', scalar: Unary.maxS, rscalar: Unary.maxS, onBool: Binary.or, save: 'ab', grad: (g, { a, b }) => minMaxGrad(g, a, b, 'max') },
  minimum: { code: Binary.minimum, node: 'MinimumBackward0', scalar: Unary.minS, rscalar: Unary.minS, onBool: Binary.and, save: 'ab', grad: (g, { a, b }) => minMaxGrad(g, a, b, 'min') },
  fmod: { code: Binary.fmod, node: 'FmodBackward0', scalar: Unary.fmodS, save: 'ab', grad: (g, { a, b }) => [g, isScalar(b) ? null : g.mul(fdiv(a, b).trunc()).neg()] },
  remainder: { code: Binary.remainder, node: 'RemainderBackward0', scalar: Unary.remainderS, save: 'ab', grad: (g, { a, b }) => [g, isScalar(b) ? null : g.mul(fdiv(a, b).floor()).neg()] },
  atan2: {
    code: Binary.atan2, node: 'Atan2Backward0', float: true, save: 'ab',
    grad: (g, { a, b }) => {
      const r = g.div(pow(a, 2).add(pow(b, 2)));
      return [r.mul(b), r.mul(a).neg()];
    },
  },
} satisfies Record<string, BinaryDef>;

export type BinaryName = keyof typeof BINARY;

const fdiv = (a: Operand, b: Operand): Tensor => apply(BINARY.div, a, b);
const pow = (a: Operand, b: Operand): Tensor => apply(BINARY.pow, a, b);

/** d(a^b)/da = b * a^(b-1), and 0 where b == 0 (so 0^0 does not produce NaN). */
function powGradBase(g: Tensor, a: Operand, b: Operand): Tensor | null {
  if (isScalar(a)) return null;
  if (isScalar(b)) {
    const e = Number(b);
    return e === 0 ? g.zerosLike() : g.mul(pow(a, e - 1).mul(e));
  }
  const grad = g.mul(b).mul(pow(a, b.sub(1)));
  return grad.maskedFill(b.eq(0), 0);
}

/** d(a^b)/db = a^b * log(a), and 0 where a == 0 and b >= 0. */
function powGradExponent(g: Tensor, a: Operand, b: Tensor, y: Tensor): Tensor {
  const logA = isScalar(a) ? Math.log(Number(a)) : a.log();
  const grad = g.mul(y.mul(logA));
  if (isScalar(a)) return Number(a) === 0 ? grad.maskedFill(b.ge(0), 0) : grad;
  return grad.maskedFill(a.eq(0).logicalAnd(b.ge(0)), 0);
}

/** torch.maximum/minimum backward: ties split the gradient evenly; the loser gets none. */
function minMaxGrad(g: Tensor, a: Operand, b: Operand, kind: 'max' | 'min'): [Tensor | null, Tensor | null] {
  const shared = where(eq(a, b), g.mul(0.5), g);
  const aLoses = kind === 'max' ? lt(a, b) : gt(a, b);
  const bLoses = kind === 'max' ? gt(a, b) : lt(a, b);
  return [isScalar(a) ? null : shared.maskedFill(aLoses, 0), isScalar(b) ? null : shared.maskedFill(bLoses, 0)];
}

/** The dtype the kernel computes in, and the checks PyTorch makes first. */
function computeDType(def: BinaryDef, a: Operand, b: Operand, alpha: number): DType {
  const common = resultType([a, b]);
  if (alpha !== 1 && isIntegral(common, true) && !Number.isInteger(alpha)) {
    throw new Error('For integral input tensors, argument alpha must not be a floating point number.');
  }
  if (def.code === Binary.sub) checkSub(a, b);
  if (def.code === Binary.pow && common === 'bool') throw new Error(`"pow" not implemented for 'Bool'`);
  return def.float && !isFloating(common) ? 'float32' : common;
}

function kernelCode(def: BinaryDef, dtype: DType): Binary {
  if (dtype === 'bool' && typeof def.onBool === 'number') return def.onBool;
  if (def.code === Binary.add) return Binary.addScaled;
  if (def.code === Binary.sub) return Binary.subScaled;
  return def.code;
}

/** Exponents PyTorch computes without pow(), as it does (x*x for 2, sqrt for 0.5, ...). */
const POW_SPECIAL = new Map<number, Unary>([
  [1, Unary.copy],
  [2, Unary.square],
  [0.5, Unary.sqrt],
  [-0.5, Unary.rsqrt],
  [-1, Unary.reciprocal],
]);

/**
 * A scalar operand as the kernel's integer type sees it. PyTorch casts the
 * scalar to the compute dtype, which wraps (3e9 in int32 is -1294967296);
 * the kernels' float-to-int conversion would saturate instead.
 */
function wrapScalar(v: number, dtype: DType): number {
  if (!Number.isInteger(v)) return v;
  if (dtype === 'int32') return v | 0;
  if (dtype === 'uint8') return v & 255;
  return v;
}

/** Computes a op b into `out` (already shaped and typed); no autograd. */
export function binaryInto(def: BinaryDef, out: Tensor, a: Operand, b: Operand, alpha = 1): void {
  const dtype = out.dtype;
  const sa = isScalar(a), sb = isScalar(b);
  const scalarKernel = sb && !sa ? def.scalar : sa && !sb ? def.rscalar : undefined;
  if (def.code === Binary.pow && sb && !sa && isFloating(dtype)) {
    const special = POW_SPECIAL.get(Number(b));
    if (special !== undefined) {
      const t = castTo(a, dtype);
      backend.unary(special, out, broadcastView(t, out.shape));
      if (t !== a) t.dispose();
      return;
    }
  }
  if (scalarKernel !== undefined && dtype !== 'bool' && (alpha === 1 || (sb && (def.code === Binary.add || def.code === Binary.sub)))) {
    const t = castTo((sa ? b : a) as Tensor, dtype);
    const s = wrapScalar(Number(sa ? a : b) * (sb ? alpha : 1), dtype);
    backend.unary(scalarKernel, out, broadcastView(t, out.shape), s);
    if (t !== a && t !== b) t.dispose();
    return;
  }
  const ta = sa ? scalarTensor(a, dtype, out.device) : castTo(a, dtype);
  const tb = sb ? scalarTensor(b, dtype, out.device) : castTo(b, dtype);
  backend.binary(kernelCode(def, dtype), out, broadcastView(ta, out.shape), broadcastView(tb, out.shape), alpha);
  if (ta !== a) ta.dispose();
  if (tb !== b) tb.dispose();
}

/** The output shape and dtype of a op b, with PyTorch's refusals. */
export function binaryResult(def: BinaryDef, a: Operand, b: Operand, alpha = 1): { shape: number[]; dtype: DType } {
  const shapeA = isScalar(a) ? [] : a.shape;
  const shapeB = isScalar(b) ? [] : b.shape;
  return { shape: broadcastShapes(shapeA, shapeB), dtype: computeDType(def, a, b, alpha) };
}

/** The op's PyTorch name, for messages. */
export const binaryName = (def: BinaryDef): string => Object.keys(BINARY).find((k) => BINARY[k as keyof typeof BINARY] === def)!;

export function apply(def: BinaryDef, a: Operand, b: Operand, alpha = 1): Tensor {
  const name = () => binaryName(def);
  checkOperand(name, a, 'input', 1);
  checkOperand(name, b);
  const device = alive(a, b);
  if (isScalar(a) && isScalar(b)) a = scalarTensor(a, scalarDType(a));
  if (def.code === Binary.pow && isScalar(b) && Number(b) < 0 && !isFloating(resultType([a, b]))) {
    throw new Error('Integers to negative integer powers are not allowed.');
  }
  const { shape, dtype } = binaryResult(def, a, b, alpha);
  const out = Tensor.empty(shape, dtype, device);
  binaryInto(def, out, a, b, alpha);
  if (needsGrad(a, b)) {
    const save = def.save ?? '';
    const saved = [
      ...(save.includes('a') && !isScalar(a) ? [a] : []),
      ...(save.includes('b') && !isScalar(b) ? [b] : []),
      ...(save.includes('y') ? [out] : []),
    ];
    const ins = [isScalar(a) ? null : a, isScalar(b) ? null : b];
    // pow(Tensor, Scalar) is PowBackward0, pow(Tensor, Tensor) PowBackward1, pow(Scalar, Tensor) PowBackward2
    const node = def.code !== Binary.pow ? def.node : isScalar(b) ? 'PowBackward0' : isScalar(a) ? 'PowBackward2' : 'PowBackward1';
    record(node, ins, out, saved, (g, s) => {
      let i = 0;
      const ca = save.includes('a') && !isScalar(a) ? s[i++] : a;
      const cb = save.includes('b') && !isScalar(b) ? s[i++] : b;
      const y = save.includes('y') ? s[i++] : out;
      const [ga, gb] = def.grad(g, { a: ca, b: cb, y, alpha });
      return [isScalar(a) ? null : ga, isScalar(b) ? null : gb];
    });
  }
  return out;
}

export interface AlphaOptions {
  alpha?: number;
}

export const add = (a: Operand, b: Operand, o: AlphaOptions = {}): Tensor => apply(BINARY.add, a, b, o?.alpha ?? 1);
export const sub = (a: Operand, b: Operand, o: AlphaOptions = {}): Tensor => apply(BINARY.sub, a, b, o?.alpha ?? 1);
export const mul = (a: Operand, b: Operand): Tensor => apply(BINARY.mul, a, b);
export const div = (a: Operand, b: Operand): Tensor => apply(BINARY.div, a, b);
export const powOp = pow;
export const maximum = (a: Operand, b: Operand): Tensor => apply(BINARY.maximum, a, b);
export const minimum = (a: Operand, b: Operand): Tensor => apply(BINARY.minimum, a, b);
export const fmod = (a: Operand, b: Operand): Tensor => apply(BINARY.fmod, a, b);
export const remainder = (a: Operand, b: Operand): Tensor => apply(BINARY.remainder, a, b);
export const atan2 = (a: Operand, b: Operand): Tensor => apply(BINARY.atan2, a, b);
/** other - self (PyTorch's rsub). */
export const rsub = scopedOp((a: Tensor, b: Operand, o: AlphaOptions = {}): Tensor =>
  (checkOperand('rsub', a, 'input', 1, false), isScalar(b) && (o?.alpha ?? 1) === 1 ? apply(BINARY.sub, b, a) : apply(BINARY.sub, b, a.mul(o?.alpha ?? 1))),
);

declare module '../tensor/tensor' {
  interface Tensor {
    add(other: Operand, options?: AlphaOptions): Tensor;
    sub(other: Operand, options?: AlphaOptions): Tensor;
    subtract(other: Operand, options?: AlphaOptions): Tensor;
    rsub(other: Operand, options?: AlphaOptions): Tensor;
    mul(other: Operand): Tensor;
    multiply(other: Operand): Tensor;
    div(other: Operand): Tensor;
    divide(other: Operand): Tensor;
    trueDivide(other: Operand): Tensor;
    pow(exponent: Operand): Tensor;
    maximum(other: Operand): Tensor;
    minimum(other: Operand): Tensor;
    fmod(other: Operand): Tensor;
    remainder(other: Operand): Tensor;
    atan2(other: Operand): Tensor;
  }
}

const proto = Tensor.prototype;
proto.add = function (other, o) { return add(this, other, o); };
proto.sub = function (other, o) { return sub(this, other, o); };
proto.subtract = proto.sub;
proto.rsub = function (other, o) { return rsub(this, other, o); };
proto.mul = function (other) { return mul(this, other); };
proto.multiply = proto.mul;
proto.div = function (other) { return div(this, other); };
proto.divide = proto.div;
proto.trueDivide = proto.div;
proto.pow = function (e) { return pow(this, e); };
proto.maximum = function (other) { return maximum(this, other); };
proto.minimum = function (other) { return minimum(this, other); };
proto.fmod = function (other) { return fmod(this, other); };
proto.remainder = function (other) { return remainder(this, other); };
proto.atan2 = function (other) { return atan2(this, other); };
