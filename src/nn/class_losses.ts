// nll_loss and cross_entropy: class-index targets (with weights, ignore_index
// and label smoothing) and class-probability targets. Shape checks run in
// the order of PyTorch 1.13's nll_loss_nd / nll_loss / nll_loss2d, so the
// first problem reported is PyTorch's, in its words (including the missing
// parenthesis of nll_loss2d's size-mismatch message).
import { Tensor } from '../tensor/tensor';
import { checkOperand, tensorInput } from '../ops/operands';
import { scalarName, isFloating } from '../tensor/dtype';
import { fmtShape } from '../tensor/shape';
import { where } from '../ops/compare';
import { noGrad } from '../autograd/grad_mode';
import { needsGrad, record } from '../autograd/record';
import { scopedOp } from '../tensor/lifetime';
import { checkReduction, notDifferentiable, type LossOptions } from './loss_args';

export interface NllOptions extends LossOptions {
  weight?: Tensor | null;
  ignoreIndex?: number;
}

export interface CrossEntropyOptions extends NllOptions {
  labelSmoothing?: number;
}

const classDimOf = (input: Tensor): number => (input.ndim === 1 ? 0 : 1);

/** nll_loss_nd's checks; returns the class dim. */
function checkNll(input: Tensor, target: Tensor, weight: Tensor | null | undefined): number {
  if (input.ndim < 1) throw new Error(`Expected 1 or more dimensions (got ${input.ndim})`);
  if (input.ndim !== 1 && input.shape[0] !== target.shape[0]) {
    throw new Error(`Expected input batch_size (${input.shape[0]}) to match target batch_size (${target.shape[0] ?? 0}).`);
  }
  const C = input.shape[classDimOf(input)];
  if (input.ndim <= 2) {
    if (target.ndim > 1) throw new Error('0D or 1D target tensor expected, multi-target not supported');
    const noBatch = input.ndim === 1 && target.ndim === 0;
    if (!noBatch && input.shape[0] !== target.shape[0]) {
      throw new Error(`size mismatch (got input: ${fmtShape(input.shape)}, target: ${fmtShape(target.shape)})`);
    }
    if (weight && (weight.ndim !== 1 || weight.numel() !== C)) {
      throw new Error(`weight tensor should be defined either for all ${C} classes or no classes but got weight tensor of shape: ${fmtShape(weight.shape)}`);
    }
    if (!isFloating(input.dtype)) throw new Error(`"nll_loss_out_frame" not implemented for '${scalarName(input.dtype)}'`);
  } else {
    // 3-D and 5-D+ inputs are reshaped to nll_loss2d's 4-D after this check
    if (input.ndim !== 4 && target.shape.slice(1).join() !== input.shape.slice(2).join()) {
      throw new Error(`Expected target size ${fmtShape([input.shape[0], ...input.shape.slice(2)])}, got ${fmtShape(target.shape)}`);
    }
    if (input.ndim === 4 && target.ndim !== 3) {
      throw new Error(`only batches of spatial targets supported (3D tensors) but got targets of dimension: ${target.ndim}`);
    }
    if (weight && weight.numel() !== C) throw new Error('weight tensor should be defined either for all or no classes');
    if (input.ndim === 4 && target.shape.slice(1).join() !== input.shape.slice(2).join()) {
      throw new Error(`size mismatch (got input: ${fmtShape(input.shape)} , target: ${fmtShape(target.shape)}`);
    }
    if (!isFloating(input.dtype)) throw new Error(`"nll_loss2d_forward_out_frame" not implemented for '${scalarName(input.dtype)}'`);
  }
  if (target.dtype !== 'int64') throw new Error(`expected scalar type Long but found ${scalarName(target.dtype)}`);
  if (weight && weight.dtype !== input.dtype) throw new Error(`expected scalar type ${scalarName(input.dtype)} but found ${scalarName(weight.dtype)}`);
  notDifferentiable(input.ndim <= 2 ? 'nll_loss_forward' : 'nll_loss2d_forward', 'weight', weight);
  return classDimOf(input);
}

/**
 * -input[i, target[i]] * weight[target[i]], targets equal to ignoreIndex
 * excluded; 'mean' divides by the summed weights of the counted targets.
 */
function nllLossImpl(input: Tensor, target: Tensor, o: NllOptions = {}): Tensor {
  tensorInput('nll_loss', input);
  checkOperand('nll_loss', target, 'target', 2, false);
  o ??= {};
  const reduction = checkReduction(o.reduction);
  const classDim = checkNll(input, target, o.weight);
  const ignore = o.ignoreIndex ?? -100;
  const C = input.shape[classDim];
  const { loss, weights, safe, keep } = noGrad(() => {
    const keep = target.ne(ignore);
    const safe = where(keep, target, 0);
    // a GPU target cannot be read synchronously: like CUDA's device-side asserts, webgpu skips this check
    const bad = target.device === 'wasm' ? target.lt(0).logicalOr(target.ge(C)).logicalAnd(keep) : null;
    if (bad?.any().item()) {
      const first = bad!.flatten().long().argmax().item() as number;
      throw new Error(`Target ${target.flatten().select(0, first).item()} is out of bounds.`);
    }
    const w = o.weight ? o.weight.reshape(-1).indexSelect(0, safe.reshape(-1)).reshape(target.shape) : keep.to(input.dtype);
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
      // ignored targets receive nothing, even when 'mean' divides by a zero total weight
      const src = where(k, w.mul(scale).neg(), 0).unsqueeze(classDim);
      return [g.newZeros(shape).scatterAdd(classDim, t.unsqueeze(classDim), src.to(g.dtype))];
    });
  }
  return out;
}
export const nllLoss = scopedOp(nllLossImpl);

/** [1, C, 1, ...]: the weight broadcast over the class dim. */
const classView = (weight: Tensor, input: Tensor, classDim: number): Tensor =>
  weight.reshape(input.shape.map((_, d) => (d === classDim ? weight.shape[0] : 1)));

/** cross_entropy_loss_prob_target: -sum(w * t * log_softmax(x)) over classes. */
function probTarget(input: Tensor, target: Tensor, o: CrossEntropyOptions, reduction: string, eps: number): Tensor {
  if (!isFloating(target.dtype)) throw new Error(`Expected floating point type for target with class probabilities, got ${scalarName(target.dtype)}`);
  if ((o.ignoreIndex ?? -100) >= 0) throw new Error('ignore_index is not supported for floating point target');
  const classDim = classDimOf(input);
  const C = input.shape[classDim];
  const w = o.weight;
  if (w && (w.ndim !== 1 || w.numel() !== C)) {
    throw new Error(`cross_entropy: weight tensor should be defined either for all ${C} classes or no classes but got weight tensor of shape: ${fmtShape(w.shape)}`);
  }
  const logp = input.logSoftmax(classDim);
  const t = eps > 0 ? target.mul(1 - eps).add(eps / C) : target;
  const per = w ? logp.mul(t).mul(classView(w, input, classDim)) : logp.mul(t);
  if (reduction === 'none') return per.sum(classDim).neg();
  const total = per.sum().neg();
  return reduction === 'sum' ? total : total.div(input.numel() / C);
}

/** cross_entropy_loss_label_smoothing: (1 - eps) nll + eps / C * the uniform-target loss. */
function labelSmoothing(input: Tensor, target: Tensor, o: CrossEntropyOptions, reduction: string, eps: number): Tensor {
  const classDim = classDimOf(input);
  const logp = input.logSoftmax(classDim);
  const nll = nllLoss(logp, target, o);
  const C = input.shape[classDim];
  const ignore = target.eq(o.ignoreIndex ?? -100);
  const smooth = (o.weight ? logp.mul(classView(o.weight, input, classDim)) : logp).sum(classDim).neg().maskedFill(ignore, 0);
  let ret: Tensor;
  if (reduction === 'mean') {
    const counted = noGrad(() => {
      const kept = ignore.logicalNot().reshape(-1);
      return o.weight ? o.weight.indexSelect(0, where(kept, target.reshape(-1), 0)).mul(kept).sum() : kept.sum();
    });
    ret = smooth.sum().div(counted);
  } else {
    ret = reduction === 'sum' ? smooth.sum() : smooth;
  }
  return nll.mul(1 - eps).add(ret.mul(eps / C));
}

/**
 * PyTorch 1.13's cross_entropy: a target of the input's shape holds class
 * probabilities; otherwise it holds class indices, smoothed when
 * labelSmoothing > 0 (a negative value is accepted and means none).
 */
function crossEntropyImpl(input: Tensor, target: Tensor, o: CrossEntropyOptions = {}): Tensor {
  tensorInput('cross_entropy', input);
  checkOperand('cross_entropy', target, 'target', 2, false);
  o ??= {};
  const reduction = checkReduction(o.reduction);
  const eps = o.labelSmoothing ?? 0;
  if (eps > 1) throw new Error(`label_smoothing must be between 0.0 and 1.0. Got: ${eps}`);
  if (input.ndim === target.ndim && input.shape.join() === target.shape.join()) return probTarget(input, target, o, reduction, eps);
  if (eps > 0) return labelSmoothing(input, target, o, reduction, eps);
  return nllLoss(input.logSoftmax(classDimOf(input)), target, o);
}
export const crossEntropy = scopedOp(crossEntropyImpl);
