// The one call every differentiable op makes after computing its result.
import { Tensor } from '../tensor/tensor';
import { isGradEnabled } from './grad_mode';
import { AccumulateGrad, Node, type BackwardFn, type Edge } from './node';

/** True when grad mode is on and some tensor operand requires grad. */
export function needsGrad(...operands: readonly unknown[]): boolean {
  if (!isGradEnabled()) return false;
  for (const o of operands) if (o instanceof Tensor && o.requiresGrad) return true;
  return false;
}

/** The node that receives gradients for t: its producer, or its accumulator if t is a leaf. */
export function gradSink(t: Tensor): Node {
  return t.gradFn ?? (t._accumulator ??= new AccumulateGrad(t));
}

/**
 * Attaches a backward node to `out`. `inputs` lines up with the gradients
 * `backward` returns; non-tensor or non-differentiable inputs pass null.
 * Saved tensors are kept as private aliases and checked for in-place
 * modification when backward runs.
 */
export function record(
  name: string,
  inputs: readonly (Tensor | null | undefined)[],
  out: Tensor,
  saved: readonly Tensor[],
  backward: BackwardFn,
  savedNames?: readonly string[],
): Tensor {
  const next: (Edge | null)[] = inputs.map((t) =>
    t instanceof Tensor && t.requiresGrad ? { node: gradSink(t), shape: t.shape, dtype: t.dtype } : null,
  );
  const node = new Node(name, next, saved, backward, savedNames);
  out._setGradFn(node);
  // after _setGradFn, so a saved output is linked to this very node
  node.connectSaved(saved.map((t) => (t.requiresGrad ? gradSink(t) : null)));
  return out;
}

/** Gives the node that produced `t` PyTorch's name for the fused op the composite stands for (shown as grad_fn). */
export function renameNode(t: Tensor, name: string): Tensor {
  if (t.gradFn) t.gradFn.name = name;
  return t;
}
