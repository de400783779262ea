// Arguments every loss checks: the reduction (as PyTorch's
// _Reduction.get_enum, before anything else) and weights that must not
// require grad (PyTorch's derivative formulas do not cover them).
import type { Tensor } from '../tensor/tensor';
import { needsGrad } from '../autograd/record';

export type Reduction = 'mean' | 'sum' | 'none';

export interface LossOptions {
  reduction?: Reduction;
}

export function checkReduction(r: string | undefined): Reduction {
  const reduction = r ?? 'mean';
  if (reduction !== 'mean' && reduction !== 'sum' && reduction !== 'none') throw new Error(`${reduction} is not a valid value for reduction`);
  return reduction;
}

export function reduce(loss: Tensor, reduction: Reduction): Tensor {
  if (reduction === 'mean') return loss.mean();
  return reduction === 'sum' ? loss.sum() : loss;
}

export function notDifferentiable(fn: string, arg: string, t: Tensor | null | undefined): void {
  if (t && needsGrad(t)) throw new Error(`The function '${fn}' is not differentiable with respect to argument '${arg}'. This input cannot have requires_grad True.`);
}
