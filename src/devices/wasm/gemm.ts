// Marshalling for the GEMM kernel: 3-d operands [batch, rows, cols] with
// any element strides (stride 0 on the batch dim broadcasts a matrix).
import { type DType, KERNEL_SUFFIX, itemSize } from '../../tensor/dtype';
import { wasm, type KernelFn } from './module';
import { kernel, meta, type Strided } from './backend';
import { GPU_BASE } from '../webgpu/runtime';
import { gemm as gpuGemm } from '../webgpu/matmul';
import { runParallel, liveWorkers, getNumThreads, type Job, type PoolKernel } from './threads';

/** One workspace per thread that may run the kernel at once (index 0 is this thread). */
const workspaces: number[] = [];
const kernels = new Map<DType, KernelFn>();

function ws(thread = 0): number {
  return (workspaces[thread] ||= wasm().allocator.allocInternal(kernel('gemm_ws_bytes')()));
}

/**
 * Products smaller than this many multiply-adds run on one thread: waking a
 * sleeping worker costs tens of microseconds. Measured on 2 cores (relaxed
 * build): 128^3 took 85 us on one thread and 130-150 on two, 160^3 was even,
 * 192^3 (7.1M) was 1.35x faster on two and 256^3 1.6x.
 */
const PARALLEL_MACS = 6 * 2 ** 20;

/**
 * Register tile of the kernel: MR rows (5 in the relaxed build's float32
 * kernel, else 4; assembly/pack.ts) by NR columns, two v128 of the dtype.
 */
const mrOf = (dtype: DType): number => (dtype === 'float32' && wasm().variant === 'relaxed' ? 5 : 4);
const nrOf = (dtype: DType): number => (dtype === 'float64' || dtype === 'int64' ? 4 : 8);
const tiles = (rows: number, cols: number, mr: number, nr: number): number => Math.ceil(rows / mr) * Math.ceil(cols / nr);

/**
 * V8 first runs a wasm function in its baseline tier (about 3x slower here)
 * and swaps in the optimized code only between calls, once the function has
 * run long enough and a background compile finished. So the first calls of a
 * kernel are cut into row chunks of about CHUNK_MACS multiply-adds: a big
 * first product then runs mostly optimized instead of all in the baseline tier.
 */
const WARM_CALLS = 8;
const CHUNK_MACS = 1 << 24;
const callsSoFar = new Map<DType, number>();

/** out[b] = a[b] @ b[b] (or += when accumulate). Shapes: a [B,M,K], b [B,K,N], out [B,M,N]. */
export function gemm(out: Strided, a: Strided, b: Strided, accumulate = false): void {
  if (out.ptr >= GPU_BASE || a.ptr >= GPU_BASE || b.ptr >= GPU_BASE) return gpuGemm(out, a, b, accumulate);
  const [B, M, K] = a.shape;
  const N = b.shape[2];
  if (B === 0 || M === 0 || N === 0) return;
  const dtype = out.dtype;
  let f = kernels.get(dtype);
  if (!f) kernels.set(dtype, (f = kernel(`gemm_${KERNEL_SUFFIX[dtype]}`)));
  let [sAb, sAm, sAk] = a.strides, [sBb, sBk, sBn] = b.strides, [sCb, sCm, sCn] = out.strides;
  let rows = M, cols = N, pa = a.ptr, pb = b.ptr;
  const mr = mrOf(dtype), nr = nrOf(dtype);
  if (tiles(N, M, mr, nr) < tiles(M, N, mr, nr)) {
    // a narrow product (a matrix times a vector, say) wastes most of each tile's columns:
    // compute C^T = B^T A^T instead, the same memory with the roles of the operands swapped
    [sAb, sAm, sAk, sBb, sBk, sBn] = [sBb, sBn, sBk, sAb, sAk, sAm];
    [sCm, sCn] = [sCn, sCm];
    [rows, cols, pa, pb] = [N, M, b.ptr, a.ptr];
  }
  const m = meta(9);
  m[0] = sAb; m[1] = sAm; m[2] = sAk;
  m[3] = sBb; m[4] = sBk; m[5] = sBn;
  m[6] = sCb; m[7] = sCm; m[8] = sCn;
  const size = itemSize(dtype), metaPtr = wasm().metaPtr, work = ws(), acc = accumulate ? 1 : 0;
  let calls = callsSoFar.get(dtype) ?? 0;
  if (calls >= WARM_CALLS && B * rows * cols * K >= PARALLEL_MACS && getNumThreads() > 1) {
    const threads = Math.min(getNumThreads(), 1 + liveWorkers().length);
    if (threads > 1) {
      const args = [B, rows, cols, K, metaPtr, pa, pb, out.ptr, 0, acc];
      const strides = { batch: [sAb, sBb, sCb], rows: [sAm, 0, sCm], cols: [0, sBn, sCn] };
      const jobs = split(args, strides, threads, size, mr, nr).map((a, t) => ({ kernel: `gemm_${KERNEL_SUFFIX[dtype]}` as PoolKernel, args: withWs(a, ws(t)), idempotent: acc === 0 }));
      runParallel(jobs, (job: Job) => f!(...job.args));
      return;
    }
  }
  const chunk = Math.max(mr, Math.floor(CHUNK_MACS / (B * cols * K) / mr) * mr);
  for (let r = 0; r < rows; ) {
    const n = calls < WARM_CALLS ? Math.min(chunk, rows - r) : rows - r;
    f(B, n, cols, K, metaPtr, pa + r * sAm * size, pb, out.ptr + r * sCm * size, work, acc);
    calls++;
    r += n;
  }
  callsSoFar.set(dtype, Math.min(calls, WARM_CALLS));
}

const withWs = (args: number[], work: number): number[] => args.map((v, i) => (i === 8 ? work : v));

/**
 * Cuts one kernel call into `parts` calls over disjoint slices of C: by batch
 * when there are enough matrices, else by rows or columns (whichever is
 * longer, in whole register tiles). Each element of C is still summed over k
 * in the same order, so the result does not depend on the thread count.
 * args: [B, M, N, K, meta, A, B, C, ws, acc]; strides in elements of (A, B, C) per dimension.
 */
function split(args: number[], s: { batch: number[]; rows: number[]; cols: number[] }, parts: number, size: number, mr: number, nr: number): number[][] {
  const [B, M, N] = args;
  let dim: 'batch' | 'rows' | 'cols', length: number, unit: number, index: number;
  if (B >= parts) [dim, length, unit, index] = ['batch', B, 1, 0];
  else if (M >= N) [dim, length, unit, index] = ['rows', M, mr, 1];
  else [dim, length, unit, index] = ['cols', N, nr, 2];
  const units = Math.ceil(length / unit);
  const out: number[][] = [];
  let start = 0;
  for (let p = 0; p < parts && start < length; p++) {
    const count = Math.min(length - start, Math.ceil((units - start / unit) / (parts - p)) * unit);
    const a = [...args];
    a[index] = count;
    a[5] += start * s[dim][0] * size;
    a[6] += start * s[dim][1] * size;
    a[7] += start * s[dim][2] * size;
    out.push(a);
    start += count;
  }
  return out;
}
