// Views: new shape/strides/offset over the same storage, never a copy
// (reshape copies only when no view can express the result).
import { Tensor } from '../tensor/tensor';
import { contiguousStrides, expandStrides, fmtShape, inferShape, normDim, viewStrides, type Shape } from '../tensor/shape';
import { needsGrad, record } from '../autograd/record';
import { checkSize, normDims, notInt, sizeArgs } from '../tensor/shape';
import { checkOperand, pyTypeName, tensorInput } from './operands';

const tensorArg = (fn: string, o: Tensor): Tensor => (checkOperand(fn, o, 'other', 1, false), o);

/** Creates a view of x and records its backward when x is in a graph. */
function makeView(x: Tensor, shape: Shape, strides: Shape, offset: number, node: string, backward: (g: Tensor) => Tensor): Tensor {
  const v = x._view(shape, strides, offset);
  if (needsGrad(x)) record(node, [x], v, [], (g) => [backward(g)]);
  return v;
}

const listArgs = (args: readonly unknown[]): unknown[] => (args.length === 1 && Array.isArray(args[0]) ? (args[0] as unknown[]) : [...args]);

function intList(args: readonly unknown[], fn: string): number[] {
  const list = listArgs(args);
  list.forEach((v, i) => {
    if (typeof v !== 'number' || !Number.isInteger(v)) throw notInt(fn, v, i);
  });
  return list as number[];
}

export function view(x: Tensor, ...shapeArgs: (number | readonly number[])[]): Tensor {
  tensorInput('view', x);
  const shape = inferShape(intList(shapeArgs, 'view'), x.numel());
  const strides = viewStrides(x.shape, x.strides, shape);
  if (!strides) {
    throw new Error(
      "view size is not compatible with input tensor's size and stride (at least one dimension spans across two contiguous subspaces). Use .reshape(...) instead.",
    );
  }
  const from = x.shape;
  return makeView(x, shape, strides, x.offset, 'ViewBackward0', (g) => g.reshape(from));
}

export function reshape(x: Tensor, ...shapeArgs: (number | readonly number[])[]): Tensor {
  tensorInput('reshape', x);
  const shape = inferShape(intList(shapeArgs, 'reshape'), x.numel());
  const strides = viewStrides(x.shape, x.strides, shape);
  // PyTorch 1.13 reshapes a viewable tensor with _reshape_alias: grad_fn ReshapeAliasBackward0
  if (strides) return makeView(x, shape, strides, x.offset, 'ReshapeAliasBackward0', (g) => g.reshape(x.shape));
  // no view can express it: copy once, then view the copy
  const from = x.shape;
  const copy = x.contiguous();
  const out = copy._view(shape, contiguousStrides(shape), 0);
  out._base = null;
  if (copy !== x) copy.dispose();
  if (needsGrad(x)) record('UnsafeViewBackward0', [x], out, [], (g) => [g.reshape(from)]);
  return out;
}

export function transpose(x: Tensor, dim0: number, dim1: number): Tensor {
  tensorInput('transpose', x);
  const d0 = normDim(dim0, x.ndim), d1 = normDim(dim1, x.ndim);
  if (x.ndim === 0) return makeView(x, [], [], x.offset, 'TransposeBackward0', (g) => g);
  const shape = [...x.shape], strides = [...x.strides];
  [shape[d0], shape[d1]] = [shape[d1], shape[d0]];
  [strides[d0], strides[d1]] = [strides[d1], strides[d0]];
  return makeView(x, shape, strides, x.offset, 'TransposeBackward0', (g) => g.transpose(d0, d1));
}

export function t(x: Tensor): Tensor {
  tensorInput('t', x);
  if (x.ndim > 2) throw new Error(`t() expects a tensor with <= 2 dimensions, but self is ${x.ndim}D`);
  if (x.ndim < 2) return makeView(x, x.shape, x.strides, x.offset, 'TBackward0', (g) => g);
  return makeView(x, [x.shape[1], x.shape[0]], [x.strides[1], x.strides[0]], x.offset, 'TBackward0', (g) => g.t());
}

export function permute(x: Tensor, ...dimArgs: (number | readonly number[])[]): Tensor {
  tensorInput('permute', x);
  const dims = intList(dimArgs, 'permute');
  if (dims.length !== x.ndim) {
    throw new Error(`permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim() = ${x.ndim} is not equal to len(dims) = ${dims.length}`);
  }
  const nd = dims.map((d) => normDim(d, x.ndim));
  if (new Set(nd).size !== nd.length) throw new Error('permute(): duplicate dims are not allowed.');
  const inverse = new Array<number>(nd.length);
  nd.forEach((d, i) => (inverse[d] = i));
  return makeView(x, nd.map((d) => x.shape[d]), nd.map((d) => x.strides[d]), x.offset, 'PermuteBackward0', (g) => g.permute(inverse));
}

export function unsqueeze(x: Tensor, dim: number): Tensor {
  tensorInput('unsqueeze', x);
  const d = normDim(dim, x.ndim + 1);
  const shape = [...x.shape], strides = [...x.strides];
  const stride = d < x.ndim ? x.shape[d] * x.strides[d] : 1;
  shape.splice(d, 0, 1);
  strides.splice(d, 0, stride);
  return makeView(x, shape, strides, x.offset, 'UnsqueezeBackward0', (g) => g.squeeze(d));
}

export function squeeze(x: Tensor, dim?: number | readonly number[]): Tensor {
  tensorInput('squeeze', x);
  const from = x.shape;
  let keep: number[];
  if (dim === undefined) {
    keep = x.shape.map((_, i) => i).filter((i) => x.shape[i] !== 1);
  } else {
    const dims = (typeof dim === 'number' ? [dim] : normDims(dim, x.ndim)).map((d) => normDim(d, x.ndim));
    keep = x.shape.map((_, i) => i).filter((i) => !(dims.includes(i) && x.shape[i] === 1));
  }
  const node = dim === undefined ? 'SqueezeBackward0' : 'SqueezeBackward1';
  return makeView(x, keep.map((i) => x.shape[i]), keep.map((i) => x.strides[i]), x.offset, node, (g) => g.reshape(from));
}

export function flatten(x: Tensor, startDim = 0, endDim = -1): Tensor {
  tensorInput('flatten', x);
  if (x.ndim === 0) return x.reshape(1);
  const s = normDim(startDim, x.ndim), e = normDim(endDim, x.ndim);
  if (s > e) throw new Error('flatten() has invalid args: start_dim cannot come after end_dim');
  if (s === e) return x;
  const merged = x.shape.slice(s, e + 1).reduce((a, b) => a * b, 1);
  return x.reshape([...x.shape.slice(0, s), merged, ...x.shape.slice(e + 1)]);
}

export function unflatten(x: Tensor, dim: number, sizes: readonly number[]): Tensor {
  tensorInput('unflatten', x);
  const d = normDim(dim, x.ndim);
  if (!Array.isArray(sizes)) throw new TypeError(`unflatten(): argument 'sizes' (position 2) must be tuple of ints, not ${pyTypeName(sizes)}`);
  const inner = inferShape(sizes, x.shape[d]);
  return x.view([...x.shape.slice(0, d), ...inner, ...x.shape.slice(d + 1)]);
}

export function expand(x: Tensor, ...sizeArgs: (number | readonly number[])[]): Tensor {
  tensorInput('expand', x);
  const sizes = intList(sizeArgs, 'expand');
  if (sizes.length < x.ndim) {
    throw new Error(`expand(torch.FloatTensor{${fmtShape(x.shape)}}, size=${fmtShape(sizes)}): the number of sizes provided (${sizes.length}) must be greater or equal to the number of dimensions in the tensor (${x.ndim})`);
  }
  const off = sizes.length - x.ndim;
  const target = sizes.map((s, i) => {
    const own = i >= off ? x.shape[i - off] : 1;
    if (s === -1) {
      if (i < off) throw new Error(`The expanded size of the tensor (-1) isn't allowed in a leading, non-existing dimension ${i}`);
      return own;
    }
    if (s < 0) throw new Error(`Trying to create tensor with negative dimension ${s}: ${fmtShape(sizes)}`);
    if (own !== 1 && own !== s) {
      throw new Error(`The expanded size of the tensor (${s}) must match the existing size (${own}) at non-singleton dimension ${i}.  Target sizes: ${fmtShape(sizes)}.  Tensor sizes: ${fmtShape(x.shape)}`);
    }
    return s;
  });
  // a view costs nothing, but the kernels count elements in i32: a larger one would reduce to garbage
  checkSize(target, 'expand');
  // the engine sums the gradient back over the expanded dims
  return makeView(x, target, expandStrides(x.shape, x.strides, target), x.offset, 'ExpandBackward0', (g) => g);
}

export function narrow(x: Tensor, dim: number, start: number, length: number): Tensor {
  return sliceAs(x, dim, start, length, 'SliceBackward0');
}

/**
 * @internal narrow() recording `node` as its grad_fn: split/chunk pieces are
 * slices too, but PyTorch names them by the op that made them.
 */
export function sliceAs(x: Tensor, dim: number, start: number, length: number, node: string): Tensor {
  tensorInput('narrow', x);
  if (x.ndim === 0) throw new Error('narrow() cannot be applied to a 0-dim tensor.');
  const d = normDim(dim, x.ndim);
  const size = x.shape[d];
  for (const [name, v] of [['start', start], ['length', length]] as const) {
    if (!Number.isInteger(v)) throw new TypeError(`narrow(): argument '${name}' must be int, not ${pyTypeName(v)}`);
  }
  // PyTorch wraps start like a dim index (start == size is allowed, for an empty slice at the end)
  if (start !== size && (start < -size || start >= size)) {
    throw new RangeError(`Dimension out of range (expected to be in range of [${-size}, ${size - 1}], but got ${start})`);
  }
  const s = start < 0 ? start + size : start;
  if (length < 0 || s + length > size) throw new Error(`start (${s}) + length (${length}) exceeds dimension size (${size}).`);
  const shape = [...x.shape];
  shape[d] = length;
  const from = x.shape;
  return makeView(x, shape, x.strides, x.offset + s * x.strides[d], node, (g) => padInto(g, from, d, s, 'narrow'));
}

export function select(x: Tensor, dim: number, index: number): Tensor {
  return selectAs(x, dim, index, 'SelectBackward0');
}

/** @internal select() recording `node` as its grad_fn (unbind's pieces are UnbindBackward0). */
export function selectAs(x: Tensor, dim: number, index: number, node: string): Tensor {
  tensorInput('select', x);
  if (x.ndim === 0) throw new Error('select() cannot be applied to a 0-dim tensor.');
  const d = normDim(dim, x.ndim);
  const size = x.shape[d];
  if (!Number.isInteger(index)) throw new TypeError(`select(): argument 'index' (position 2) must be int, not ${pyTypeName(index)}`);
  if (index < -size || index >= size) {
    throw new RangeError(`select(): index ${index} out of range for tensor of size ${fmtShape(x.shape)} at dimension ${d}`);
  }
  const i = index < 0 ? index + size : index;
  const shape = x.shape.filter((_, k) => k !== d);
  const strides = x.strides.filter((_, k) => k !== d);
  const from = x.shape;
  return makeView(x, shape, strides, x.offset + i * x.strides[d], node, (g) => padInto(g, from, d, i, 'select'));
}

/**
 * The backward of narrow/select: g placed into zeros of the input's shape.
 * Written as its own differentiable op so double backward works.
 */
function padInto(g: Tensor, shape: Shape, dim: number, start: number, kind: 'narrow' | 'select'): Tensor {
  const out = g.newZeros(shape);
  const region = kind === 'narrow' ? out.narrow(dim, start, g.shape[dim]) : out.select(dim, start);
  region._copyFrom(g);
  region.dispose();
  if (needsGrad(g)) {
    const len = kind === 'narrow' ? g.shape[dim] : 0;
    record(kind === 'narrow' ? 'SliceBackwardBackward0' : 'SelectBackwardBackward0', [g], out, [], (gg) => [
      kind === 'narrow' ? gg.narrow(dim, start, len) : gg.select(dim, start),
    ]);
  }
  return out;
}

export function unbind(x: Tensor, dim = 0): Tensor[] {
  tensorInput('unbind', x);
  const d = normDim(dim, x.ndim);
  return Array.from({ length: x.shape[d] }, (_, i) => selectAs(x, d, i, 'UnbindBackward0'));
}

export function movedim(x: Tensor, source: number, destination: number): Tensor {
  tensorInput('movedim', x);
  const s = normDim(source, x.ndim), dst = normDim(destination, x.ndim);
  const order = x.shape.map((_, i) => i).filter((i) => i !== s);
  order.splice(dst, 0, s);
  return permute(x, order);
}

/** A view with no autograd history that shares storage (and version counter) with x. */
export function detach(x: Tensor): Tensor {
  tensorInput('detach', x);
  const v = x._view(x.shape, x.strides, x.offset);
  v._base = null;
  return v;
}

declare module '../tensor/tensor' {
  interface Tensor {
    view(...shape: (number | readonly number[])[]): Tensor;
    viewAs(other: Tensor): Tensor;
    reshape(...shape: (number | readonly number[])[]): Tensor;
    reshapeAs(other: Tensor): Tensor;
    transpose(dim0: number, dim1: number): Tensor;
    swapaxes(dim0: number, dim1: number): Tensor;
    swapdims(dim0: number, dim1: number): Tensor;
    t(): Tensor;
    /** All dims reversed (the transpose of a matrix). */
    readonly T: Tensor;
    /** The last two dims swapped. */
    readonly mT: Tensor;
    permute(...dims: (number | readonly number[])[]): Tensor;
    unsqueeze(dim: number): Tensor;
    squeeze(dim?: number | readonly number[]): Tensor;
    flatten(startDim?: number, endDim?: number): Tensor;
    unflatten(dim: number, sizes: readonly number[]): Tensor;
    expand(...sizes: (number | readonly number[])[]): Tensor;
    expandAs(other: Tensor): Tensor;
    narrow(dim: number, start: number, length: number): Tensor;
    select(dim: number, index: number): Tensor;
    unbind(dim?: number): Tensor[];
    movedim(source: number, destination: number): Tensor;
    detach(): Tensor;
    /** Detaches in place: this tensor leaves the graph (PyTorch: detach_()). */
    detach_(): this;
  }
}

const proto = Tensor.prototype;
proto.view = function (...s) { return view(this, ...s); };
proto.viewAs = function (o) { return view(this, tensorArg('view_as', o).shape); };
proto.reshape = function (...s) { return reshape(this, ...s); };
proto.reshapeAs = function (o) { return reshape(this, tensorArg('reshape_as', o).shape); };
proto.transpose = function (a, b) { return transpose(this, a, b); };
proto.swapaxes = proto.transpose;
proto.swapdims = proto.transpose;
proto.t = function () { return t(this); };
// PyTorch's numpy_T is a permute for every rank (grad_fn PermuteBackward0, not TBackward0)
Object.defineProperty(proto, 'T', {
  get(this: Tensor) {
    return permute(this, this.shape.map((_, i) => this.ndim - 1 - i));
  },
});
Object.defineProperty(proto, 'mT', {
  get(this: Tensor) {
    if (this.ndim < 2) throw new Error(`tensor.mT is only supported on matrices or batches of matrices. Got ${this.ndim}-D tensor.`);
    return transpose(this, -2, -1);
  },
});
proto.permute = function (...d) { return permute(this, ...d); };
proto.unsqueeze = function (d) { return unsqueeze(this, d); };
proto.squeeze = function (d) { return squeeze(this, d); };
proto.flatten = function (s, e) { return flatten(this, s, e); };
proto.unflatten = function (d, s) { return unflatten(this, d, s); };
proto.expand = function (...s) { return expand(this, ...s); };
proto.expandAs = function (o) { return expand(this, tensorArg('expand_as', o).shape); };
proto.narrow = function (d, s, l) { return narrow(this, d, s, l); };
proto.select = function (d, i) { return select(this, d, i); };
proto.unbind = function (d) { return unbind(this, d); };
proto.movedim = function (s, d) { return movedim(this, s, d); };
proto.detach = function () { return detach(this); };
proto.detach_ = function () {
  this._releaseGradFn();
  this.requiresGrad = false;
  return this;
};

export { sizeArgs };
