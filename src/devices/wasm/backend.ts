// The wasm device: turns strided tensor views into kernel calls. Callers
// hand over operands already broadcast to the output's shape (stride 0
// where broadcast); this file collapses dimensions, writes the meta block
// and picks the kernel for the dtype. It never decides shapes or dtypes.
import { Unary, Binary, Compare } from '../../../assembly/codes';
import { type DType, itemSize, KERNEL_SUFFIX, CAST_SUFFIX } from '../../tensor/dtype';
import { wasm, META_BYTES, type KernelFn } from './module';
import { numel as numelOf } from '../../tensor/shape';
import { GPU_BASE } from '../webgpu/runtime';
import * as gpu from '../webgpu/elementwise';
import { indexed as gpuIndexed } from '../webgpu/indexing';

/** What a kernel needs to know about an operand. */
export interface Strided {
  readonly ptr: number; // byte address of element [0, 0, ...]
  readonly shape: readonly number[];
  readonly strides: readonly number[]; // in elements
  readonly dtype: DType;
}

export { numel as numelOf } from '../../tensor/shape';

const fnCache = new Map<string, KernelFn>();
export function kernel(name: string): KernelFn {
  let f = fnCache.get(name);
  if (!f) {
    f = wasm().exports[name];
    if (typeof f !== 'function') throw new Error(`torchlet: missing kernel ${name}`);
    fnCache.set(name, f);
  }
  return f;
}

let metaView: Int32Array | null = null;
/**
 * The meta block, checked to hold `words` i32s: shapes, strides and the
 * kernel's own odometer. JS writes past a typed array's end vanish, but a
 * kernel's odometer would land in the heap, so a call that needs more is refused.
 */
export function meta(words: number): Int32Array {
  if (words > META_BYTES / 4) {
    throw new RangeError(`torchlet: too many dimensions: this kernel call needs ${words} words of shape and stride data, at most ${META_BYTES / 4} fit`);
  }
  const rt = wasm();
  // growth detaches an unshared buffer (length 0); views of a shared one stay valid
  if (!metaView || metaView.length === 0) metaView = new Int32Array(rt.memory.buffer, rt.metaPtr, META_BYTES / 4);
  return metaView;
}

/**
 * Drops size-1 dims and merges neighbours that every operand walks
 * contiguously, so a contiguous op becomes one long row.
 */
export function collapse(shape: readonly number[], strides: readonly (readonly number[])[]): [number[], number[][]] {
  const outShape: number[] = [];
  const outStrides: number[][] = strides.map(() => []);
  for (let d = 0; d < shape.length; d++) {
    const size = shape[d];
    if (size === 1) continue;
    const last = outShape.length - 1;
    if (last >= 0 && strides.every((s, j) => outStrides[j][last] === s[d] * size)) {
      outShape[last] *= size;
      for (let j = 0; j < strides.length; j++) outStrides[j][last] = strides[j][d];
    } else {
      outShape.push(size);
      for (let j = 0; j < strides.length; j++) outStrides[j].push(strides[j][d]);
    }
  }
  if (outShape.length === 0) return [[1], strides.map(() => [0])];
  return [outShape, outStrides];
}

/** Merges neighbouring dims of one group that are laid out contiguously; drops size-1 dims. */
export function collapseGroup(shape: readonly number[], strides: readonly number[]): [number[], number[]] {
  const s: number[] = [];
  const t: number[] = [];
  for (let d = 0; d < shape.length; d++) {
    if (shape[d] === 1) continue;
    const last = s.length - 1;
    if (last >= 0 && t[last] === strides[d] * shape[d]) {
      s[last] *= shape[d];
      t[last] = strides[d];
    } else {
      s.push(shape[d]);
      t.push(strides[d]);
    }
  }
  return [s, t];
}

/** Whether strides walk shape densely in row-major order (size-1 dims may have any stride). */
function dense(shape: readonly number[], strides: readonly number[]): boolean {
  let expect = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    const n = shape[d];
    if (n === 1) continue;
    if (strides[d] !== expect) return false;
    expect *= n;
  }
  return true;
}

/** Meta words of a row walk (assembly/common.ts): shape, each operand's strides, the odometer, a pointer per operand. */
export const walkWords = (nd: number, operands: number): number => nd * (operands + 2) + operands;

/** Meta of one contiguous row of n elements of each operand (rank 1). */
function writeRowMeta(n: number, ops: readonly Strided[]): number {
  const m = meta(1 + ops.length);
  m[0] = n;
  for (let j = 0; j < ops.length; j++) m[1 + j] = itemSize(ops[j].dtype);
  return 1;
}

/** Writes shape and byte strides of each operand; returns the collapsed rank. */
function writeMeta(shape: readonly number[], ops: readonly Strided[]): number {
  // the common case, every operand contiguous and unbroadcast, is one row
  let flat = true;
  for (let j = 0; j < ops.length && flat; j++) flat = dense(shape, ops[j].strides);
  if (flat) return writeRowMeta(numelOf(shape), ops);
  const [cs, cst] = collapse(shape, ops.map((o) => o.strides));
  const nd = cs.length;
  const m = meta(walkWords(nd, ops.length));
  m.set(cs, 0);
  for (let j = 0; j < ops.length; j++) {
    const size = itemSize(ops[j].dtype);
    const row = cst[j];
    const base = nd * (1 + j);
    for (let d = 0; d < nd; d++) m[base + d] = row[d] * size;
  }
  return nd;
}

// A GPU operand anywhere sends the call to the webgpu kernels (which refuse a mix of devices):
// one comparison per operand is all the wasm path pays for the second device.
export function unary(op: Unary, out: Strided, x: Strided, p0 = 0, p1 = 0): void {
  const po = out.ptr, px = x.ptr;
  if (po >= GPU_BASE || px >= GPU_BASE) return gpu.unary(op, out, x, p0, p1);
  const n = numelOf(out.shape);
  if (n === 0) return;
  const fused = FUSED_16.has(op) && out.dtype === 'float32' && x.dtype === 'float32' ? wasm().exports.unary16_f32 : undefined;
  if (fused && dense(out.shape, out.strides) && dense(out.shape, x.strides)) {
    // the relaxed add-on's fused-multiply-add transcendentals take whole blocks of 16,
    // the main kernel the rest (n % 16 elements, one contiguous row)
    const whole = n - (n % 16);
    fused(op, po, px, whole);
    if (whole === n) return;
    kernel('unary_f32')(op, writeRowMeta(n - whole, [out, x]), wasm().metaPtr, po + 4 * whole, px + 4 * whole, p0, p1);
    return;
  }
  const nd = writeMeta(out.shape, [out, x]);
  kernel(`unary_${KERNEL_SUFFIX[out.dtype]}`)(op, nd, wasm().metaPtr, po, px, p0, p1);
}

/** The ops the relaxed add-on's unary16_f32 computes (assembly/relaxed.ts). */
const FUSED_16: ReadonlySet<Unary> = new Set([Unary.exp, Unary.sigmoid, Unary.silu, Unary.tanh]);

export function binary(op: Binary, out: Strided, a: Strided, b: Strided, p = 0): void {
  const po = out.ptr, pa = a.ptr, pb = b.ptr;
  if (po >= GPU_BASE || pa >= GPU_BASE || pb >= GPU_BASE) return gpu.binary(op, out, a, b, p);
  if (numelOf(out.shape) === 0) return;
  const nd = writeMeta(out.shape, [out, a, b]);
  kernel(`binary_${KERNEL_SUFFIX[out.dtype]}`)(op, nd, wasm().metaPtr, po, pa, pb, p);
}

/** out (bool) = a <op> b, computed in a's dtype (b must match it). */
export function compare(op: Compare, out: Strided, a: Strided, b: Strided): void {
  const po = out.ptr, pa = a.ptr, pb = b.ptr;
  if (po >= GPU_BASE || pa >= GPU_BASE || pb >= GPU_BASE) return gpu.compare(op, out, a, b);
  if (numelOf(out.shape) === 0) return;
  const nd = writeMeta(out.shape, [out, a, b]);
  kernel(`compare_${KERNEL_SUFFIX[a.dtype]}`)(op, nd, wasm().metaPtr, po, pa, pb);
}

export function where(out: Strided, cond: Strided, a: Strided, b: Strided): void {
  if (out.ptr >= GPU_BASE || cond.ptr >= GPU_BASE || a.ptr >= GPU_BASE || b.ptr >= GPU_BASE) return gpu.where(out, cond, a, b);
  if (numelOf(out.shape) === 0) return;
  const nd = writeMeta(out.shape, [out, cond, a, b]);
  kernel(`where_${itemSize(out.dtype)}`)(nd, wasm().metaPtr, out.ptr, cond.ptr, a.ptr, b.ptr);
}

export function fill(out: Strided, value: number): void {
  if (out.ptr >= GPU_BASE) return gpu.fill(out, value);
  if (numelOf(out.shape) === 0) return;
  const nd = writeMeta(out.shape, [out]);
  const suffix = out.dtype === 'bool' ? 'bool' : KERNEL_SUFFIX[out.dtype];
  kernel(`fill_${suffix}`)(nd, wasm().metaPtr, out.ptr, value);
}

/** Strided copy with dtype conversion; the only way bytes move between layouts. */
export function cast(out: Strided, x: Strided): void {
  if (out.ptr >= GPU_BASE || x.ptr >= GPU_BASE) return gpu.cast(out, x);
  if (numelOf(out.shape) === 0) return;
  const nd = writeMeta(out.shape, [out, x]);
  kernel(`cast_${CAST_SUFFIX[x.dtype]}_${CAST_SUFFIX[out.dtype]}`)(nd, wasm().metaPtr, out.ptr, x.ptr);
}

/** Index of the first entry outside [0, size), or -1. `index` must be int64. */
export function checkIndex(index: Strided, size: number): number {
  // a GPU index cannot be read synchronously: webgpu skips the check (out-of-range reads are clamped by WebGPU)
  if (index.ptr >= GPU_BASE) return -1;
  const n = numelOf(index.shape);
  if (n === 0) return -1;
  const stride = index.shape.length === 0 ? 0 : index.strides[0] * 8;
  return kernel('check_index')(index.ptr, n, stride, size);
}

// fields spelled out: a Tensor's ptr is a getter, which object spread would drop
const zeroAlong = (t: Strided, dim: number): Strided => ({ ptr: t.ptr, shape: t.shape, dtype: t.dtype, strides: t.strides.map((s, d) => (d === dim ? 0 : s)) });

/** A 1-D index vector seen over `shape`, moving only along `dim`. */
const alongDim = (index: Strided, shape: readonly number[], dim: number): Strided => ({
  ptr: index.ptr, dtype: index.dtype, shape, strides: shape.map((_, d) => (d === dim && index.shape.length ? index.strides[0] : 0)),
});

/**
 * Walks `shape` over two operands where operand `indexed` (0 or 1) moves
 * along `dim` by index[j] instead of j. Dimensions are not collapsed: the
 * kernel needs `dim` where it is.
 */
function walkIndexed(name: string, shape: readonly number[], ops: [Strided, Strided], indexed: 0 | 1, dim: number, index: Strided): void {
  if (numelOf(shape) === 0) return;
  const nd = shape.length;
  const m = meta(walkWords(nd, 2));
  const walkOps = ops.map((o, j) => (j === indexed ? zeroAlong(o, dim) : o));
  m.set(shape, 0);
  for (let j = 0; j < 2; j++) {
    const size = itemSize(walkOps[j].dtype);
    for (let d = 0; d < nd; d++) m[nd * (1 + j) + d] = walkOps[j].strides[d] * size;
  }
  const idxStride = index.shape.length === 0 ? 0 : index.strides[0] * 8;
  const dimStride = ops[indexed].strides[dim] * itemSize(ops[indexed].dtype);
  kernel(name)(nd, wasm().metaPtr, ops[0].ptr, ops[1].ptr, dim, index.ptr, idxStride, dimStride);
}

/** out[.., j, ..] = x[.., index[j], ..] along dim (indices already checked). */
export function gather(out: Strided, x: Strided, dim: number, index: Strided): void {
  if (out.ptr >= GPU_BASE || x.ptr >= GPU_BASE) return gpuIndexed('take', out.shape, out, zeroAlong(x, dim), alongDim(index, out.shape, dim), x.strides[dim]);
  walkIndexed(`gather_${itemSize(out.dtype)}`, out.shape, [out, x], 1, dim, index);
}

/** out[.., index[j], ..] += src[.., j, ..] along dim (indices already checked). */
export function indexAdd(out: Strided, src: Strided, dim: number, index: Strided): void {
  if (out.ptr >= GPU_BASE || src.ptr >= GPU_BASE) return gpuIndexed('add', src.shape, zeroAlong(out, dim), src, alongDim(index, src.shape, dim), out.strides[dim]);
  // bool has its own kernel: adding bytes would store 2 where PyTorch ORs
  walkIndexed(`index_add_${CAST_SUFFIX[out.dtype]}`, src.shape, [out, src], 0, dim, index);
}
