// Memory overlap checks for in-place writes, as PyTorch's MemoryOverlap:
// an in-place op refuses to write into a tensor whose elements share memory
// (an expanded view), and refuses an operand that partly overlaps the
// destination (reading it while writing would depend on the loop order).
// What is too hard to decide (strided, non-dense views) is allowed, as there.
import type { Tensor } from './tensor';

const INTERNAL =
  'unsupported operation: more than one element of the written-to tensor refers to a single memory location. Please clone() the tensor before performing the operation.';
const PARTIAL =
  'unsupported operation: some elements of the input tensor and the written-to tensor refer to a single memory location. Please clone() the tensor before performing the operation.';

/** Strides that are a permutation of a contiguous layout (size-1 dims ignored). */
export function isNonOverlappingAndDense(t: Tensor): boolean {
  const dims = t.shape.map((s, d) => d).filter((d) => t.shape[d] !== 1);
  dims.sort((a, b) => t.strides[a] - t.strides[b]);
  let expected = 1;
  for (const d of dims) {
    if (t.strides[d] !== expected) return false;
    expected *= t.shape[d];
  }
  return true;
}

export function assertNoInternalOverlap(t: Tensor): void {
  if (t.shape.some((s, d) => s > 1 && t.strides[d] === 0)) throw new Error(INTERNAL);
}

/** Same memory, same layout (a op= a) is fine; any other sharing of a dense range is refused. */
export function assertNoPartialOverlap(dst: Tensor, src: Tensor): void {
  if (dst === src || dst.numel() === 0 || src.numel() === 0 || dst.storage !== src.storage) return;
  if (!isNonOverlappingAndDense(dst) || !isNonOverlappingAndDense(src)) return;
  const [a0, a1] = [dst.offset, dst.offset + dst.numel()];
  const [b0, b1] = [src.offset, src.offset + src.numel()];
  if (a0 === b0 && a1 === b1) {
    // strides of size-1 dims never matter (PyTorch compares them too, but its choice of them differs from ours)
    if (dst.ndim === src.ndim && dst.strides.every((s, d) => dst.shape[d] === 1 || s === src.strides[d])) return;
    throw new Error(PARTIAL);
  }
  if (a0 < b1 && b0 < a1) throw new Error(PARTIAL);
}
