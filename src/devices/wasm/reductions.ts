// Marshalling for the reduction kernels (see assembly/reduce.ts for the
// meta layouts). Dims are split into kept and reduced groups, each
// collapsed separately.
import { ArgReduce, Reduce, Scan, Softmax } from '../../../assembly/codes';
import { itemSize, KERNEL_SUFFIX } from '../../tensor/dtype';
import { wasm } from './module';
import { collapseGroup, kernel, meta, numelOf, type Strided } from './backend';
import { GPU_BASE } from '../webgpu/runtime';
import * as gpu from '../webgpu/reduce';

/** out (contiguous over the kept dims, same dtype as x) = fold of x over `dims`. */
export function reduce(op: Reduce, out: Strided, x: Strided, dims: readonly number[]): void {
  if (out.ptr >= GPU_BASE || x.ptr >= GPU_BASE) return gpu.reduce(op, out, x, dims);
  if (numelOf(out.shape) === 0) return;
  const size = itemSize(x.dtype);
  const keptD = x.shape.map((_, d) => d).filter((d) => !dims.includes(d));
  const redD = x.shape.map((_, d) => d).filter((d) => dims.includes(d));
  const [ks, kt] = collapseGroup(keptD.map((d) => x.shape[d]), keptD.map((d) => x.strides[d]));
  const [rs, rt] = collapseGroup(redD.map((d) => x.shape[d]), redD.map((d) => x.strides[d]));
  const nk = ks.length, nr = rs.length;
  const m = meta(3 * (nk + nr)); // shapes, strides, odometers
  m.set(ks, 0);
  m.set(kt.map((v) => v * size), nk);
  m.set(rs, 2 * nk);
  m.set(rt.map((v) => v * size), 2 * nk + nr);
  kernel(`reduce_${KERNEL_SUFFIX[x.dtype]}`)(op, nk, nr, wasm().metaPtr, out.ptr, x.ptr);
}

/** values/indices (contiguous over all dims but `dim`) of the max/min along `dim`. */
export function argReduce(op: ArgReduce, values: Strided, indices: Strided, x: Strided, dim: number): void {
  if (values.ptr >= GPU_BASE || x.ptr >= GPU_BASE) return gpu.argReduce(op, values, indices, x, dim);
  if (numelOf(values.shape) === 0) return;
  const size = itemSize(x.dtype);
  const keptD = x.shape.map((_, d) => d).filter((d) => d !== dim);
  const [ks, kt] = collapseGroup(keptD.map((d) => x.shape[d]), keptD.map((d) => x.strides[d]));
  const m = meta(3 * ks.length);
  m.set(ks, 0);
  m.set(kt.map((v) => v * size), ks.length);
  const n = x.shape.length ? x.shape[dim] : 1;
  const s = x.shape.length ? x.strides[dim] * size : 0;
  kernel(`argreduce_${KERNEL_SUFFIX[x.dtype]}`)(op, ks.length, wasm().metaPtr, values.ptr, indices.ptr, x.ptr, n, s);
}

/** Running sum/prod/max/min of x along `dim` into out (same shape and dtype). */
export function scan(op: Scan, out: Strided, x: Strided, dim: number): void {
  if (out.ptr >= GPU_BASE || x.ptr >= GPU_BASE) return gpu.scan(op, out, x, dim);
  if (numelOf(out.shape) === 0) return;
  const size = itemSize(x.dtype);
  // size-1 dims walk nowhere: dropping them keeps the odometer small however many there are
  const keptD = x.shape.map((_, d) => d).filter((d) => d !== dim && x.shape[d] !== 1);
  const nk = keptD.length;
  const m = meta(4 * nk); // shape, both strides, odometer
  keptD.forEach((d, i) => {
    m[i] = x.shape[d];
    m[nk + i] = x.strides[d] * size;
    m[2 * nk + i] = out.strides[d] * size;
  });
  const n = x.shape.length ? x.shape[dim] : 1;
  kernel(`scan_${KERNEL_SUFFIX[x.dtype]}`)(op, nk, wasm().metaPtr, out.ptr, x.ptr, n, x.strides[dim] * size || 0, out.strides[dim] * size || 0);
}

/** Softmax or log-softmax along `dim`; x and out must be contiguous. */
export function softmax(op: Softmax, out: Strided, x: Strided, dim: number): void {
  if (out.ptr >= GPU_BASE || x.ptr >= GPU_BASE) return gpu.softmax(op, out, x, dim);
  if (numelOf(out.shape) === 0) return;
  const outer = numelOf(x.shape.slice(0, dim));
  const inner = numelOf(x.shape.slice(dim + 1));
  const n = x.shape.length ? x.shape[dim] : 1;
  kernel(`softmax_${KERNEL_SUFFIX[x.dtype]}`)(op, outer, n, inner, out.ptr, x.ptr);
}
