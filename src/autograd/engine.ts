// Reverse-mode engine: an iterative topological walk (no recursion, so deep
// graphs cannot overflow the stack) from the roots to the leaves. This is
// the ONE place where a gradient is summed back to its input's broadcast
// shape and cast back to its dtype; op formulas never do either.
import { Tensor } from '../tensor/tensor';
import { fmtShape } from '../tensor/shape';
import { tidy, keep } from '../tensor/lifetime';
import { AccumulateGrad, type Edge, type Node } from './node';
import { noGrad, enableGrad } from './grad_mode';
import { pyTypeName } from '../ops/operands';

export interface BackwardOptions {
  /** Keep saved tensors so the graph can be walked again. Defaults to createGraph. */
  retainGraph?: boolean;
  /** Record the backward pass itself, for higher-order gradients. */
  createGraph?: boolean;
}

/** Sums a gradient over the dims its input was broadcast along, then casts it to the input's dtype. */
export function reduceToInput(g: Tensor, shape: readonly number[], dtype: Tensor['dtype']): Tensor {
  let r = g;
  if (g.shape.join() !== shape.join()) {
    const lead = g.ndim - shape.length;
    const dims: number[] = [];
    for (let d = 0; d < g.ndim; d++) if (d < lead || (shape[d - lead] === 1 && g.shape[d] !== 1)) dims.push(d);
    r = dims.length ? g.sum(dims, true) : g;
    if (r.shape.join() !== shape.join()) r = r.reshape(shape);
  }
  return r.dtype === dtype ? r : r.to(dtype);
}

function rootGradient(root: Tensor, given: Tensor | null | undefined, i: number): Tensor {
  if (!root.requiresGrad) throw new Error(`element ${i} of tensors does not require grad and does not have a grad_fn`);
  if (given == null) {
    if (root.numel() !== 1) throw new Error('grad can be implicitly created only for scalar outputs');
    return Tensor.prototype.onesLike.call(root);
  }
  if (given.shape.join() !== root.shape.join()) {
    throw new Error(
      `Mismatch in shape: grad_output[${i}] has a shape of torch.Size(${fmtShape(given.shape)}) and output[${i}] has a shape of torch.Size(${fmtShape(root.shape)}).`,
    );
  }
  return given;
}

function accumulate(target: Map<Node, Tensor>, node: Node, g: Tensor): void {
  const prev = target.get(node);
  target.set(node, prev ? prev.add(g) : g);
}

/** Adds g into leaf.grad: in place normally, out of place when the graph is being recorded. */
function accumulateIntoLeaf(leaf: Tensor, g: Tensor, createGraph: boolean, keepList: Tensor[]): void {
  if (leaf.isDisposed) return;
  if (!leaf.grad) {
    leaf.grad = createGraph ? g : g.detach().clone();
  } else if (createGraph) {
    leaf.grad = leaf.grad.add(g);
  } else {
    noGrad(() => leaf.grad!.add_(g));
    return;
  }
  keepList.push(leaf.grad);
}

/**
 * Runs the backward pass. With `capture`, gradients arriving at those
 * tensors are returned instead of accumulated into .grad (autograd.grad).
 */
export function runBackward(
  roots: readonly Tensor[],
  grads: readonly (Tensor | null | undefined)[],
  options: BackwardOptions,
  capture: readonly Tensor[] | null = null,
): (Tensor | null)[] {
  const createGraph = options.createGraph ?? false;
  const retainGraph = options.retainGraph ?? createGraph;
  const keepList: Tensor[] = [];
  const captured: (Tensor | null)[] = capture ? capture.map(() => null) : [];

  tidy(() => {
    const pending = new Map<Node, Tensor>();
    const rootNodes: Node[] = [];
    roots.forEach((root, i) => {
      const g = rootGradient(root, grads[i], i);
      const node = root.gradFn ?? (root._accumulator ??= new AccumulateGrad(root));
      accumulate(pending, node, g);
      rootNodes.push(node);
    });

    // count, for every reachable node, how many edges lead into it
    const deps = new Map<Node, number>();
    const seen = new Set<Node>(rootNodes);
    const stack = [...seen];
    while (stack.length) {
      const n = stack.pop()!;
      for (const e of n.next) {
        if (!e) continue;
        deps.set(e.node, (deps.get(e.node) ?? 0) + 1);
        if (!seen.has(e.node)) {
          seen.add(e.node);
          stack.push(e.node);
        }
      }
    }

    const captureAt = new Map<Node, number[]>();
    capture?.forEach((t, i) => {
      const node = t.gradFn ?? t._accumulator;
      if (node) captureAt.set(node, [...(captureAt.get(node) ?? []), i]);
    });

    const processed: Node[] = [];
    const ready = [...seen].filter((n) => !deps.has(n));
    const run = createGraph ? enableGrad : noGrad;
    while (ready.length) {
      const node = ready.pop()!;
      processed.push(node);
      const g = pending.get(node);
      pending.delete(node);
      if (g) {
        for (const i of captureAt.get(node) ?? []) captured[i] = g;
        if (node.retainFor && !node.retainFor.isDisposed) {
          const t = node.retainFor;
          t.grad = t.grad ? t.grad.add(g) : createGraph ? g : g.detach().clone();
          keepList.push(t.grad);
        }
      }
      if (node instanceof AccumulateGrad) {
        if (g && !capture) accumulateIntoLeaf(node.variable, g, createGraph, keepList);
        continue;
      }
      const inputGrads = g ? run(() => node.apply(g)) : [];
      node.next.forEach((e: Edge | null, i) => {
        if (!e) return;
        const gi = inputGrads[i];
        if (gi) accumulate(pending, e.node, run(() => reduceToInput(gi, e.shape, e.dtype)));
        const left = deps.get(e.node)! - 1;
        deps.set(e.node, left);
        if (left === 0) ready.push(e.node);
      });
    }
    if (!retainGraph) for (const n of processed) n.release();
    for (const t of keepList) keep(t);
    for (const t of captured) if (t) keep(t);
    return null;
  });
  return captured;
}

/** Tensor.backward: accumulates d(root)/d(leaf) into every leaf's .grad. */
export function backward(root: Tensor, gradient?: Tensor | null, options: BackwardOptions = {}): void {
  // options come second: backward({ retainGraph: true }) would otherwise fail deep inside
  if (gradient !== undefined && gradient !== null && !(gradient instanceof Tensor)) {
    throw new TypeError(`backward(): argument 'gradient' must be Tensor or None, not ${pyTypeName(gradient)} (options go second: backward(null, { retainGraph: true }))`);
  }
  runBackward([root], [gradient], options);
}

export interface GradOptions extends BackwardOptions {
  /** Return null for inputs the outputs do not depend on, instead of throwing. */
  allowUnused?: boolean;
}

/** torch.autograd.grad: the gradients of outputs with respect to inputs, without touching .grad. */
export function grad(
  outputs: Tensor | readonly Tensor[],
  inputs: Tensor | readonly Tensor[],
  gradOutputs?: Tensor | readonly (Tensor | null)[] | null,
  options: GradOptions = {},
): (Tensor | null)[] {
  const outs = outputs instanceof Tensor ? [outputs] : [...outputs];
  const ins = inputs instanceof Tensor ? [inputs] : [...inputs];
  const gos = gradOutputs instanceof Tensor ? [gradOutputs] : gradOutputs ? [...gradOutputs] : [];
  for (const t of ins) {
    if (!t.requiresGrad) throw new Error('One of the differentiated Tensors does not require grad');
  }
  const result = runBackward(outs, gos, options, ins);
  if (!options.allowUnused && result.some((g) => g === null)) {
    for (const g of result) g?.dispose();
    throw new Error('One of the differentiated Tensors appears to not have been used in the graph. Set allow_unused=True if this is the desired behavior.');
  }
  return result;
}
