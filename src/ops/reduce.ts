// Reductions over all, one or several dims, with keepdim, and their
// gradients (each written with other differentiable ops).
import { ArgReduce, Reduce, Scan, Unary } from '../../assembly/codes';
import { Tensor } from '../tensor/tensor';
import { type DType, isFloating, scalarName, toDType } from '../tensor/dtype';
import { normDim, normDims } from '../tensor/shape';
import * as red from '../devices/wasm/reductions';
import * as backend from '../devices/wasm/backend';
import { needsGrad, record } from '../autograd/record';
import { castTo, tensorInput } from './operands';
import { where } from './compare';
import { arange } from './create';
import { cat } from './join';

export type Dims = number | readonly number[] | null | undefined;

/** Normalised reduced dims; undefined, null or [] mean all. */
export function reducedDims(dim: Dims, ndim: number): number[] {
  if (dim === undefined || dim === null) return Array.from({ length: ndim }, (_, i) => i);
  if (typeof dim !== 'number' && !Array.isArray(dim)) throw new TypeError(`dim must be an int or a list of ints, got ${typeof dim}`);
  const list = typeof dim === 'number' ? [dim] : [...dim];
  if (list.length === 0) return Array.from({ length: ndim }, (_, i) => i);
  return ndim === 0 ? (normDims(list, 0), []) : normDims(list, ndim);
}

function outShape(shape: readonly number[], dims: readonly number[], keepdim: boolean): number[] {
  return keepdim ? shape.map((s, d) => (dims.includes(d) ? 1 : s)) : shape.filter((_, d) => !dims.includes(d));
}

/** g (shaped like a reduction's output) broadcast back to the input's shape. */
export function expandBack(g: Tensor, shape: readonly number[], dims: readonly number[], keepdim: boolean): Tensor {
  let r = g;
  if (!keepdim) for (const d of [...dims].sort((a, b) => a - b)) r = r.unsqueeze(d);
  return r.expand(shape);
}

/** The kernel call, no autograd: folds x (already in the output dtype) over dims. */
function fold(op: Reduce, x: Tensor, dims: readonly number[], keepdim: boolean): Tensor {
  const out = Tensor.empty(outShape(x.shape, dims, keepdim), x.dtype, x.device);
  red.reduce(op, out, x, dims);
  return out;
}

const sumDType = (d: DType): DType => (isFloating(d) ? d : 'int64');

export interface SumOptions {
  dtype?: DType | string;
}

/** `x.sum({ dtype })`: PyTorch's keyword-only dtype may come without a dim. */
function optionsFirst(dim: Dims | SumOptions, keepdim: boolean, o: SumOptions): [Dims, boolean, SumOptions] {
  if (dim !== null && typeof dim === 'object' && !Array.isArray(dim)) return [undefined, false, dim as SumOptions];
  return [dim as Dims, keepdim, o];
}

export function sum(x: Tensor, dimOrOptions?: Dims | SumOptions, keepdimArg = false, options: SumOptions = {}): Tensor {
  tensorInput('sum', x);
  const [dim, keepdim, o] = optionsFirst(dimOrOptions, keepdimArg, options);
  const dims = reducedDims(dim, x.ndim);
  const src = castTo(x, o?.dtype ? toDType(o?.dtype) : sumDType(x.dtype));
  const out = fold(Reduce.sum, src, dims, keepdim);
  if (src !== x) src.dispose();
  if (needsGrad(x)) {
    const shape = x.shape;
    record(dim == null ? 'SumBackward0' : 'SumBackward1', [x], out, [], (g) => [expandBack(g, shape, dims, keepdim)]);
  }
  return out;
}

export function mean(x: Tensor, dimOrOptions?: Dims | SumOptions, keepdimArg = false, options: SumOptions = {}): Tensor {
  tensorInput('mean', x);
  const [dim, keepdim, o] = optionsFirst(dimOrOptions, keepdimArg, options);
  const dtype = o?.dtype ? toDType(o?.dtype) : x.dtype;
  if (!isFloating(dtype)) {
    throw new Error(`mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: ${scalarName(dtype)}`);
  }
  const dims = reducedDims(dim, x.ndim);
  const count = dims.reduce((c, d) => c * x.shape[d], 1);
  const src = castTo(x, dtype);
  const s = fold(Reduce.sum, src, dims, keepdim);
  if (src !== x) src.dispose();
  const out = Tensor.empty(s.shape, dtype, s.device);
  backend.unary(Unary.divS, out, s, count);
  s.dispose();
  if (needsGrad(x)) {
    const shape = x.shape;
    record(dim == null ? 'MeanBackward0' : 'MeanBackward1', [x], out, [], (g) => [expandBack(g.div(count), shape, dims, keepdim)]);
  }
  return out;
}

export function prod(x: Tensor, dim?: number | null, keepdim = false, o: SumOptions = {}): Tensor {
  tensorInput('prod', x);
  const dims = reducedDims(dim, x.ndim);
  const src = castTo(x, o?.dtype ? toDType(o?.dtype) : sumDType(x.dtype));
  const out = fold(Reduce.prod, src, dims, keepdim);
  if (src !== x) src.dispose();
  if (needsGrad(x)) {
    const shape = x.shape;
    record(dim == null ? 'ProdBackward0' : 'ProdBackward1', [x], out, [x], (g, [xs]) => {
      const gx = expandBack(g, shape, dims, keepdim);
      if (shape.length === 0) return [gx];
      const others = dim == null ? othersProduct(xs.reshape(-1), 0).reshape(shape) : othersProduct(xs, dims[0]);
      return [gx.mul(others)];
    });
  }
  return out;
}

/**
 * For every j along d, the product of the other elements: an exclusive
 * prefix product times an exclusive suffix product. No division, so zeros
 * need no special case and the result is differentiable everywhere (as
 * PyTorch's prod_safe_zeros_backward).
 */
function othersProduct(x: Tensor, d: number): Tensor {
  const n = x.shape[d];
  if (n === 0) return x.detach().clone();
  const one = x.narrow(d, 0, 1).detach().onesLike();
  const exclusive = (t: Tensor): Tensor => cat([one, t.narrow(d, 0, n - 1)], d).cumprod(d);
  return exclusive(x).mul(exclusive(x.flip([d])).flip([d]));
}

/** amax/amin and the all-reduce max()/min(): ties share the gradient evenly. */
function extreme(x: Tensor, dim: Dims, keepdim: boolean, op: Reduce.max | Reduce.min, node: string, fn: string): Tensor {
  tensorInput(fn, x);
  const dims = reducedDims(dim, x.ndim);
  // an empty input reduced over everything is refused before any single dim is blamed
  if (x.numel() === 0 && (dim == null || (Array.isArray(dim) && dim.length === 0))) {
    throw new Error(`${fn}(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.`);
  }
  for (const d of dims) {
    if (x.shape[d] === 0) throw new Error(`${fn}(): Expected reduction dim ${d} to have non-zero size.`);
  }
  const out = fold(op, x, dims, keepdim);
  if (needsGrad(x)) {
    const shape = x.shape;
    record(node, [x], out, [x, out], (g, [xs, y]) => {
      const yb = expandBack(y, shape, dims, keepdim);
      const mask = xs.eq(yb).logicalOr(xs.isnan().logicalAnd(yb.isnan()));
      const count = mask.sum(dims, true);
      return [where(mask, expandBack(g, shape, dims, keepdim).div(count), 0)];
    });
  }
  return out;
}

export const amax = (x: Tensor, dim?: Dims, keepdim = false): Tensor => extreme(x, dim, keepdim, Reduce.max, 'AmaxBackward0', 'amax');
export const amin = (x: Tensor, dim?: Dims, keepdim = false): Tensor => extreme(x, dim, keepdim, Reduce.min, 'AminBackward0', 'amin');

export interface ValuesIndices {
  values: Tensor;
  indices: Tensor;
}

/** max/min along one dim: the winning values (with gradient) and their int64 indices. */
function extremeAlong(x: Tensor, dim: number, keepdim: boolean, op: ArgReduce, node: string, fn: string): ValuesIndices {
  const d = normDim(dim, x.ndim);
  if (x.ndim > 0 && x.shape[d] === 0) {
    throw new Error(`${fn}(): Expected reduction dim ${d} to have non-zero size.`);
  }
  const shape = outShape(x.shape, x.ndim ? [d] : [], keepdim);
  const values = Tensor.empty(shape, x.dtype, x.device);
  const indices = Tensor.empty(shape, 'int64', x.device);
  red.argReduce(op, values, indices, x, d);
  if (node && needsGrad(x)) {
    const from = x.shape;
    record(node, [x], values, [indices], (g, [idx]) => [selectBack(g, idx, from, d, keepdim)]);
  }
  return { values, indices };
}

/** Gradient of a value-selecting reduction: g goes to the selected index along dim, zeros elsewhere. */
function selectBack(g: Tensor, idx: Tensor, shape: readonly number[], dim: number, keepdim: boolean): Tensor {
  if (shape.length === 0) return g;
  const gk = keepdim ? g : g.unsqueeze(dim);
  const ik = keepdim ? idx : idx.unsqueeze(dim);
  const iotaShape = shape.map((s, k) => (k === dim ? s : 1));
  const iota = arange(shape[dim], { device: g.device }).reshape(iotaShape);
  return where(iota.eq(ik), gk, 0).expand(shape);
}

function argExtreme(x: Tensor, dim: number | null | undefined, keepdim: boolean, op: ArgReduce, fn: string): Tensor {
  tensorInput(fn, x);
  if (x.dtype === 'bool') throw new Error(`"${fn}_cpu" not implemented for 'Bool'`);
  if (dim === undefined || dim === null) {
    if (x.numel() === 0) throw new Error(`${fn}(): Expected reduction dim to be specified for input.numel() == 0.`);
    const flat = x.reshape(-1);
    const { values, indices } = extremeAlong(flat, 0, false, op, '', fn);
    values.dispose();
    if (flat !== x) flat.dispose();
    return keepdim ? indices.reshape(x.shape.map(() => 1)) : indices;
  }
  const { values, indices } = extremeAlong(x, dim, keepdim, op, '', fn);
  values.dispose();
  return indices;
}

export const argmax = (x: Tensor, dim?: number | null, keepdim = false): Tensor => argExtreme(x, dim, keepdim, ArgReduce.max, 'argmax');
export const argmin = (x: Tensor, dim?: number | null, keepdim = false): Tensor => argExtreme(x, dim, keepdim, ArgReduce.min, 'argmin');

export function max(x: Tensor): Tensor;
export function max(x: Tensor, dim: number, keepdim?: boolean): ValuesIndices;
export function max(x: Tensor, other: Tensor): Tensor;
export function max(x: Tensor, dim?: number | Tensor, keepdim = false): Tensor | ValuesIndices {
  tensorInput('max', x);
  if (dim instanceof Tensor) return x.maximum(dim);
  if (dim === undefined) return extreme(x, null, false, Reduce.max, 'MaxBackward1', 'max');
  return extremeAlong(x, dim, keepdim, ArgReduce.max, 'MaxBackward0', 'max');
}

export function min(x: Tensor): Tensor;
export function min(x: Tensor, dim: number, keepdim?: boolean): ValuesIndices;
export function min(x: Tensor, other: Tensor): Tensor;
export function min(x: Tensor, dim?: number | Tensor, keepdim = false): Tensor | ValuesIndices {
  tensorInput('min', x);
  if (dim instanceof Tensor) return x.minimum(dim);
  if (dim === undefined) return extreme(x, null, false, Reduce.min, 'MinBackward1', 'min');
  return extremeAlong(x, dim, keepdim, ArgReduce.min, 'MinBackward0', 'min');
}

/** all/any: bool results (uint8 for uint8 input, as PyTorch). */
function logicalFold(x: Tensor, dim: Dims, keepdim: boolean, op: Reduce.min | Reduce.max): Tensor {
  tensorInput('all', x);
  const dims = reducedDims(dim, x.ndim);
  const asBool = castTo(x, 'bool');
  const out = fold(op, asBool, dims, keepdim);
  if (asBool !== x) asBool.dispose();
  // an empty all() folds nothing into min's identity (255): it is true
  if (op === Reduce.min && dims.some((d) => x.shape[d] === 0)) backend.fill(out, 1);
  if (x.dtype !== 'uint8') return out;
  const r = castTo(out, 'uint8');
  out.dispose();
  return r;
}

export const all = (x: Tensor, dim?: Dims, keepdim = false): Tensor => logicalFold(x, dim, keepdim, Reduce.min);
export const any = (x: Tensor, dim?: Dims, keepdim = false): Tensor => logicalFold(x, dim, keepdim, Reduce.max);

declare module '../tensor/tensor' {
  interface Tensor {
    sum(dim?: Dims | SumOptions, keepdim?: boolean, options?: SumOptions): Tensor;
    mean(dim?: Dims | SumOptions, keepdim?: boolean, options?: SumOptions): Tensor;
    prod(dim?: number | null, keepdim?: boolean, options?: SumOptions): Tensor;
    amax(dim?: Dims, keepdim?: boolean): Tensor;
    amin(dim?: Dims, keepdim?: boolean): Tensor;
    max(): Tensor;
    max(dim: number, keepdim?: boolean): ValuesIndices;
    max(other: Tensor): Tensor;
    min(): Tensor;
    min(dim: number, keepdim?: boolean): ValuesIndices;
    min(other: Tensor): Tensor;
    argmax(dim?: number | null, keepdim?: boolean): Tensor;
    argmin(dim?: number | null, keepdim?: boolean): Tensor;
    all(dim?: Dims, keepdim?: boolean): Tensor;
    any(dim?: Dims, keepdim?: boolean): Tensor;
  }
}

const proto = Tensor.prototype;
proto.sum = function (d, k, o) { return sum(this, d, k, o); };
proto.mean = function (d, k, o) { return mean(this, d, k, o); };
proto.prod = function (d, k, o) { return prod(this, d, k, o); };
proto.amax = function (d, k) { return amax(this, d, k); };
proto.amin = function (d, k) { return amin(this, d, k); };
proto.max = function (this: Tensor, d?: number | Tensor, k?: boolean) { return max(this, d as number, k); } as Tensor['max'];
proto.min = function (this: Tensor, d?: number | Tensor, k?: boolean) { return min(this, d as number, k); } as Tensor['min'];
proto.argmax = function (d, k) { return argmax(this, d, k); };
proto.argmin = function (d, k) { return argmin(this, d, k); };
proto.all = function (d, k) { return all(this, d, k); };
proto.any = function (d, k) { return any(this, d, k); };
