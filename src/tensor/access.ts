// Reading tensors from JS: item(), tolist(), typed arrays and printing.
import { Tensor } from './tensor';
import { readFlat, toNested } from './data';
import { wasm } from '../devices/wasm/module';
import * as backend from '../devices/wasm/backend';
import { formatTensor } from '../print/format';
import { moveTo, toDevice, toWasmAsync, syncReadError, type DeviceLike } from './device';

export type TypedArrayOf = Float32Array | Float64Array | Int32Array | BigInt64Array | Uint8Array;

declare module './tensor' {
  interface Tensor {
    /** The value of a one-element tensor: a number, or a boolean for bool tensors. */
    item(): number | boolean;
    /** Nested arrays of numbers (booleans for bool tensors); a plain value for 0-d tensors. */
    tolist(): unknown;
    /** A row-major copy in the matching typed array (BigInt64Array for int64, Uint8Array for bool). */
    toTypedArray(): TypedArrayOf;
    toString(): string;
    /** item() on any device: resolves once the GPU has run everything before it. */
    itemAsync(): Promise<number | boolean>;
    /** tolist() on any device. */
    tolistAsync(): Promise<unknown>;
    /** A copy on `device` (or this tensor, when already there); the only way from webgpu back to wasm. */
    toAsync(device: DeviceLike): Promise<Tensor>;
  }
}

const proto = Tensor.prototype;

proto.item = function () {
  if (this.device !== 'wasm') throw syncReadError('item()', 'await x.itemAsync()');
  if (this.numel() !== 1) {
    // PyTorch's Python item() says this for empty tensors too
    throw new Error('only one element tensors can be converted to Python scalars');
  }
  const v = readFlat(this)[0];
  return this.dtype === 'bool' ? v !== 0 : v;
};

proto.tolist = function () {
  if (this.device !== 'wasm') throw syncReadError('tolist()', 'await x.tolistAsync()');
  return toNested(this);
};

proto.toTypedArray = function () {
  if (this.device !== 'wasm') throw syncReadError('toTypedArray()', "(await x.toAsync('wasm')).toTypedArray()");
  if (this.dtype !== 'int64') return readFlat(this);
  const n = this.numel();
  const src = this.isContiguous() ? this : Tensor.empty(this.shape, 'int64');
  if (src !== this) backend.cast(src, this);
  const out = new BigInt64Array(wasm().memory.buffer, src.ptr, n).slice();
  if (src !== this) src.dispose();
  return out;
};

proto.toString = function () {
  if (this.isDisposed) return `tensor(<disposed>, shape=[${this.shape.join(', ')}], dtype=${this.dtype})`;
  if (this.device !== 'wasm') return `tensor(<on webgpu: print (await x.toAsync('wasm'))>, shape=[${this.shape.join(', ')}], dtype=${this.dtype}, device='webgpu')`;
  return formatTensor({
    shape: this.shape,
    dtype: this.dtype,
    values: readFlat(this),
    requiresGrad: this.requiresGrad && this.isLeaf,
    gradFn: this.gradFn ? this.gradFn.name : null,
  });
};

// console.log(t) in Node prints the same text as String(t)
Object.defineProperty(proto, Symbol.for('nodejs.util.inspect.custom'), {
  value: function (this: Tensor) {
    return this.toString();
  },
});

/** read(t) on a wasm copy of t (t itself on wasm), once the GPU has answered. */
async function readAsync<R>(t: Tensor, read: (w: Tensor) => R): Promise<R> {
  if (t.device === 'wasm') return read(t);
  const w = await toWasmAsync(t);
  try {
    return read(w);
  } finally {
    w.dispose();
  }
}

proto.itemAsync = function () {
  return readAsync(this, (w) => w.item());
};

proto.tolistAsync = function () {
  return readAsync(this, (w) => w.tolist());
};

proto.toAsync = async function (device) {
  const d = toDevice(device);
  if (d === 'wasm') return this.device === 'wasm' ? this : toWasmAsync(this);
  return moveTo(this, d);
};
