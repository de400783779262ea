// Loss functions of torch.nn.functional. Log-probabilities come from the
// max-shifted logSoftmax kernel, so cross-entropy stays finite for huge
// logits; BCE clamps its logs at -100 as PyTorch does.
import { scopedOp } from '../tensor/lifetime';
import { Tensor } from '../tensor/tensor';
import { scalarName, isFloating } from '../tensor/dtype';
import { fmtShape } from '../tensor/shape';
import { where } from '../ops/compare';
import { noGrad } from '../autograd/grad_mode';
import { needsGrad, record } from '../autograd/record';

export type Reduction = 'mean' | 'sum' | 'none';

export interface LossOptions {
  reduction?: Reduction;
}

function reduce(loss: Tensor, reduction: Reduction = 'mean'): Tensor {
  if (reduction === 'mean') return loss.mean();
  if (reduction === 'sum') return loss.sum();
  if (reduction === 'none') return loss;
  throw new Error(`${reduction} is not a valid value for reduction`);
}

const rename = (t: Tensor, node: string): Tensor => {
  if (t.gradFn) t.gradFn.name = node;
  return t;
};

function checkFloat(x: Tensor, fn: string): void {
  if (!isFloating(x.dtype)) throw new Error(`"${fn}" not implemented for '${scalarName(x.dtype)}'`);
}

function mseLossImpl(input: Tensor, target: Tensor, o: LossOptions = {}): Tensor {
  checkFloat(input, 'mse_loss');
  return rename(reduce(input.sub(target).square(), o.reduction), 'MseLossBackward0');
}
export const mseLoss = scopedOp(mseLossImpl);

function l1LossImpl(input: Tensor, target: Tensor, o: LossOptions = {}): Tensor {
  checkFloat(input, 'l1_loss');
  return rename(reduce(input.sub(target).abs(), o.reduction), 'L1LossBackward0');
}
export const l1Loss = scopedOp(l1LossImpl);

export interface NllOptions extends LossOptions {
  weight?: Tensor | null;
  ignoreIndex?: number;
}

/** Shape checks shared by nllLoss and crossEntropy; returns the class dim. */
function checkClassTarget(input: Tensor, target: Tensor): number {
  if (input.ndim < 1) throw new Error('input tensor should be 1D or more');
  const classDim = input.ndim === 1 ? 0 : 1;
  if (target.dtype !== 'int64') throw new Error(`expected scalar type Long but found ${scalarName(target.dtype)}`);
  const expected = input.shape.filter((_, d) => d !== classDim);
  if (input.ndim >= 2 && target.shape[0] !== input.shape[0]) {
    throw new Error(`Expected input batch_size (${input.shape[0]}) to match target batch_size (${target.shape[0]}).`);
  }
  if (target.shape.join() !== expected.join()) {
    throw new Error(`Expected target size ${fmtShape(expected)}, got ${fmtShape(target.shape)}`);
  }
  return classDim;
}

/**
 * -input[i, target[i]] * weight[target[i]], targets equal to ignoreIndex
 * excluded; 'mean' divides by the summed weights of the counted targets.
 */
function nllLossImpl(input: Tensor, target: Tensor, o: NllOptions = {}): Tensor {
  const classDim = checkClassTarget(input, target);
  const reduction = o.reduction ?? 'mean';
  if (!['mean', 'sum', 'none'].includes(reduction)) throw new Error(`${reduction} is not a valid value for reduction`);
  const ignore = o.ignoreIndex ?? -100;
  const C = input.shape[classDim];
  const { loss, weights, safe, keep } = noGrad(() => {
    const keep = target.ne(ignore);
    const safe = where(keep, target, 0);
    const bad = target.lt(0).logicalOr(target.ge(C)).logicalAnd(keep);
    if (bad.any().item()) {
      const first = bad.flatten().long().argmax().item() as number;
      throw new Error(`Target ${target.flatten().select(0, first).item()} is out of bounds.`);
    }
    const w = o.weight ? o.weight.indexSelect(0, safe.reshape(-1)).reshape(target.shape) : keep.to(input.dtype);
    const weights = o.weight ? w.mul(keep) : w;
    const picked = input.detach().gather(classDim, safe.unsqueeze(classDim)).squeeze(classDim);
    const loss = picked.mul(weights).neg();
    return { loss, weights, safe, keep };
  });
  const total = noGrad(() => weights.sum());
  const out = reduction === 'none' ? loss : reduction === 'sum' ? loss.sum() : loss.sum().div(total);
  if (needsGrad(input)) {
    const shape = input.shape;
    record('NllLossBackward0', [input], out, [safe, weights, total, keep], (g, [t, w, tot, k]) => {
      const scale = reduction === 'mean' ? g.div(tot) : g;
      // ignored targets get exactly 0, even when a total weight of 0 makes the scale infinite (PyTorch skips them)
      const src = where(k, w.mul(scale).neg(), 0).unsqueeze(classDim);
      return [g.newZeros(shape).scatterAdd(classDim, t.unsqueeze(classDim), src)];
    });
  }
  return out;
}
export const nllLoss = scopedOp(nllLossImpl);

export interface CrossEntropyOptions extends NllOptions {
  labelSmoothing?: number;
}

/**
 * logSoftmax + nllLoss over class indices, or against class probabilities
 * when target is floating point; optional label smoothing as PyTorch 1.13.
 */
function crossEntropyImpl(input: Tensor, target: Tensor, o: CrossEntropyOptions = {}): Tensor {
  const eps = o.labelSmoothing ?? 0;
  if (eps < 0 || eps > 1) throw new Error(`label_smoothing must be between 0.0 and 1.0. Got: ${eps}`);
  const classDim = input.ndim === 1 ? 0 : 1;
  const C = input.shape[classDim];
  const logp = input.logSoftmax(classDim);
  const weightB = o.weight ? o.weight.reshape(input.shape.map((s, d) => (d === classDim ? C : 1))) : null;
  if (isFloating(target.dtype)) {
    if (target.shape.join() !== input.shape.join()) {
      throw new Error(`Expected input batch_size (${input.shape[0]}) to match target batch_size (${target.shape[0]}).`);
    }
    const t = eps > 0 ? target.mul(1 - eps).add(eps / C) : target;
    const per = weightB ? logp.mul(t).mul(weightB) : logp.mul(t);
    const loss = per.sum(classDim).neg();
    const reduction = o.reduction ?? 'mean';
    if (reduction === 'mean') return loss.sum().div(input.ndim === 1 ? 1 : input.numel() / C);
    return reduce(loss, reduction);
  }
  const nll = nllLoss(logp, target, o);
  if (eps === 0) return nll;
  checkClassTarget(input, target);
  const ignore = target.eq(o.ignoreIndex ?? -100);
  const smooth = (weightB ? logp.mul(weightB) : logp).sum(classDim).neg().maskedFill(ignore, 0);
  let ret: Tensor;
  switch (o.reduction ?? 'mean') {
    case 'mean':
      if (o.weight) {
        const counted = noGrad(() => o.weight!.indexSelect(0, where(ignore, 0, target).reshape(-1)).mul(ignore.logicalNot().reshape(-1)).sum());
        ret = smooth.sum().div(counted);
      } else {
        ret = smooth.sum().div(ignore.logicalNot().sum());
      }
      break;
    case 'sum':
      ret = smooth.sum();
      break;
    default:
      ret = smooth;
  }
  return nll.mul(1 - eps).add(ret.mul(eps / C));
}
export const crossEntropy = scopedOp(crossEntropyImpl);

export interface BceOptions extends LossOptions {
  weight?: Tensor | null;
}

/** PyTorch's backward kernel keeps its 1e-12 as a float: 1 / EPSILON is 1.0000000039958e12, also for float64. */
const BCE_EPSILON = Math.fround(1e-12);

/** -w (t log x + (1 - t) log(1 - x)), logs clamped at -100. */
function binaryCrossEntropyImpl(input: Tensor, target: Tensor, o: BceOptions = {}): Tensor {
  checkFloat(input, 'binary_cross_entropy');
  if (input.shape.join() !== target.shape.join()) {
    throw new Error(`Using a target size (${fmtShape(target.shape)}) that is different to the input size (${fmtShape(input.shape)}) is deprecated. Please ensure they have the same size.`);
  }
  const outOfRange = noGrad(() => input.lt(0).logicalOr(input.gt(1)).any().item());
  if (outOfRange) throw new Error('all elements of input should be between 0 and 1');
  const elementwise = noGrad(() => {
    const l = target.mul(input.log().clamp(-100)).add(target.rsub(1).mul(input.rsub(1).log().clamp(-100))).neg();
    return o.weight ? l.mul(o.weight) : l;
  });
  const reduction = o.reduction ?? 'mean';
  const out = reduce(elementwise, reduction);
  if (needsGrad(input, target)) {
    const n = input.numel();
    record('BinaryCrossEntropyBackward0', [input, target], out, [input, target], (g, [x, t]) => {
      // PyTorch's formula: (x - t) / max(x (1 - x), 1e-12), times the weight and the reduction's scale
      let gx = x.sub(t).div(x.mul(x.rsub(1)).clamp(BCE_EPSILON));
      if (o.weight) gx = gx.mul(o.weight);
      const scale = reduction === 'mean' ? g.div(n) : g;
      // the target's gradient is log(1 - x) - log(x), unclamped: infinite at x = 0 or 1, as in PyTorch
      let gt = x.rsub(1).log().sub(x.log());
      if (o.weight) gt = gt.mul(o.weight);
      return [gx.mul(scale), gt.mul(scale)];
    });
  }
  return out;
}
export const binaryCrossEntropy = scopedOp(binaryCrossEntropyImpl);

export interface BceLogitsOptions extends BceOptions {
  posWeight?: Tensor | null;
}

/** BCE on logits in the numerically stable form max(-x, 0) + log(e^-max + e^(-x-max)). */
function binaryCrossEntropyWithLogitsImpl(input: Tensor, target: Tensor, o: BceLogitsOptions = {}): Tensor {
  checkFloat(input, 'binary_cross_entropy_with_logits');
  if (input.shape.join() !== target.shape.join()) {
    throw new Error(`Target size (${fmtShape(target.shape)}) must be the same as input size (${fmtShape(input.shape)})`);
  }
  const maxVal = input.neg().clamp(0);
  const softplus = maxVal.neg().exp().add(input.neg().sub(maxVal).exp()).log().add(maxVal);
  let loss: Tensor;
  if (o.posWeight) {
    const logWeight = o.posWeight.sub(1).mul(target).add(1);
    loss = target.rsub(1).mul(input).add(logWeight.mul(softplus));
  } else {
    loss = target.rsub(1).mul(input).add(softplus);
  }
  if (o.weight) loss = loss.mul(o.weight);
  return rename(reduce(loss, o.reduction), 'BinaryCrossEntropyWithLogitsBackward0');
}
export const binaryCrossEntropyWithLogits = scopedOp(binaryCrossEntropyWithLogitsImpl);
