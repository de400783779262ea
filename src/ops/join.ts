// Copies and joins: contiguous, clone, dtype conversion, cat/stack,
// chunk/split, repeat, index_select and index_add.
import { scopedOp } from '../tensor/lifetime';
import { Tensor } from '../tensor/tensor';
import { type DType, resultType, toDType, torchName } from '../tensor/dtype';
import { MAX_NUMEL, fmtShape, normDim, broadcastShapes } from '../tensor/shape';
import * as backend from '../devices/wasm/backend';
import { needsGrad, record } from '../autograd/record';
import { alive, broadcastView, castTo, checkOperand, pyTypeName, tensorInput } from './operands';
import { sliceAs } from './views';
import { isDeviceName, moveTo, toDevice, type DeviceLike, type TorchDevice } from '../tensor/device';

/** An exact copy in a fresh contiguous tensor. */
export function clone(x: Tensor): Tensor {
  tensorInput('clone', x);
  alive(x);
  const out = Tensor.empty(x.shape, x.dtype, x.device);
  backend.cast(out, x);
  if (needsGrad(x)) record('CloneBackward0', [x], out, [], (g) => [g]);
  return out;
}

/** x itself when already contiguous, else a contiguous copy. */
export const contiguous = (x: Tensor): Tensor => (tensorInput('contiguous', x), x.isContiguous() ? x : clone(x));

/** x converted to dtype; x itself when it already has it (as PyTorch's .to). */
export function to(x: Tensor, dtype: DType): Tensor {
  tensorInput('to', x);
  if (x.dtype === dtype) return x;
  const out = castTo(x, dtype);
  // the engine casts the gradient back to x's dtype
  if (needsGrad(x) && (dtype === 'float32' || dtype === 'float64')) record('ToCopyBackward0', [x], out, [], (g) => [g]);
  return out;
}

/** As PyTorch's argument parser refuses anything but a sequence of tensors. */
function checkTensorList(fn: string, tensors: unknown): asserts tensors is readonly Tensor[] {
  if (!Array.isArray(tensors)) throw new TypeError(`${fn}(): argument 'tensors' (position 1) must be tuple of Tensors, not ${pyTypeName(tensors)}`);
  tensors.forEach((t, i) => {
    if (!(t instanceof Tensor)) throw new TypeError(`expected Tensor as element ${i} in argument 0, but got ${pyTypeName(t)}`);
  });
}

export function cat(tensors: readonly Tensor[], dim = 0): Tensor {
  checkTensorList('cat', tensors);
  alive(...tensors);
  if (tensors.length === 0) throw new Error('torch.cat(): expected a non-empty list of Tensors');
  // PyTorch still skips legacy 1-D empty tensors of shape [0]
  const legacyEmpty = (t: Tensor): boolean => t.ndim === 1 && t.shape[0] === 0;
  const parts = tensors.filter((t) => !legacyEmpty(t));
  // ...but their dtypes still take part in the promotion
  const dtype = resultType(tensors.map((t) => ({ dtype: t.dtype, ndim: 1 })));
  if (parts.length === 0) {
    const none = Tensor.empty([0], dtype, tensors[0].device);
    if (needsGrad(...tensors)) record('CatBackward0', tensors, none, [], (g) => tensors.map(() => g));
    return none;
  }
  const ref = parts[0];
  if (ref.ndim === 0) throw new Error('zero-dimensional tensor (at position 0) cannot be concatenated');
  const d = normDim(dim, ref.ndim);
  parts.forEach((t, i) => {
    if (t.ndim !== ref.ndim) throw new Error(`Tensors must have same number of dimensions: got ${ref.ndim} and ${t.ndim}`);
    for (let k = 0; k < ref.ndim; k++) {
      if (k !== d && t.shape[k] !== ref.shape[k]) {
        throw new Error(`Sizes of tensors must match except in dimension ${d}. Expected size ${ref.shape[k]} but got size ${t.shape[k]} for tensor number ${tensors.indexOf(t) >= 0 ? tensors.indexOf(t) : i} in the list.`);
      }
    }
  });
  const shape = [...ref.shape];
  shape[d] = parts.reduce((s, t) => s + t.shape[d], 0);
  const out = Tensor.empty(shape, dtype, ref.device);
  let offset = 0;
  const offsets: number[] = [];
  for (const t of parts) {
    offsets.push(offset);
    const region = { ptr: out.ptr + offset * out.strides[d] * out.elementSize(), shape: t.shape, strides: out.strides, dtype };
    backend.cast(region, t);
    offset += t.shape[d];
  }
  if (needsGrad(...tensors)) {
    // a skipped empty input gets an empty gradient, as in PyTorch
    // offsets by position, not by tensor: the same tensor may be joined twice
    const at: number[] = [];
    let k = 0;
    for (const t of tensors) at.push(legacyEmpty(t) ? -1 : offsets[k++]);
    record('CatBackward0', tensors, out, [], (g) =>
      tensors.map((t, i) => (legacyEmpty(t) ? g.newZeros([0]) : g.narrow(d, at[i], t.shape[d]))),
    );
  }
  return out;
}

export function stack(tensors: readonly Tensor[], dim = 0): Tensor {
  checkTensorList('stack', tensors);
  alive(...tensors);
  if (tensors.length === 0) throw new Error('stack expects a non-empty TensorList');
  const ref = tensors[0];
  tensors.forEach((t, i) => {
    if (t.shape.join() !== ref.shape.join()) {
      throw new Error(`stack expects each tensor to be equal size, but got ${fmtShape(ref.shape)} at entry 0 and ${fmtShape(t.shape)} at entry ${i}`);
    }
  });
  const d = normDim(dim, ref.ndim + 1);
  const dtype = resultType(tensors.map((t) => ({ dtype: t.dtype, ndim: 1 })));
  const shape = [...ref.shape];
  shape.splice(d, 0, tensors.length);
  const out = Tensor.empty(shape, dtype, tensors[0].device);
  const size = out.elementSize();
  const strides = out.strides.filter((_, k) => k !== d);
  tensors.forEach((t, i) => backend.cast({ ptr: out.ptr + i * out.strides[d] * size, shape: t.shape, strides, dtype }, t));
  if (needsGrad(...tensors)) record('StackBackward0', tensors, out, [], (g) => tensors.map((_, i) => g.select(d, i)));
  return out;
}

export function split(x: Tensor, sizeOrSections: number | readonly number[], dim = 0): Tensor[] {
  tensorInput('split', x);
  const d = normDim(dim, x.ndim);
  const n = x.shape[d];
  let sizes: number[];
  if (typeof sizeOrSections !== 'number' && !Array.isArray(sizeOrSections)) {
    throw new TypeError(`split(): argument 'split_size' must be int or list of ints, not ${pyTypeName(sizeOrSections)}`);
  }
  if (typeof sizeOrSections === 'number') {
    if (!Number.isInteger(sizeOrSections) || sizeOrSections < 0) throw new Error(`split expects split_size be non-negative, but got split_size=${sizeOrSections}`);
    if (sizeOrSections === 0) {
      if (n !== 0) throw new Error(`split_size can only be 0 if dimension size is 0, but got dimension size of ${n}`);
      return [sliceAs(x, d, 0, 0, 'SplitBackward0')];
    }
    sizes = [];
    for (let s = 0; s < n; s += sizeOrSections) sizes.push(Math.min(sizeOrSections, n - s));
    if (sizes.length === 0) sizes.push(0);
  } else {
    sizes = [...sizeOrSections];
    if (sizes.reduce((a, b) => a + b, 0) !== n || sizes.some((s) => s < 0)) {
      throw new Error(`split_with_sizes expects split_sizes to sum exactly to ${n} (input tensor's size at dimension ${d}), but got split_sizes=${fmtShape(sizes)}`);
    }
  }
  let start = 0;
  const node = typeof sizeOrSections === 'number' ? 'SplitBackward0' : 'SplitWithSizesBackward0';
  return sizes.map((s) => {
    const part = sliceAs(x, d, start, s, node);
    start += s;
    return part;
  });
}

/** More empty pieces than this would exhaust the JS heap (PyTorch fails with std::bad_alloc). */
const MAX_EMPTY_CHUNKS = 1 << 20;

export function chunk(x: Tensor, chunks: number, dim = 0): Tensor[] {
  tensorInput('chunk', x);
  if (x.ndim === 0) throw new Error('chunk expects at least a 1-dimensional tensor');
  if (!Number.isInteger(chunks)) throw new TypeError(`chunk(): argument 'chunks' (position 1) must be int, not ${pyTypeName(chunks)}`);
  if (chunks <= 0) throw new Error(`chunk expects \`chunks\` to be greater than 0, got: ${chunks}`);
  const d = normDim(dim, x.ndim);
  // an empty dim still gives `chunks` (empty) pieces, as PyTorch's split_with_sizes path does
  if (x.shape[d] === 0) {
    // PyTorch runs out of memory (std::bad_alloc) making that many views; refuse before trying
    if (chunks > MAX_EMPTY_CHUNKS) throw new RangeError(`chunk(): ${chunks} empty chunks would not fit in memory (at most ${MAX_EMPTY_CHUNKS})`);
    return split(x, new Array<number>(chunks).fill(0), d);
  }
  if (chunks > MAX_NUMEL) throw new RangeError(`chunk(): ${chunks} chunks are more than torchlet can make`);
  return split(x, Math.ceil(x.shape[d] / chunks), d);
}

function repeatImpl(x: Tensor, ...sizeArgs: (number | readonly number[])[]): Tensor {
  tensorInput('repeat', x);
  const reps = (sizeArgs.length === 1 && Array.isArray(sizeArgs[0]) ? sizeArgs[0] : sizeArgs) as number[];
  if (reps.length < x.ndim) {
    throw new Error('Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor');
  }
  const bad = reps.findIndex((r) => !Number.isInteger(r));
  if (bad >= 0) throw new TypeError(`repeat(): argument 'repeats' must be tuple of ints, but found element of type ${pyTypeName(reps[bad])} at pos ${bad}`);
  const padded = [...new Array(reps.length - x.ndim).fill(1), ...x.shape];
  // PyTorch allocates the result first, so a negative count is reported on the result's size
  const target = reps.map((r, i) => r * padded[i] || 0);
  const negative = target.find((s) => s < 0);
  if (negative !== undefined) throw new Error(`Trying to create tensor with negative dimension ${negative}: ${fmtShape(target)}`);
  // a negative count against a size-0 dim is allowed and gives an empty result
  if (reps.some((r) => r < 0)) return Tensor.empty(target, x.dtype, x.device);
  // view x as [1, s0, 1, s1, ...], broadcast to [r0, s0, r1, s1, ...], copy once
  const inter: number[] = [];
  const src: number[] = [];
  padded.forEach((s, i) => {
    inter.push(reps[i], s);
    src.push(1, s);
  });
  const base = x.detach().reshape(src);
  const out = Tensor.empty(reps.map((r, i) => r * padded[i]), x.dtype, x.device);
  backend.cast({ ptr: out.ptr, shape: inter, strides: out.numel() ? contiguousOf(inter) : inter.map(() => 0), dtype: x.dtype }, broadcastView(base, inter));
  base.dispose();
  if (needsGrad(x)) {
    const from = x.shape;
    record('RepeatBackward0', [x], out, [], (g) => {
      const sumDims = inter.map((_, i) => i).filter((i) => i % 2 === 0);
      return [g.reshape(inter).sum(sumDims).reshape(from)];
    });
  }
  return out;
}
export const repeat = scopedOp(repeatImpl);

function contiguousOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    s[d] = acc;
    acc *= shape[d];
  }
  return s;
}

/** Validates an index tensor for index_select/index_add and returns it as a contiguous int64 vector. */
function indexVector(index: Tensor, size: number, fn: string): Tensor {
  if (!(index instanceof Tensor)) throw new TypeError(`${fn}(): argument 'index' must be Tensor`);
  if (index.dtype !== 'int64' && index.dtype !== 'int32') throw new Error(`${fn}(): Expected dtype int32 or int64 for index`);
  if (index.ndim > 1) throw new Error(`${fn}(): Index is supposed to be a vector`);
  const idx = castTo(index, 'int64');
  const flat = idx.ndim === 0 ? idx.reshape(1) : idx;
  if (backend.checkIndex(flat, size) >= 0) {
    if (flat !== idx) flat.dispose();
    if (idx !== index) idx.dispose();
    throw new RangeError('index out of range in self');
  }
  if (flat !== idx && idx !== index) idx.dispose();
  return flat;
}

export function indexSelect(x: Tensor, dim: number, index: Tensor): Tensor {
  tensorInput('index_select', x);
  alive(x, index);
  const d = normDim(dim, x.ndim);
  if (x.ndim === 0 && index instanceof Tensor && index.numel() !== 1) {
    throw new Error(`index_select(): Index to scalar can have only 1 value, got ${index.numel()} value(s)`);
  }
  const idx = indexVector(index, x.ndim === 0 ? 1 : x.shape[d], 'index_select');
  const shape = x.ndim === 0 ? [] : [...x.shape];
  if (x.ndim > 0) shape[d] = idx.numel();
  const out = Tensor.empty(shape, x.dtype, x.device);
  if (x.ndim === 0) backend.cast(out, x);
  else backend.gather(out, x, d, idx);
  if (needsGrad(x)) {
    const from = x.shape;
    // a 0-d input is its own (only) element: PyTorch passes the gradient straight back
    record('IndexSelectBackward0', [x], out, [idx], (g, [i]) => [from.length === 0 ? g : g.newZeros(from).indexAdd(d, i, g)]);
  }
  if (idx !== index) idx.dispose();
  return out;
}

/** x with src added at the given indices along dim, out of place (PyTorch's index_add). */
function indexAddImpl(x: Tensor, dim: number, index: Tensor, src: Tensor, o: { alpha?: number } = {}): Tensor {
  tensorInput('index_add', x);
  checkOperand('index_add', src, 'source', 3, false);
  const d = normDim(dim, x.ndim);
  const idx = indexVector(index, x.shape[d], 'index_add');
  const expected = [...x.shape];
  expected[d] = idx.numel();
  if (src.shape.join() !== expected.join()) {
    throw new Error(`index_add_(): Source/destination tensor must have same slice shapes. Destination slice shape: ${fmtShape(x.shape.filter((_, k) => k !== d))} at dimension ${d} and source slice shape: ${fmtShape(src.shape.filter((_, k) => k !== d))} at dimension 0.`);
  }
  if (src.dtype !== x.dtype) throw new Error(`index_add_(): self (${torchName(x.dtype)}) and source (${torchName(src.dtype)}) must have the same scalar type`);
  const out = clone(x.detach());
  const s = o?.alpha === undefined || o?.alpha === 1 ? src : src.detach().mul(o?.alpha);
  backend.indexAdd(out, s, d, idx);
  if (s !== src) s.dispose();
  if (needsGrad(x, src)) {
    const alpha = o?.alpha ?? 1;
    record('IndexAddBackward0', [x, src], out, [idx], (g, [i]) => [g, g.indexSelect(d, i).mul(alpha)]);
  }
  if (idx !== index) idx.dispose();
  return out;
}
export const indexAdd = scopedOp(indexAddImpl);

/** @internal Copies src (broadcast, cast) into dst's memory; no autograd, no version bump (callers decide). */
export function copyInto(dst: Tensor, src: Tensor): void {
  const shape = broadcastShapes(dst.shape, src.shape);
  if (shape.join() !== dst.shape.join()) {
    throw new Error(`output with shape ${fmtShape(dst.shape)} doesn't match the broadcast shape ${fmtShape(shape)}`);
  }
  const overlaps = src.storage === dst.storage;
  const from = overlaps ? clone(src.detach()) : src;
  backend.cast(dst, broadcastView(from, dst.shape));
  if (from !== src) from.dispose();
}

const typeNames: Record<string, DType> = { float: 'float32', double: 'float64', int: 'int32', long: 'int64', bool: 'bool', byte: 'uint8' };

declare module '../tensor/tensor' {
  interface Tensor {
    clone(): Tensor;
    contiguous(): Tensor;
    /**
     * Converts to a dtype, or copies to a device ('wasm' alias 'cpu', 'webgpu', or a torch.device).
     * A GPU tensor goes back to wasm only asynchronously: `await x.toAsync('wasm')`.
     */
    to(dtypeOrDevice: DType | string | TorchDevice | { dtype?: DType | string; device?: DeviceLike }): Tensor;
    type(dtype: DType | string): Tensor;
    float(): Tensor;
    double(): Tensor;
    int(): Tensor;
    long(): Tensor;
    bool(): Tensor;
    byte(): Tensor;
    cpu(): Tensor;
    repeat(...sizes: (number | readonly number[])[]): Tensor;
    chunk(chunks: number, dim?: number): Tensor[];
    split(sizeOrSections: number | readonly number[], dim?: number): Tensor[];
    indexSelect(dim: number, index: Tensor): Tensor;
    indexAdd(dim: number, index: Tensor, source: Tensor, options?: { alpha?: number }): Tensor;
    /** @internal */
    _copyFrom(src: Tensor): void;
  }
}

const proto = Tensor.prototype;
proto.clone = function () { return clone(this); };
proto.contiguous = function () { return contiguous(this); };
proto.to = function (arg) {
  if (isDeviceName(arg)) return moveTo(this, toDevice(arg as DeviceLike));
  if (typeof arg === 'object' && arg !== null) {
    const o = arg as { dtype?: DType | string; device?: DeviceLike };
    const typed = o.dtype === undefined ? this : to(this, toDType(o.dtype));
    if (o.device === undefined) return typed;
    const moved = moveTo(typed, toDevice(o.device));
    if (typed !== this && moved !== typed) typed.dispose();
    return moved;
  }
  return to(this, toDType(arg));
};
proto.type = function (d) { return to(this, toDType(d)); };
for (const [name, dtype] of Object.entries(typeNames)) {
  Object.defineProperty(proto, name, { value: function (this: Tensor) { return to(this, dtype); }, writable: true, configurable: true });
}
proto.cpu = function () { return moveTo(this, 'wasm'); };
proto.repeat = function (...s) { return repeat(this, ...s); };
proto.chunk = function (c, d) { return chunk(this, c, d); };
proto.split = function (s, d) { return split(this, s, d); };
proto.indexSelect = function (d, i) { return indexSelect(this, d, i); };
proto.indexAdd = function (d, i, s, o) { return indexAdd(this, d, i, s, o); };
proto._copyFrom = function (src) { copyInto(this, src); };

