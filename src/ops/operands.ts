// Helpers every op family uses to prepare operands: dtype casts, broadcast
// views for the kernels, fresh outputs and option parsing.
import { Tensor } from '../tensor/tensor';
import { type DType, type Scalar, toDType } from '../tensor/dtype';
import { expandStrides, sameShape, type Shape } from '../tensor/shape';
import type { Strided } from '../devices/wasm/backend';
import * as backend from '../devices/wasm/backend';
import { fromFlat } from '../tensor/data';
import type { Device } from '../tensor/storage';
import { GPU_BASE } from '../devices/webgpu/runtime';
import { moveTo, toDevice, type DeviceLike } from '../tensor/device';
import { pyTypeName } from '../tensor/pytype';

export { pyTypeName };

/** A kernel operand that reads t as if broadcast to `shape` (no copy). */
export function broadcastView(t: Tensor, shape: Shape): Strided {
  if (sameShape(t.shape, shape)) return t;
  return { ptr: t.ptr, shape, strides: expandStrides(t.shape, t.strides, shape), dtype: t.dtype };
}

/**
 * Throws (PyTorch-style: a disposed tensor cannot be used, nor can tensors on
 * two devices meet) before an op allocates its output, so a refused call
 * leaves nothing behind. Returns the operands' device, where the output goes.
 */
export function alive(...operands: readonly unknown[]): Device {
  let gpu = -1;
  for (const o of operands) {
    if (!(o instanceof Tensor)) continue;
    // (the pointer comparison is Storage.device without the string: this runs for every op)
    const g = o.storage.ptr >= GPU_BASE ? 1 : 0;
    if (gpu >= 0 && g !== gpu) throw new Error(`Expected all tensors to be on the same device, but found at least two devices, ${gpu ? 'webgpu' : 'wasm'} and ${g ? 'webgpu' : 'wasm'}!`);
    gpu = g;
  }
  return gpu === 1 ? 'webgpu' : 'wasm';
}

/** t converted to dtype: t itself when it already is (callers dispose only what they created). */
export function castTo(t: Tensor, dtype: DType): Tensor {
  void t.storage;
  if (t.dtype === dtype) return t;
  const out = Tensor.empty(t.shape, dtype, t.device);
  backend.cast(out, t);
  return out;
}

/** Disposes the temporaries a call created, leaving the caller's own tensors alone. */
export function release(temps: readonly Tensor[], keep: readonly Tensor[]): void {
  for (const t of temps) if (!keep.includes(t)) t.dispose();
}

/** A 0-d tensor holding a JS scalar, for kernels that need a tensor operand. */
export function scalarTensor(v: Scalar, dtype: DType, device: Device = 'wasm'): Tensor {
  if (device === 'wasm') return fromFlat([Number(v)], [], dtype);
  const t = Tensor.empty([], dtype, device);
  backend.fill(t, Number(v));
  return t;
}

export const isScalar = (v: unknown): v is Scalar => typeof v === 'number' || typeof v === 'boolean';


/** The tensor an op works on, refused by name when it is something else (torch.sum(null), ...). */
export function tensorInput(fn: string, x: unknown): void {
  if (!(x instanceof Tensor)) throw new TypeError(`${fn}(): argument 'input' (position 1) must be Tensor, not ${pyTypeName(x)}`);
}

/** PyTorch's argument parser: an operand that is not a tensor (nor, where allowed, a number) is refused by name. */
export function checkOperand(fn: string | (() => string), v: unknown, name = 'other', position = 1, scalarOk = true): void {
  if (v instanceof Tensor || (scalarOk && isScalar(v))) return;
  throw new TypeError(`${typeof fn === 'string' ? fn : fn()}(): argument '${name}' (position ${position}) must be Tensor, not ${pyTypeName(v)}`);
}

export interface TensorOptions {
  dtype?: DType | string;
  requiresGrad?: boolean;
  device?: DeviceLike;
}

/** Splits `(...sizes, options?)` argument lists. */
export function splitOptions<O extends object>(args: readonly unknown[]): [unknown[], O] {
  const last = args[args.length - 1];
  if (last !== null && typeof last === 'object' && !Array.isArray(last) && !(last instanceof Tensor) && !ArrayBuffer.isView(last)) {
    return [args.slice(0, -1), last as O];
  }
  return [[...args], {} as O];
}

export function optDType(o: TensorOptions, fallback: DType): DType {
  return o?.dtype === undefined || o?.dtype === null ? fallback : toDType(o?.dtype);
}

/** The device an options object asks for (`fallback` when it names none). */
export function optDevice(o: TensorOptions, fallback: Device = 'wasm'): Device {
  return o?.device === undefined || o?.device === null ? fallback : toDevice(o.device);
}

/** t on the device the options ask for: t itself, or a copy (t is then disposed). */
export function onDevice(t: Tensor, o: TensorOptions, fallback: Device = 'wasm'): Tensor {
  const d = optDevice(o, fallback);
  if (t.device === d) return t;
  const moved = moveTo(t, d);
  t.dispose();
  return moved;
}

/** Applies requiresGrad from factory options, with PyTorch's dtype rule. */
export function applyRequiresGrad(t: Tensor, o: TensorOptions): Tensor {
  if (o?.requiresGrad) {
    if (t.dtype !== 'float32' && t.dtype !== 'float64') {
      t.dispose();
      throw new Error('Only Tensors of floating point and complex dtype can require gradients');
    }
    t.requiresGrad = true;
  }
  return t;
}
