// Factories: tensors from JS data, constant fills, ranges and the *Like /
// new* variants. Sizes are accepted as varargs or one array, with an
// options object last, as in `torch.zeros(2, 3, { dtype: 'int64' })`.
import { Tensor } from '../tensor/tensor';
import { type DType, type Scalar, scalarDType, isFloating } from '../tensor/dtype';
import { sizeArgs, checkSize } from '../tensor/shape';
import { parseNested, fromFlat, fromBigInts } from '../tensor/data';
import * as backend from '../devices/wasm/backend';
import { applyRequiresGrad, isScalar, onDevice, optDevice, optDType, pyTypeName, splitOptions, tensorInput, type TensorOptions } from './operands';
import type { Device } from '../tensor/storage';

export type { TensorOptions };

/** A tensor of `dtype` filled with value (no autograd). */
export function filled(shape: readonly number[], value: number, dtype: DType, device: Device = 'wasm'): Tensor {
  const t = Tensor.empty(shape, dtype, device);
  backend.fill(t, value);
  return t;
}

/** Moves t to the device the options name (`fallback` when none) and applies requiresGrad. */
function finish(t: Tensor, o: TensorOptions, fallback: Device = 'wasm'): Tensor {
  return applyRequiresGrad(onDevice(t, o, fallback), o);
}

/**
 * torch.tensor(data): integer-valued numbers give int64, any fraction gives
 * float32, booleans give bool; `requiresGrad` without a dtype gives float32.
 */
export function tensor(data: unknown, o: TensorOptions = {}): Tensor {
  if (data instanceof Tensor) return finish(data.detach().clone().to(optDType(o, data.dtype)), o);
  const { shape, values, inferred, exact } = parseNested(data);
  const fallback = o?.requiresGrad && !isFloating(inferred) ? 'float32' : inferred;
  const dtype = optDType(o, fallback);
  optDevice(o);
  const t = exact && dtype === 'int64' ? fromBigInts(exact, shape) : fromFlat(values, shape, dtype, true);
  return finish(t, o);
}

function sized(args: readonly unknown[], fn: string): [number[], TensorOptions] {
  const [sizes, o] = splitOptions<TensorOptions>(args);
  return [sizeArgs(sizes, fn), o];
}

export function zeros(...args: unknown[]): Tensor {
  const [shape, o] = sized(args, 'zeros');
  return finish(filled(shape, 0, optDType(o, 'float32'), optDevice(o)), o);
}

export function ones(...args: unknown[]): Tensor {
  const [shape, o] = sized(args, 'ones');
  return finish(filled(shape, 1, optDType(o, 'float32'), optDevice(o)), o);
}

/** Uninitialised memory, as torch.empty (the allocator may hand back old values). */
export function empty(...args: unknown[]): Tensor {
  const [shape, o] = sized(args, 'empty');
  return finish(Tensor.empty(shape, optDType(o, 'float32'), optDevice(o)), o);
}

/** torch.full(size, value): dtype follows the value (int64, float32 or bool) unless given. */
export function full(size: readonly number[] | number, value: Scalar, o: TensorOptions = {}): Tensor {
  const shape = checkSize(typeof size === 'number' ? [size] : size, 'full');
  if (!isScalar(value)) throw new TypeError(`full(): argument 'fill_value' (position 2) must be Number, not ${pyTypeName(value)}`);
  return finish(filled(shape, Number(value), optDType(o, scalarDType(value)), optDevice(o)), o);
}

export function eye(n: number, m?: number | TensorOptions, o: TensorOptions = {}): Tensor {
  if (typeof m === 'object') [m, o] = [undefined, m];
  const cols = m ?? n;
  if (n < 0) throw new Error(`n must be greater or equal to 0, got ${n}`);
  if (cols < 0) throw new Error(`m must be greater or equal to 0, got ${cols}`);
  checkSize([n, cols], 'eye');
  const t = filled([n, cols], 0, optDType(o, 'float32'));
  const k = Math.min(n, cols);
  // the diagonal of a contiguous n x cols matrix is one strided row
  backend.fill({ ptr: t.ptr, shape: [k], strides: [cols + 1], dtype: t.dtype }, 1);
  return finish(t, o);
}

/**
 * torch.arange(end) / (start, end) / (start, end, step): int64 when all
 * bounds are integers, float32 otherwise. Values are start + i*step in double
 * for float dtypes; an integer dtype first truncates start, end and step (so a
 * step of 0.5 becomes 0 and is refused), and int64 also counts with them.
 */
export function arange(...args: unknown[]): Tensor {
  const [nums, o] = splitOptions<TensorOptions>(args);
  for (const v of nums) if (typeof v !== 'number') throw new TypeError(`arange(): expected numbers, got ${typeof v}`);
  const n = nums as number[];
  const [start, end, step] = n.length === 1 ? [0, n[0], 1] : n.length === 2 ? [n[0], n[1], 1] : [n[0], n[1], n[2]];
  const dtype = optDType(o, [start, end, step].every(Number.isInteger) ? 'int64' : 'float32');
  const acc = isFloating(dtype) ? (v: number) => v : Math.trunc;
  const [s, e, st] = [acc(start), acc(end), acc(step)];
  if (st === 0 || Number.isNaN(st)) throw new Error('step must be nonzero');
  if (!Number.isFinite(s) || !Number.isFinite(e)) throw new Error(`unsupported range: ${s} -> ${e}`);
  if ((st > 0 && e < s) || (st < 0 && e > s)) throw new Error('upper bound and larger bound inconsistent with step sign');
  // max with 0 turns an empty range's -0 (ceil(0 / -1)) into a size of 0
  const count = Math.max(0, dtype === 'int64' ? Math.ceil((e - s) / st) : Math.ceil((end - start) / step));
  checkSize([count], 'arange');
  const values = new Float64Array(count);
  for (let i = 0; i < count; i++) values[i] = s + i * st;
  return finish(fromFlat(values, [count], dtype), o);
}

/** torch.linspace: computed in the output dtype, symmetric from both ends as PyTorch does. */
export function linspace(start: number, end: number, steps: number, o: TensorOptions = {}): Tensor {
  if (steps < 0) throw new Error('number of steps must be non-negative');
  checkSize([steps], 'linspace');
  const dtype = optDType(o, 'float32');
  const round = dtype === 'float32' ? Math.fround : (v: number) => v;
  const values = new Float64Array(steps);
  if (steps === 1) values[0] = start;
  if (steps > 1) {
    const s = round(start), e = round(end);
    const step = round((e - s) / (steps - 1));
    const half = Math.floor(steps / 2);
    // start + step*i with one rounding, as the fused multiply-add PyTorch's compiled kernel uses
    // (for float32 the double-precision expression is exact, so rounding it once is the FMA)
    for (let i = 0; i < steps; i++) values[i] = i < half ? round(s + step * i) : round(e - step * (steps - i - 1));
  }
  return finish(fromFlat(values, [steps], dtype), o);
}

// *Like and new* factories stay on x's device unless told otherwise, as PyTorch's do
export const zerosLike = (x: Tensor, o: TensorOptions = {}): Tensor => (tensorInput('zeros_like', x), finish(filled(x.shape, 0, optDType(o, x.dtype), optDevice(o, x.device)), o, x.device));
export const onesLike = (x: Tensor, o: TensorOptions = {}): Tensor => (tensorInput('ones_like', x), finish(filled(x.shape, 1, optDType(o, x.dtype), optDevice(o, x.device)), o, x.device));
export const emptyLike = (x: Tensor, o: TensorOptions = {}): Tensor => (tensorInput('empty_like', x), finish(Tensor.empty(x.shape, optDType(o, x.dtype), optDevice(o, x.device)), o, x.device));
export const fullLike = (x: Tensor, value: Scalar, o: TensorOptions = {}): Tensor => (tensorInput('full_like', x),
  finish(filled(x.shape, Number(value), optDType(o, x.dtype), optDevice(o, x.device)), o, x.device));

declare module '../tensor/tensor' {
  interface Tensor {
    zerosLike(options?: TensorOptions): Tensor;
    onesLike(options?: TensorOptions): Tensor;
    newZeros(...size: unknown[]): Tensor;
    newOnes(...size: unknown[]): Tensor;
    newEmpty(...size: unknown[]): Tensor;
    newFull(size: readonly number[], value: Scalar, options?: TensorOptions): Tensor;
    newTensor(data: unknown, options?: TensorOptions): Tensor;
  }
}

/** new_* factories default to this tensor's dtype. */
function newSized(x: Tensor, args: unknown[], fn: string, value: number | null): Tensor {
  const [shape, o] = sized(args, fn);
  const dtype = optDType(o, x.dtype);
  const device = optDevice(o, x.device);
  return finish(value === null ? Tensor.empty(shape, dtype, device) : filled(shape, value, dtype, device), o, x.device);
}

const proto = Tensor.prototype;
proto.zerosLike = function (o) { return zerosLike(this, o); };
proto.onesLike = function (o) { return onesLike(this, o); };
proto.newZeros = function (...a) { return newSized(this, a, 'new_zeros', 0); };
proto.newOnes = function (...a) { return newSized(this, a, 'new_ones', 1); };
proto.newEmpty = function (...a) { return newSized(this, a, 'new_empty', null); };
proto.newFull = function (size, value, o = {}) { return full(size, value, { dtype: this.dtype, device: this.device, ...o }); };
proto.newTensor = function (data, o = {}) { return tensor(data, { dtype: this.dtype, device: this.device, ...o }); };
