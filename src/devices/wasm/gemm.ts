// Marshalling for the GEMM kernel: 3-d operands [batch, rows, cols] with
// any element strides (stride 0 on the batch dim broadcasts a matrix).
import { type DType, KERNEL_SUFFIX, itemSize } from '../../tensor/dtype';
import { wasm, type KernelFn } from './module';
import { kernel, meta, type Strided } from './backend';

let workspace = 0;
const kernels = new Map<DType, KernelFn>();

function ws(): number {
  if (!workspace) workspace = wasm().allocator.alloc(kernel('gemm_ws_bytes')(8));
  return workspace;
}

/** Register tile of the kernel: MR rows by NR columns, NR being two v128 of the dtype. */
const MR = 4;
const nrOf = (dtype: DType): number => (dtype === 'float64' || dtype === 'int64' ? 4 : 8);
const tiles = (rows: number, cols: number, nr: number): number => Math.ceil(rows / MR) * Math.ceil(cols / nr);

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
  const [B, M, K] = a.shape;
  const N = b.shape[2];
  if (B === 0 || M === 0 || N === 0) return;
  const dtype = out.dtype;
  let f = kernels.get(dtype);
  if (!f) kernels.set(dtype, (f = kernel(`gemm_${KERNEL_SUFFIX[dtype]}`)));
  let [sAb, sAm, sAk] = a.strides, [sBb, sBk, sBn] = b.strides, [sCb, sCm, sCn] = out.strides;
  let rows = M, cols = N, pa = a.ptr, pb = b.ptr;
  const nr = nrOf(dtype);
  if (tiles(N, M, nr) < tiles(M, N, nr)) {
    // a narrow product (a matrix times a vector, say) wastes most of each tile's columns:
    // compute C^T = B^T A^T instead, the same memory with the roles of the operands swapped
    [sAb, sAm, sAk, sBb, sBk, sBn] = [sBb, sBn, sBk, sAb, sAk, sAm];
    [sCm, sCn] = [sCn, sCm];
    [rows, cols, pa, pb] = [N, M, b.ptr, a.ptr];
  }
  const m = meta();
  m[0] = sAb; m[1] = sAm; m[2] = sAk;
  m[3] = sBb; m[4] = sBk; m[5] = sBn;
  m[6] = sCb; m[7] = sCm; m[8] = sCn;
  const size = itemSize(dtype), metaPtr = wasm().metaPtr, work = ws(), acc = accumulate ? 1 : 0;
  let calls = callsSoFar.get(dtype) ?? 0;
  const chunk = Math.max(MR, Math.floor(CHUNK_MACS / (B * cols * K) / MR) * MR);
  for (let r = 0; r < rows; ) {
    const n = calls < WARM_CALLS ? Math.min(chunk, rows - r) : rows - r;
    f(B, n, cols, K, metaPtr, pa + r * sAm * size, pb, out.ptr + r * sCm * size, work, acc);
    calls++;
    r += n;
  }
  if (calls <= WARM_CALLS) callsSoFar.set(dtype, calls);
}
