// Devices: names, moving tensors between wasm memory and GPU buffers, and
// the asynchronous reads a GPU tensor needs (x.toAsync, tolistAsync,
// itemAsync). A wasm tensor is read at once; a GPU one after the queue
// has run everything recorded before the read.
import { Tensor } from './tensor';
import type { Device } from './storage';
import { itemSize, type DType } from './dtype';
import { wasm } from '../devices/wasm/module';
import * as backend from '../devices/wasm/backend';
import { download, upload, isReady } from '../devices/webgpu/runtime';
import { isGradEnabled } from '../autograd/grad_mode';
import { pyTypeName } from './pytype';

/** What `torch.device(...)` returns; accepted wherever a device name is. */
export class TorchDevice {
  constructor(readonly type: Device) {}
  toString(): string {
    return this.type;
  }
}

export type DeviceLike = Device | 'cpu' | TorchDevice | string;

/** 'cpu' is an alias of 'wasm', the device every tensor starts on. */
export function toDevice(d: DeviceLike): Device {
  const name = d instanceof TorchDevice ? d.type : d;
  if (name === 'wasm' || name === 'cpu') return 'wasm';
  if (name === 'webgpu') {
    if (!isReady()) throw new Error("the webgpu device is not initialised: `await torch.webgpu.init()` first (in Node, `torch.webgpu.init({ gpu })`)");
    return 'webgpu';
  }
  if (typeof name !== 'string') {
    throw new TypeError(`device must be a str or torch.device, not ${pyTypeName(name)}`);
  }
  throw new Error(`Expected one of cpu, wasm, webgpu device type at start of device string: ${name}`);
}

export const isDeviceName = (v: unknown): boolean => v instanceof TorchDevice || v === 'wasm' || v === 'cpu' || v === 'webgpu';

export function device(name: DeviceLike): TorchDevice {
  return new TorchDevice(toDevice(name));
}

export const syncReadError = (what: string, alt: string): Error =>
  new Error(`${what} cannot read a webgpu tensor synchronously; use ${alt} instead`);

/** A wasm tensor with x's values, contiguous (x itself when it already is one). */
function contiguousWasm(x: Tensor): Tensor {
  if (x.isContiguous()) return x;
  const c = Tensor.empty(x.shape, x.dtype, x.device);
  backend.cast(c, x);
  return c;
}

/** x copied to a GPU buffer (no autograd history: the copy is a new leaf). */
export function toGpu(x: Tensor): Tensor {
  const src = contiguousWasm(x);
  const out = Tensor.empty(x.shape, x.dtype, 'webgpu');
  const bytes = x.numel() * itemSize(x.dtype);
  if (bytes > 0) upload(out.ptr, new Uint8Array(wasm().memory.buffer, src.ptr, bytes).slice());
  if (src !== x) src.dispose();
  return out;
}

/** x copied from its GPU buffer into wasm memory. */
export async function toWasmAsync(x: Tensor): Promise<Tensor> {
  const src = contiguousWasm(x);
  const dtype: DType = x.dtype;
  const bytes = x.numel() * itemSize(dtype);
  let data: Uint8Array;
  try {
    data = await download(src.ptr, bytes);
  } finally {
    if (src !== x) src.dispose();
  }
  const out = Tensor.empty(x.shape, dtype);
  if (bytes > 0) new Uint8Array(wasm().memory.buffer, out.ptr, bytes).set(data);
  return out;
}

/** x on `device`: x itself when it is already there. */
export function moveTo(x: Tensor, d: Device): Tensor {
  const from = x.device;
  if (from === d) return x;
  // the gradient would have to come back from the GPU synchronously: refuse rather than silently drop it
  if (x.requiresGrad && isGradEnabled()) {
    throw new Error(`.to('${d}') of a tensor that requires grad is not differentiable across devices here; move x.detach() and set requiresGrad on the copy (or move inside torch.noGrad)`);
  }
  if (d === 'webgpu') return toGpu(x);
  throw syncReadError(`.to('${d}')`, `await x.toAsync('${d}')`);
}
