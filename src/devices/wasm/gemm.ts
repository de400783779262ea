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

/** out[b] = a[b] @ b[b] (or += when accumulate). Shapes: a [B,M,K], b [B,K,N], out [B,M,N]. */
export function gemm(out: Strided, a: Strided, b: Strided, accumulate = false): void {
  const [B, M, K] = a.shape;
  const N = b.shape[2];
  if (B === 0 || M === 0 || N === 0) return;
  const m = meta();
  m[0] = a.strides[0]; m[1] = a.strides[1]; m[2] = a.strides[2];
  m[3] = b.strides[0]; m[4] = b.strides[1]; m[5] = b.strides[2];
  m[6] = out.strides[0]; m[7] = out.strides[1]; m[8] = out.strides[2];
  let f = kernels.get(out.dtype);
  if (!f) kernels.set(out.dtype, (f = kernel(`gemm_${KERNEL_SUFFIX[out.dtype]}`)));
  f(B, M, N, K, wasm().metaPtr, a.ptr, b.ptr, out.ptr, ws(), accumulate ? 1 : 0);
}
