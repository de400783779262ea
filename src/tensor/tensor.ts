// The Tensor: metadata (shape, strides, offset, dtype) over a shared,
// reference-counted Storage, plus its autograd slots. Ops are attached to
// the prototype by the files in src/ops, one family per file.
import type { Node } from '../autograd/node';
import { type DType, itemSize, isFloating } from './dtype';
import { Storage, type Device } from './storage';
import { track, untrack, unscoped, retrack } from './lifetime';
import { contiguousStrides, isContiguous, normDim, numel, fmtShape, type Shape } from './shape';

/** An immutable copy of a, or a itself when it already is one (views share their parent's arrays). */
const frozen = (a: readonly number[]): readonly number[] => (Object.isFrozen(a) ? a : Object.freeze(a.slice()));

// Node 20 ships Symbol.dispose; older engines get the well-known fallback that TypeScript and esbuild use.
(Symbol as { dispose?: symbol }).dispose ??= Symbol.for('Symbol.dispose');

export type { Device } from './storage';

export class Tensor {
  private _storage: Storage | null;
  /** Offset of element [0, ..., 0] in the storage, in elements. */
  readonly offset: number;
  readonly shape: readonly number[];
  /** Strides in elements (PyTorch: `stride()`). */
  readonly strides: readonly number[];
  readonly dtype: DType;

  private _requiresGrad = false;
  /** Accumulated gradient of a leaf (or of a tensor that called retainGrad()). */
  grad: Tensor | null = null;
  /** The autograd node that produced this tensor; null for leaves. */
  gradFn: Node | null = null;
  /** @internal set by retainGrad() */
  _retainsGrad = false;
  /** @internal the tensor this one is a view of, for in-place autograd */
  _base: Tensor | null = null;
  /** @internal whether the FinalizationRegistry knows this tensor (lifetime.ts) */
  _registered = false;
    /** @internal a leaf's gradient sink, shared by every use of the leaf */
  _accumulator: Node | null = null;

  /** Adopts one reference to `storage` (callers retain() first when sharing). */
  constructor(storage: Storage, shape: Shape, strides: Shape, offset: number, dtype: DType) {
    this._storage = storage;
    this.shape = frozen(shape);
    this.strides = frozen(strides);
    this.offset = offset;
    this.dtype = dtype;
    track(this, storage);
  }

  /** A new, uninitialised, contiguous tensor. */
  static empty(shape: Shape, dtype: DType, device: Device = 'wasm'): Tensor {
    const storage = Storage.allocate(numel(shape) * itemSize(dtype), device);
    return new Tensor(storage, shape, contiguousStrides(shape), 0, dtype);
  }

  /** A view sharing this tensor's storage. */
  _view(shape: Shape, strides: Shape, offset: number): Tensor {
    const v = new Tensor(this.storage.retain(), shape, strides, offset, this.dtype);
    v._base = this._base ?? this;
    return v;
  }

  /** @internal A detached handle on the same storage that no tidy() scope owns (autograd's saved tensors). */
  _alias(): Tensor {
    const storage = this.storage.retain();
    return unscoped(() => new Tensor(storage, this.shape, this.strides, this.offset, this.dtype));
  }

  /** @internal Whether this tensor is the output its gradFn was recorded for (saved aliases merely point at it). */
  _ownsGradFn = false;

  /** @internal Marks an op's output as part of the graph; `owner` is false for saved aliases that only point into it. */
  _setGradFn(node: Node, owner = true): void {
    this._releaseGradFn();
    this.gradFn = node;
    this._ownsGradFn = owner;
    this._requiresGrad = true;
  }

  /** @internal Takes over another tensor's node (in-place ops adopt the out-of-place result's history). */
  _adoptGradFn(from: Tensor): void {
    const node = from.gradFn!;
    from._ownsGradFn = false;
    this._setGradFn(node);
  }

  /** @internal Lets go of gradFn; an unconsumed node of a dead output frees its saved tensors at once. */
  _releaseGradFn(): void {
    const node = this.gradFn;
    if (node && this._ownsGradFn) node.ownerDisposed();
    this._ownsGradFn = false;
    this.gradFn = null;
  }

  /** A detached view of the same storage (PyTorch's `.data`). */
  get data(): Tensor {
    const v = this._view(this.shape, this.strides, this.offset);
    v._base = null;
    return v;
  }

  /**
   * Replaces this tensor's contents (storage, shape, dtype) with t's, keeping
   * its identity, its requiresGrad and its place in modules and optimizers;
   * no autograd history is recorded (PyTorch's `x.data = t`).
   */
  set data(t: Tensor) {
    const storage = t.storage.retain();
    this.storage.release();
    this._storage = storage;
    const self = this as { -readonly [K in 'shape' | 'strides' | 'offset' | 'dtype']: Tensor[K] };
    self.shape = t.shape;
    self.strides = t.strides;
    self.offset = t.offset;
    self.dtype = t.dtype;
    retrack(this, storage);
  }

  get storage(): Storage {
    const s = this._storage;
    if (!s) throw new Error(`Cannot use a disposed tensor (shape ${fmtShape(this.shape)}, dtype ${this.dtype})`);
    return s;
  }

  /** Byte address of element [0, ..., 0] in wasm memory. */
  get ptr(): number {
    return this.storage.ptr + this.offset * itemSize(this.dtype);
  }

  get device(): Device {
    return this.storage.device;
  }

  get ndim(): number {
    return this.shape.length;
  }

  dim(): number {
    return this.shape.length;
  }

  size(): number[];
  size(dim: number): number;
  size(dim?: number): number[] | number {
    if (dim === undefined) return [...this.shape];
    return this.shape[dimOf(dim, this.ndim)];
  }

  stride(): number[];
  stride(dim: number): number;
  stride(dim?: number): number[] | number {
    if (dim === undefined) return [...this.strides];
    return this.strides[dimOf(dim, this.ndim)];
  }

  numel(): number {
    return numel(this.shape);
  }

  elementSize(): number {
    return itemSize(this.dtype);
  }

  isContiguous(): boolean {
    return isContiguous(this.shape, this.strides);
  }

  isFloatingPoint(): boolean {
    return isFloating(this.dtype);
  }

  /** Storage offset in elements (PyTorch: storage_offset()). */
  storageOffset(): number {
    return this.offset;
  }

  /** Version counter shared with views, bumped by in-place ops (PyTorch: `_version`). */
  get _version(): number {
    return this.storage.version;
  }

  get requiresGrad(): boolean {
    return this._requiresGrad;
  }

  set requiresGrad(value: boolean) {
    if (value && !isFloating(this.dtype)) {
      throw new Error('only Tensors of floating point and complex dtype can require gradients');
    }
    if (!value && this.gradFn) {
      throw new Error(
        "you can only change requires_grad flags of leaf variables. If you want to use a computed variable in a subgraph that doesn't require differentiation use var_no_grad = var.detach().",
      );
    }
    this._requiresGrad = value;
  }

  /** Sets requiresGrad in place and returns this (PyTorch: requires_grad_()). */
  requiresGrad_(value = true): this {
    // PyTorch words this refusal differently from the property setter's
    if (value && !isFloating(this.dtype)) throw new Error('only Tensors of floating point dtype can require gradients');
    this.requiresGrad = value;
    return this;
  }

  get isLeaf(): boolean {
    return this.gradFn === null;
  }

  /** Keeps .grad on a non-leaf after backward(). */
  retainGrad(): void {
    if (!this._requiresGrad) throw new Error("can't retain_grad on Tensor that has requires_grad=False");
    if (this.gradFn) {
      this._retainsGrad = true;
      this.gradFn.retainFor = this;
    }
  }

  get isDisposed(): boolean {
    return this._storage === null;
  }

  /**
   * Releases this tensor's hold on its storage (views keep it alive) and
   * its gradient. Idempotent; using the tensor afterwards throws.
   */
  dispose(): void {
    const s = this._storage;
    if (!s) return;
    this._storage = null;
    untrack(this);
    s.release();
    this.grad?.dispose();
    this.grad = null;
    this._releaseGradFn();
    this._base = null;
  }

  /** `using t = ...` disposes t at the end of the block. */
  [Symbol.dispose](): void {
    this.dispose();
  }

  [Symbol.toPrimitive](hint: string): string | number {
    if (hint === 'number') return this.item() as number;
    return this.toString();
  }
}

/** size(d)/stride(d) do not treat a 0-d tensor as having one dim, unlike reductions. */
function dimOf(dim: number, ndim: number): number {
  if (ndim === 0 && typeof dim === 'number') throw new RangeError(`Dimension specified as ${dim} but tensor has no dimensions`);
  return normDim(dim, ndim);
}

export const isTensor = (v: unknown): v is Tensor => v instanceof Tensor;
