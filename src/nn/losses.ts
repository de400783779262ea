// Regression and binary losses of torch.nn.functional, following PyTorch
// 1.13's kernels: BCE takes log1p(-x) and clamps both logs at -100, its
// gradients are the closed forms PyTorch uses (including the unclamped
// -logit(x) for the target), and BCE-with-logits uses the max-shifted
// log-sum-exp so logits of +-1e4 stay finite. Class losses: ./class_losses.
import { scopedOp } from '../tensor/lifetime';
import { Tensor } from '../tensor/tensor';
import { checkOperand, tensorInput } from '../ops/operands';
import { scalarName, isFloating, promoteTypes } from '../tensor/dtype';
import { noGrad } from '../autograd/grad_mode';
import { needsGrad, record, renameNode } from '../autograd/record';
import { checkReduction, notDifferentiable, reduce, type LossOptions } from './loss_args';

export type { LossOptions, Reduction } from './loss_args';
export { nllLoss, crossEntropy, type NllOptions, type CrossEntropyOptions } from './class_losses';

const torchSize = (shape: readonly number[]): string => `torch.Size([${shape.join(', ')}])`;

function mseLossImpl(input: Tensor, target: Tensor, o: LossOptions = {}): Tensor {
  tensorInput('mse_loss', input);
  checkOperand('mse_loss', target, 'target', 2, false);
  o ??= {};
  const reduction = checkReduction(o.reduction);
  const dtype = promoteTypes(input.dtype, target.dtype);
  if (!isFloating(dtype)) throw new Error(`"mse_cpu" not implemented for '${scalarName(dtype)}'`);
  return renameNode(reduce(input.sub(target).square(), reduction), 'MseLossBackward0');
}
export const mseLoss = scopedOp(mseLossImpl);

/** |input - target|, reduced; integer inputs work unless 'mean' is asked for, as in PyTorch. */
function l1LossImpl(input: Tensor, target: Tensor, o: LossOptions = {}): Tensor {
  tensorInput('l1_loss', input);
  checkOperand('l1_loss', target, 'target', 2, false);
  o ??= {};
  const reduction = checkReduction(o.reduction);
  return renameNode(reduce(input.sub(target).abs(), reduction), 'L1LossBackward0');
}
export const l1Loss = scopedOp(l1LossImpl);

export interface BceOptions extends LossOptions {
  weight?: Tensor | null;
}

/** (t - 1) max(log1p(-x), -100) - t max(log(x), -100), times the weight. */
function binaryCrossEntropyImpl(input: Tensor, target: Tensor, o: BceOptions = {}): Tensor {
  tensorInput('binary_cross_entropy', input);
  checkOperand('binary_cross_entropy', target, 'target', 2, false);
  o ??= {};
  const reduction = checkReduction(o.reduction);
  if (input.shape.join() !== target.shape.join() || input.ndim !== target.ndim) {
    throw new Error(`Using a target size (${torchSize(target.shape)}) that is different to the input size (${torchSize(input.shape)}) is deprecated. Please ensure they have the same size.`);
  }
  if (target.dtype !== input.dtype) throw new Error(`Found dtype ${scalarName(target.dtype)} but expected ${scalarName(input.dtype)}`);
  if (!isFloating(input.dtype)) throw new Error(`"binary_cross_entropy" not implemented for '${scalarName(input.dtype)}'`);
  notDifferentiable('binary_cross_entropy', 'weight', o.weight);
  const w = o.weight ?? null;
  const elementwise = noGrad(() => {
    // NaN fails the range check too: the kernel tests 0 <= x <= 1
    if (input.device === 'wasm' && !input.ge(0).logicalAnd(input.le(1)).all().item()) throw new Error('all elements of input should be between 0 and 1');
    const l = target.sub(1).mul(input.neg().log1p().clamp(-100)).sub(target.mul(input.log().clamp(-100)));
    // the weight multiplies in place: the loss keeps the input's dtype
    return w ? l.mul(w).to(input.dtype) : l;
  });
  const out = reduce(elementwise, reduction);
  if (needsGrad(input, target)) {
    const n = input.numel();
    const saved = w ? [input, target, w] : [input, target];
    record('BinaryCrossEntropyBackward0', [input, target], out, saved, (g, [x, t, wt]) => {
      const scaled = (v: Tensor): Tensor => {
        const weighted = wt ? v.mul(wt).to(v.dtype) : v;
        return reduction === 'mean' ? weighted.div(n) : weighted;
      };
      // PyTorch's EPSILON is a float constant: 1e-12 rounded to float32, whatever the input's dtype
      const gx = g.mul(x.sub(t)).div(x.rsub(1).mul(x).clamp(Math.fround(1e-12)));
      const gt = x.div(x.rsub(1)).log().neg().mul(g);
      return [scaled(gx), scaled(gt)];
    });
  }
  return out;
}
export const binaryCrossEntropy = scopedOp(binaryCrossEntropyImpl);

export interface BceLogitsOptions extends BceOptions {
  posWeight?: Tensor | null;
}

/**
 * (1 - t) x + pw' (log(e^-m + e^(-x-m)) + m), m = max(-x, 0), pw' = (pw - 1) t + 1;
 * the result has the target's dtype (PyTorch computes it in place on 1 - t).
 */
function binaryCrossEntropyWithLogitsImpl(input: Tensor, target: Tensor, o: BceLogitsOptions = {}): Tensor {
  tensorInput('binary_cross_entropy_with_logits', input);
  checkOperand('binary_cross_entropy_with_logits', target, 'target', 2, false);
  o ??= {};
  const reduction = checkReduction(o.reduction);
  if (input.shape.join() !== target.shape.join() || input.ndim !== target.ndim) {
    throw new Error(`Target size (${torchSize(target.shape)}) must be the same as input size (${torchSize(input.shape)})`);
  }
  const dtype = target.dtype;
  if (!isFloating(dtype)) throw new Error(`result type ${scalarName(promoteTypes(input.dtype, dtype))} can't be cast to the desired output type ${scalarName(dtype)}`);
  notDifferentiable('binary_cross_entropy_with_logits', 'weight', o.weight);
  notDifferentiable('binary_cross_entropy_with_logits', 'pos_weight', o.posWeight);
  const w = o.weight ?? null, pw = o.posWeight ?? null;
  const loss = noGrad(() => {
    const maxVal = input.neg().clamp(0);
    const lse = maxVal.neg().exp().add(input.neg().sub(maxVal).exp()).log();
    const oneMinusT = target.rsub(1);
    let l: Tensor;
    if (pw) l = oneMinusT.mul(input).add(pw.sub(1).mul(target).add(1).mul(lse.add(maxVal))).to(dtype);
    else l = oneMinusT.mul(input).add(maxVal).add(lse).to(dtype);
    return w ? l.mul(w).to(dtype) : l;
  });
  const out = reduce(loss, reduction);
  if (needsGrad(input, target)) {
    const n = input.numel();
    const saved = [input, target, ...(w ? [w] : []), ...(pw ? [pw] : [])];
    record('BinaryCrossEntropyWithLogitsBackward0', [input, target], out, saved, (g, [x, t, ...rest]) => {
      const wt = w ? rest[0] : null, pwt = pw ? rest[w ? 1 : 0] : null;
      const scaled = (v: Tensor, like: Tensor): Tensor => {
        let r = v.mul(g);
        if (wt) r = r.mul(wt);
        if (reduction === 'mean') r = r.div(n);
        return r.to(like.dtype);
      };
      let gx: Tensor, gt: Tensor;
      if (pwt) {
        const pt = pwt.mul(t);
        gx = pt.add(1).sub(t).mul(x.sigmoid()).sub(pt);
        // d/dt: log_sigmoid(-x) - pw log_sigmoid(x), each as -softplus
        gt = softplusOf(x).neg().sub(pwt.mul(softplusOf(x.neg()).neg()));
      } else {
        gx = x.sigmoid().sub(t);
        gt = x.neg();
      }
      return [scaled(gx, x), scaled(gt, t)];
    });
  }
  return out;
}
export const binaryCrossEntropyWithLogits = scopedOp(binaryCrossEntropyWithLogitsImpl);

/** log(1 + e^v) without overflow: max(v, 0) + log1p(e^-|v|). */
const softplusOf = (v: Tensor): Tensor => v.clamp(0).add(v.abs().neg().exp().log1p());
