// Comparisons, logical ops, predicates and where(): everything that makes
// or consumes bool masks. Only where() and maskedFill() carry gradients.
import { scopedOp } from '../tensor/lifetime';
import { Binary, Compare } from '../../assembly/codes';
import { Tensor } from '../tensor/tensor';
import { type DType, type Scalar, resultType, scalarName } from '../tensor/dtype';
import { broadcastShapes } from '../tensor/shape';
import * as backend from '../devices/wasm/backend';
import { needsGrad, record } from '../autograd/record';
import { alive, broadcastView, castTo, checkOperand, isScalar, pyTypeName, scalarTensor, tensorInput } from './operands';
import type { Device } from '../tensor/storage';

type Operand = Tensor | Scalar;

const shapeOf = (v: Operand): readonly number[] => (isScalar(v) ? [] : v.shape);

/** Tensor operands as kernels want them: cast to dtype, scalars as 0-d tensors. Returns temporaries too. */
function prepare(v: Operand, dtype: DType, temps: Tensor[], device: Device): Tensor {
  const t = isScalar(v) ? scalarTensor(v, dtype, device) : castTo(v, dtype);
  if (t !== v) temps.push(t);
  return t;
}

function compare(op: Compare, a: Operand, b: Operand): Tensor {
  checkOperand(() => Compare[op], a, 'input', 1);
  checkOperand(() => Compare[op], b);
  const device = alive(a, b);
  if (isScalar(a) && isScalar(b)) a = scalarTensor(a, resultType([a]));
  const dtype = resultType([a, b]);
  const shape = broadcastShapes(shapeOf(a), shapeOf(b));
  const temps: Tensor[] = [];
  const ta = prepare(a, dtype, temps, device);
  const tb = prepare(b, dtype, temps, device);
  const out = Tensor.empty(shape, 'bool', device);
  backend.compare(op, out, broadcastView(ta, shape), broadcastView(tb, shape));
  for (const t of temps) t.dispose();
  return out;
}

/** A unary predicate (isnan, ...): the compare kernel with b unused. */
function predicate(op: Compare, x: Tensor): Tensor {
  tensorInput(op === Compare.isZero ? 'logical_not' : Compare[op], x);
  alive(x);
  const out = Tensor.empty(x.shape, 'bool', x.device);
  backend.compare(op, out, x, x);
  return out;
}

export const eq = (a: Operand, b: Operand): Tensor => compare(Compare.eq, a, b);
export const ne = (a: Operand, b: Operand): Tensor => compare(Compare.ne, a, b);
export const lt = (a: Operand, b: Operand): Tensor => compare(Compare.lt, a, b);
export const le = (a: Operand, b: Operand): Tensor => compare(Compare.le, a, b);
export const gt = (a: Operand, b: Operand): Tensor => compare(Compare.gt, a, b);
export const ge = (a: Operand, b: Operand): Tensor => compare(Compare.ge, a, b);
export const isnan = (x: Tensor): Tensor => predicate(Compare.isnan, x);
export const isinf = (x: Tensor): Tensor => predicate(Compare.isinf, x);
export const isfinite = (x: Tensor): Tensor => predicate(Compare.isfinite, x);
export const isposinf = (x: Tensor): Tensor => predicate(Compare.isposinf, x);
export const isneginf = (x: Tensor): Tensor => predicate(Compare.isneginf, x);
export const logicalNot = (x: Tensor): Tensor => predicate(Compare.isZero, x);

function logical(op: Binary, a: Operand, b: Operand): Tensor {
  checkOperand(() => `logical_${Binary[op]}`, a, 'input', 1);
  checkOperand(() => `logical_${Binary[op]}`, b);
  const device = alive(a, b);
  const shape = broadcastShapes(shapeOf(a), shapeOf(b));
  const temps: Tensor[] = [];
  const ta = prepare(a, 'bool', temps, device);
  const tb = prepare(b, 'bool', temps, device);
  const out = Tensor.empty(shape, 'bool', device);
  backend.binary(op, out, broadcastView(ta, shape), broadcastView(tb, shape));
  for (const t of temps) t.dispose();
  return out;
}

export const logicalAnd = (a: Operand, b: Operand): Tensor => logical(Binary.and, a, b);
export const logicalOr = (a: Operand, b: Operand): Tensor => logical(Binary.or, a, b);
export const logicalXor = (a: Operand, b: Operand): Tensor => logical(Binary.xor, a, b);

function checkCondition(cond: Tensor): void {
  if (!(cond instanceof Tensor)) throw new TypeError('where(): argument \'condition\' must be Tensor');
  // PyTorch 1.13 still takes a uint8 condition (with a deprecation warning)
  if (cond.dtype !== 'bool' && cond.dtype !== 'uint8') {
    throw new Error(`where expected condition to be a boolean tensor, but got a tensor with dtype ${scalarName(cond.dtype)}`);
  }
}

/** Elementwise select without autograd, into a fresh tensor of `dtype` and `shape`. */
function select(cond: Tensor, a: Operand, b: Operand, dtype: DType, shape: readonly number[]): Tensor {
  alive(cond, a, b);
  const temps: Tensor[] = [];
  const device = cond.device;
  const ta = prepare(a, dtype, temps, device);
  const tb = prepare(b, dtype, temps, device);
  const out = Tensor.empty(shape, dtype, device);
  backend.where(out, broadcastView(cond, shape), broadcastView(ta, shape), broadcastView(tb, shape));
  for (const t of temps) t.dispose();
  return out;
}

/** torch.where(condition, a, b): a where condition holds, else b, broadcast together. */
export function where(condition: Tensor, a: Operand, b: Operand): Tensor {
  checkCondition(condition);
  checkOperand('where', a, 'input', 1);
  checkOperand('where', b, 'other', 2);
  const shape = broadcastShapes(condition.shape, shapeOf(a), shapeOf(b));
  const cond = castTo(condition, 'bool');
  const out = select(cond, a, b, resultType([a, b]), shape);
  if (cond !== condition) cond.dispose();
  if (needsGrad(a, b)) {
    record('WhereBackward0', [isScalar(a) ? null : a, isScalar(b) ? null : b], out, [condition], (g, [c]) => [
      isScalar(a) ? null : where(c, g, 0),
      isScalar(b) ? null : where(c, 0, g),
    ]);
  }
  return out;
}

/** x with `value` written where mask is true (PyTorch's masked_fill, out of place). */
export function maskedFill(x: Tensor, mask: Tensor, value: Scalar | Tensor): Tensor {
  tensorInput('masked_fill', x);
  checkOperand('masked_fill', mask, 'mask', 1, false);
  if (mask.dtype !== 'bool') {
    throw new Error(`masked_fill_ only supports boolean masks, but got mask with dtype ${scalarName(mask.dtype)}`);
  }
  if (!(value instanceof Tensor) && !isScalar(value)) throw new TypeError(`masked_fill(): argument 'value' (position 2) must be Number, not ${pyTypeName(value)}`);
  const shape = broadcastShapes(x.shape, mask.shape);
  if (shape.length !== x.ndim || shape.some((s, i) => s !== x.shape[i])) {
    throw new Error(`The size of tensor a (${x.shape.join(', ')}) must match the size of tensor b (${mask.shape.join(', ')})`);
  }
  if (value instanceof Tensor && value.ndim !== 0) {
    throw new Error(`masked_fill_ only supports a 0-dimensional value tensor, but got tensor with ${value.ndim} dimension(s).`);
  }
  const v = value instanceof Tensor ? (value.item() as number) : value;
  const out = select(mask, v, x, x.dtype, shape);
  if (value instanceof Tensor) {
    // the Tensor overload (MaskedFillBackward1): the value gets the sum of the gradient it filled
    if (needsGrad(x, value)) {
      record('MaskedFillBackward1', [x, value], out, [mask], (g, [m]) => [where(m, 0, g), where(m, g, 0).sum()]);
    }
  } else if (needsGrad(x)) {
    record('MaskedFillBackward0', [x], out, [mask], (g, [m]) => [where(m, 0, g)]);
  }
  return out;
}

/** True when both have the same shape and values (PyTorch's torch.equal). */
function equalImpl(a: Tensor, b: Tensor): boolean {
  checkOperand('equal', a, 'input', 0, false);
  checkOperand('equal', b, 'other', 1, false);
  if (a.shape.join() !== b.shape.join()) return false;
  const e = eq(a, b);
  const all = e.all();
  const r = all.item() as boolean;
  e.dispose();
  all.dispose();
  return r;
}
export const equal = scopedOp(equalImpl);

export interface CloseOptions {
  rtol?: number;
  atol?: number;
  equalNan?: boolean;
}

/** |a - b| <= atol + rtol * |b|, elementwise (PyTorch's isclose). */
function iscloseImpl(a: Tensor, b: Tensor, o: CloseOptions = {}): Tensor {
  tensorInput('isclose', a);
  checkOperand('isclose', b, 'other', 1, false);
  o ??= {};
  const rtol = o.rtol ?? 1e-5, atol = o.atol ?? 1e-8;
  const close = a.sub(b).abs().le(b.abs().mul(rtol).add(atol)).logicalOr(a.eq(b));
  return o.equalNan ? close.logicalOr(a.isnan().logicalAnd(b.isnan())) : close;
}
export const isclose = scopedOp(iscloseImpl);

export const allclose = scopedOp((a: Tensor, b: Tensor, o: CloseOptions = {}): boolean => isclose(a, b, o).all().item() as boolean);

declare module '../tensor/tensor' {
  interface Tensor {
    eq(other: Operand): Tensor;
    ne(other: Operand): Tensor;
    lt(other: Operand): Tensor;
    le(other: Operand): Tensor;
    gt(other: Operand): Tensor;
    ge(other: Operand): Tensor;
    isnan(): Tensor;
    isinf(): Tensor;
    isfinite(): Tensor;
    isposinf(): Tensor;
    isneginf(): Tensor;
    logicalNot(): Tensor;
    logicalAnd(other: Operand): Tensor;
    logicalOr(other: Operand): Tensor;
    logicalXor(other: Operand): Tensor;
    /** self where condition holds, else other (PyTorch's Tensor.where). */
    where(condition: Tensor, other: Operand): Tensor;
    maskedFill(mask: Tensor, value: Scalar | Tensor): Tensor;
    equal(other: Tensor): boolean;
    isclose(other: Tensor, options?: CloseOptions): Tensor;
    allclose(other: Tensor, options?: CloseOptions): boolean;
  }
}

const proto = Tensor.prototype;
proto.eq = function (o) { return eq(this, o); };
proto.ne = function (o) { return ne(this, o); };
proto.lt = function (o) { return lt(this, o); };
proto.le = function (o) { return le(this, o); };
proto.gt = function (o) { return gt(this, o); };
proto.ge = function (o) { return ge(this, o); };
proto.isnan = function () { return isnan(this); };
proto.isinf = function () { return isinf(this); };
proto.isfinite = function () { return isfinite(this); };
proto.isposinf = function () { return isposinf(this); };
proto.isneginf = function () { return isneginf(this); };
proto.logicalNot = function () { return logicalNot(this); };
proto.logicalAnd = function (o) { return logicalAnd(this, o); };
proto.logicalOr = function (o) { return logicalOr(this, o); };
proto.logicalXor = function (o) { return logicalXor(this, o); };
proto.where = function (condition, other) { return where(condition, this, other); };
proto.maskedFill = function (mask, value) { return maskedFill(this, mask, value); };
proto.equal = function (o) { return equal(this, o); };
proto.isclose = function (o, opts) { return isclose(this, o, opts); };
proto.allclose = function (o, opts) { return allclose(this, o, opts); };
