// Three-operand pointwise ops the optimizers use: addcmul, addcdiv, lerp.
// Evaluation order follows PyTorch's kernels ((value * t1) * t2, then + self).
import { Tensor } from '../tensor/tensor';
import { checkOperand, tensorInput } from './operands';

export interface ValueOptions {
  value?: number;
}

/** The tensor operands, refused by name when they are not tensors. */
function tensors(fn: string, names: string[], ...ts: unknown[]): void {
  ts.forEach((t, i) => checkOperand(fn, t, names[i], i + 1, false));
}

export const addcmul = (x: Tensor, t1: Tensor, t2: Tensor, o: ValueOptions = {}): Tensor => (tensorInput('addcmul', x), tensors('addcmul', ['tensor1', 'tensor2'], t1, t2), x.add(t1.mul(o?.value ?? 1).mul(t2)));
export const addcdiv = (x: Tensor, t1: Tensor, t2: Tensor, o: ValueOptions = {}): Tensor => (tensorInput('addcdiv', x), tensors('addcdiv', ['tensor1', 'tensor2'], t1, t2), x.add(t1.mul(o?.value ?? 1).div(t2)));
/** x + weight * (end - x) */
export const lerp = (x: Tensor, end: Tensor, weight: number | Tensor): Tensor => (tensorInput('lerp', x), tensors('lerp', ['end'], end), x.add(end.sub(x).mul(weight)));

declare module '../tensor/tensor' {
  interface Tensor {
    addcmul(t1: Tensor, t2: Tensor, options?: ValueOptions): Tensor;
    addcdiv(t1: Tensor, t2: Tensor, options?: ValueOptions): Tensor;
    lerp(end: Tensor, weight: number | Tensor): Tensor;
    addcmul_(t1: Tensor, t2: Tensor, options?: ValueOptions): this;
    addcdiv_(t1: Tensor, t2: Tensor, options?: ValueOptions): this;
    lerp_(end: Tensor, weight: number | Tensor): this;
  }
}

const proto = Tensor.prototype;
proto.addcmul = function (t1, t2, o) { return addcmul(this, t1, t2, o); };
proto.addcdiv = function (t1, t2, o) { return addcdiv(this, t1, t2, o); };
proto.lerp = function (end, w) { return lerp(this, end, w); };
proto.addcmul_ = function (t1, t2, o) { tensors('addcmul_', ['tensor1', 'tensor2'], t1, t2); return this.add_(t1.mul(o?.value ?? 1).mul(t2)); };
proto.addcdiv_ = function (t1, t2, o) { tensors('addcdiv_', ['tensor1', 'tensor2'], t1, t2); return this.add_(t1.mul(o?.value ?? 1).div(t2)); };
proto.lerp_ = function (end, w) { tensors('lerp_', ['end'], end); return this.add_(end.sub(this).mul(w)); };
