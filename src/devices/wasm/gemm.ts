// Marshalling for the GEMM kernel: 3-d operands [batch, rows, cols] with
// any element strides (stride 0 on the batch dim broadcasts a matrix).
import { type DType, KERNEL_SUFFIX } from '../../tensor/dtype';
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

/** out[b] = a[b] @ b[b] (or += when accumulate). Shapes: a [B,M,K], b [B,K,N], out [B,M,N]. */
export function gemm(out: Strided, a: Strided, b: Strided, accumulate = false): void {
  const [B, M, K] = a.shape;
  const N = b.shape[2];
  if (B === 0 || M === 0 || N === 0) return;
  const m = meta();
  const [sAb, sAm, sAk] = a.strides, [sBb, sBk, sBn] = b.strides, [sCb, sCm, sCn] = out.strides;
  const nr = nrOf(out.dtype);
  let f = kernels.get(out.dtype);
  if (!f) kernels.set(out.dtype, (f = kernel(`gemm_${KERNEL_SUFFIX[out.dtype]}`)));
  if (tiles(N, M, nr) < tiles(M, N, nr)) {
    // a narrow product (a matrix times a vector, say) wastes most of each tile's columns:
    // compute C^T = B^T A^T instead, the same memory with the roles of the operands swapped
    m[0] = sBb; m[1] = sBn; m[2] = sBk;
    m[3] = sAb; m[4] = sAk; m[5] = sAm;
    m[6] = sCb; m[7] = sCn; m[8] = sCm;
    f(B, N, M, K, wasm().metaPtr, b.ptr, a.ptr, out.ptr, ws(), accumulate ? 1 : 0);
    return;
  }
  m[0] = sAb; m[1] = sAm; m[2] = sAk;
  m[3] = sBb; m[4] = sBk; m[5] = sBn;
  m[6] = sCb; m[7] = sCm; m[8] = sCn;
  f(B, M, N, K, wasm().metaPtr, a.ptr, b.ptr, out.ptr, ws(), accumulate ? 1 : 0);
}
