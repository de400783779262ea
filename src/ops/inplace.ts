// In-place ops (trailing underscore). They write through views, bump the
// storage's version counter (so autograd can refuse stale saved tensors)
// and, when a graph is being recorded, make the tensor the output of the
// equivalent out-of-place op.
import { Tensor } from '../tensor/tensor';
import { type Scalar, resultType, scalarName, isFloating, isIntegral } from '../tensor/dtype';
import { fmtShape } from '../tensor/shape';
import * as backend from '../devices/wasm/backend';
import { isGradEnabled } from '../autograd/grad_mode';
import { tidy } from '../tensor/lifetime';
import { needsGrad, record } from '../autograd/record';
import { BINARY, apply, binaryInto, binaryName, binaryResult, type BinaryDef, type Operand, type AlphaOptions } from './binary';
import { UNARY, type UnaryName, applyUnary } from './unary';
import { clamp } from './unary';
import { copyInto } from './join';
import { checkOperand, isScalar, pyTypeName } from './operands';
import { assertNoInternalOverlap, assertNoPartialOverlap } from '../tensor/overlap';
import { rebaseView } from '../autograd/copy_slices';

function checkLeaf(self: Tensor): void {
  if (!isGradEnabled()) return;
  if (self.requiresGrad && self.isLeaf) throw new Error('a leaf Variable that requires grad is being used in an in-place operation.');
  const base = self._base;
  if (base && base.requiresGrad && base.isLeaf) {
    throw new Error('a view of a leaf Variable that requires grad is being used in an in-place operation.');
  }
}

/** PyTorch's can_cast: no float into an integer, nothing but bool into bool. */
function checkCast(result: Tensor['dtype'], self: Tensor): void {
  const bad = (isFloating(result) && isIntegral(self.dtype, true)) || (self.dtype === 'bool' && result !== 'bool');
  if (bad) throw new Error(`result type ${scalarName(result)} can't be cast to the desired output type ${scalarName(self.dtype)}`);
}

/**
 * Runs an in-place update. With autograd recording, the out-of-place
 * result (computed on a clone, so saved inputs are not clobbered) is
 * copied in and its node becomes this tensor's gradFn; when this tensor
 * is a view, its base is rebased instead (PyTorch's CopySlices).
 */
function inplace(self: Tensor, others: readonly unknown[], outOfPlace: (x: Tensor) => Tensor, direct: () => void): Tensor {
  checkLeaf(self);
  // the scope frees the clone, the out-of-place result and any view made along the way
  return tidy(() => update(self, others, outOfPlace, direct));
}

function update(self: Tensor, others: readonly unknown[], outOfPlace: (x: Tensor) => Tensor, direct: () => void): Tensor {
  if (needsGrad(self, ...others)) {
    const src = self.clone();
    const r = outOfPlace(src);
    copyInto(self, r);
    if (self._base) rebaseView(self._base, self, r);
    else self._adoptGradFn(r);
    r.dispose();
    src.dispose();
  } else {
    direct();
  }
  self.storage.version++;
  return self;
}

function binaryInplace(def: BinaryDef, self: Tensor, other: Operand, alpha = 1): Tensor {
  checkOperand(() => `${binaryName(def)}_`, other);
  // the out-of-place op's own refusals first (bool sub, float alpha on integers, ...)
  const { shape, dtype } = binaryResult(def, self, other, alpha);
  if (shape.length !== self.ndim || shape.join() !== self.shape.join()) {
    throw new Error(`output with shape ${fmtShape(self.shape)} doesn't match the broadcast shape ${fmtShape(shape)}`);
  }
  checkCast(dtype, self);
  assertNoInternalOverlap(self);
  if (!isScalar(other)) assertNoPartialOverlap(self, other);
  const op = (x: Tensor) => apply(def, x, other, alpha);
  return inplace(self, [other], op, () => {
    const aliased = !isScalar(other) && other.storage === self.storage;
    if (dtype === self.dtype && !aliased) {
      binaryInto(def, self, self, other, alpha);
    } else {
      const r = op(self);
      copyInto(self, r);
      r.dispose();
    }
  });
}

function unaryInplace(name: UnaryName, self: Tensor): Tensor {
  const def = UNARY[name];
  if ('float' in def && def.float && !isFloating(self.dtype)) checkCast('float32', self);
  assertNoInternalOverlap(self);
  return inplace(self, [], (x) => applyUnary(def, x), () => {
    const r = applyUnary(def, self.detach());
    backend.cast(self, r);
    r.dispose();
  });
}

export function fill_(self: Tensor, value: Scalar | Tensor): Tensor {
  if (!(value instanceof Tensor) && !isScalar(value)) throw new TypeError(`fill_(): argument 'value' (position 1) must be Number, not ${pyTypeName(value)}`);
  if (value instanceof Tensor && value.ndim !== 0) {
    throw new Error(`fill_ only supports 0-dimension value tensor but got tensor with ${value.ndim} dimensions.`);
  }
  const v = value instanceof Tensor ? Number(value.item()) : Number(value);
  const node = value instanceof Tensor ? 'FillBackward3' : 'FillBackward2';
  const others = value instanceof Tensor ? [value] : [];
  return inplace(self, others, (x) => filledLike(x, v, node, others), () => backend.fill(self, v));
}

export function zero_(self: Tensor): Tensor {
  return inplace(self, [], (x) => filledLike(x, 0, 'ZeroBackward0', []), () => backend.fill(self, 0));
}

/** x's shape filled with v: the old values get no gradient, a tensor value gets the sum of it. */
function filledLike(x: Tensor, v: number, node: string, value: Tensor[]): Tensor {
  const out = Tensor.empty(x.shape, x.dtype, x.device);
  backend.fill(out, v);
  if (needsGrad(x, ...value)) record(node, [x, ...value], out, [], (g) => [g.zerosLike(), ...value.map(() => g.sum())]);
  return out;
}

export function copy_(self: Tensor, src: Tensor): Tensor {
  if (!(src instanceof Tensor)) throw new TypeError('copy_(): argument \'src\' must be Tensor');
  assertNoInternalOverlap(self);
  assertNoPartialOverlap(self, src);
  return inplace(self, [src], (x) => {
    const out = Tensor.empty(x.shape, x.dtype, x.device);
    copyInto(out, src);
    // x's old value is overwritten (zero gradient); src's gradient is summed back by the engine
    if (needsGrad(x, src)) record('CopyBackwards', [x, src], out, [], (g) => [g.zerosLike(), g]);
    return out;
  }, () => copyInto(self, src));
}

declare module '../tensor/tensor' {
  interface Tensor {
    add_(other: Operand, options?: AlphaOptions): this;
    sub_(other: Operand, options?: AlphaOptions): this;
    mul_(other: Operand): this;
    div_(other: Operand): this;
    pow_(exponent: Operand): this;
    clamp_(min?: number | null, max?: number | null): this;
    fill_(value: Scalar | Tensor): this;
    zero_(): this;
    copy_(src: Tensor): this;
    neg_(): this;
    abs_(): this;
    exp_(): this;
    log_(): this;
    sqrt_(): this;
    relu_(): this;
    sigmoid_(): this;
    tanh_(): this;
    square_(): this;
    reciprocal_(): this;
    floor_(): this;
    ceil_(): this;
    round_(): this;
    sign_(): this;
  }
}

const proto = Tensor.prototype;
proto.add_ = function (o, opts) { return binaryInplace(BINARY.add, this, o, opts?.alpha ?? 1) as never; };
proto.sub_ = function (o, opts) { return binaryInplace(BINARY.sub, this, o, opts?.alpha ?? 1) as never; };
proto.mul_ = function (o) { return binaryInplace(BINARY.mul, this, o) as never; };
proto.div_ = function (o) { return binaryInplace(BINARY.div, this, o) as never; };
proto.pow_ = function (o) { return binaryInplace(BINARY.pow, this, o) as never; };
proto.clamp_ = function (lo, hi) {
  const dtype = resultType([this, ...(lo == null ? [] : [lo]), ...(hi == null ? [] : [hi])]);
  checkCast(dtype, this);
  assertNoInternalOverlap(this);
  return inplace(this, [], (x) => clamp(x, lo, hi), () => {
    const r = clamp(this.detach(), lo, hi);
    backend.cast(this, r);
    r.dispose();
  }) as never;
};
proto.fill_ = function (v) { return fill_(this, v) as never; };
proto.zero_ = function () { return zero_(this) as never; };
proto.copy_ = function (s) { return copy_(this, s) as never; };
for (const name of ['neg', 'abs', 'exp', 'log', 'sqrt', 'relu', 'sigmoid', 'tanh', 'square', 'reciprocal', 'floor', 'ceil', 'round', 'sign'] as const) {
  Object.defineProperty(proto, `${name}_`, {
    value: function (this: Tensor) { return unaryInplace(name, this); },
    writable: true,
    configurable: true,
  });
}
