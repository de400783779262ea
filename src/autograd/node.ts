// A node of the backward graph: one per differentiable op application.
// It keeps what its gradient formula needs (as private aliases of the
// saved tensors, with their version numbers) and the edges to the nodes
// that produced its inputs.
import type { Tensor } from '../tensor/tensor';
import type { DType } from '../tensor/dtype';
import { fmtShape } from '../tensor/shape';

/** Gradients for each input, in input order; null where an input gets none. */
export type BackwardFn = (grad: Tensor, saved: readonly Tensor[]) => readonly (Tensor | null)[];

export interface Edge {
  node: Node;
  /** The input's shape and dtype: the engine sums and casts the gradient back to them. */
  shape: readonly number[];
  dtype: DType;
}

const FREED =
  'Trying to backward through the graph a second time (or directly access saved tensors after they have already been freed). ' +
  'Saved intermediate values of the graph are freed when you call .backward() or autograd.grad(). ' +
  'Specify retain_graph=True if you need to backward through the graph a second time or if you need to access saved tensors after calling backward.';

export class Node {
  private saved: Tensor[] | null;
  private readonly versions: number[];
  private readonly hadSaved: boolean;
  /** A non-leaf output that asked for retainGrad(). */
  retainFor: Tensor | null = null;
  /** How many live nodes have an edge to this one. */
  private consumers = 0;
  /** Whether the tensor this node produced is still undisposed. */
  private ownerAlive = true;
  private collected = false;

  constructor(
    /** PyTorch's node name; composite ops rename their top node (see nn/functional). */
    public name: string,
    readonly next: readonly (Edge | null)[],
    saved: readonly Tensor[],
    private readonly fn: BackwardFn,
    /** Which output of the forward op each saved tensor is, for messages. */
    private readonly savedNames: readonly string[] = [],
  ) {
    this.saved = saved.map((t) => t._alias());
    this.versions = saved.map((t) => t._version);
    this.hadSaved = saved.length > 0;
    for (const e of next) if (e) e.node.consumers++;
  }

  /**
   * The tensor this node produced was disposed (or handed the node on).
   * A node that no live node consumes is then unreachable for any future
   * backward: free its saved tensors now and walk upstream, so an
   * abandoned graph (a forward pass never backwarded) goes away with its
   * outputs instead of waiting for the garbage collector.
   */
  ownerDisposed(): void {
    this.ownerAlive = false;
    const stack: Node[] = [this];
    while (stack.length) {
      const n = stack.pop()!;
      if (n.collected || n.ownerAlive || n.consumers > 0) continue;
      n.collected = true;
      n.release();
      for (const e of n.next) {
        if (!e) continue;
        e.node.consumers--;
        stack.push(e.node);
      }
    }
  }

  apply(grad: Tensor): readonly (Tensor | null)[] {
    const saved = this.saved;
    if (!saved) {
      if (this.hadSaved) throw new Error(FREED);
      return this.fn(grad, []);
    }
    for (let i = 0; i < saved.length; i++) {
      if (saved[i]._version !== this.versions[i]) {
        const t = saved[i];
        throw new Error(
          `one of the variables needed for gradient computation has been modified by an inplace operation: ` +
            `[${t.dtype} ${fmtShape(t.shape)}]${this.savedNames[i] ? `, which is ${this.savedNames[i]} of ${this.name},` : ''} ` +
            `is at version ${t._version}; expected version ${this.versions[i]} instead. ` +
            'Hint: the backtrace further above can help identify the operation that failed to compute its gradient.',
        );
      }
    }
    return this.fn(grad, saved);
  }

  /**
   * @internal Gives each saved alias its original's place in the graph (the
   * node that produced it, or its leaf's accumulator), so that a backward
   * formula run with createGraph is itself differentiable through what it saved.
   */
  connectSaved(sinks: readonly (Node | null)[]): void {
    this.saved?.forEach((alias, i) => {
      const sink = sinks[i];
      if (!sink) return;
      if (sink instanceof AccumulateGrad) {
        alias.requiresGrad = true;
        alias._accumulator = sink;
      } else {
        alias._setGradFn(sink, false);
      }
    });
  }

  /** Frees the saved tensors (after a backward pass without retainGraph). */
  release(): void {
    if (!this.saved) return;
    for (const t of this.saved) t.dispose();
    this.saved = null;
  }

  toString(): string {
    return `<${this.name}>`;
  }
}

/** The sink of a leaf's gradients: it adds them into leaf.grad. */
export class AccumulateGrad extends Node {
  constructor(readonly variable: Tensor) {
    super('AccumulateGrad', [], [], () => []);
  }
}
