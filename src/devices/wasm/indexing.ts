// Marshalling for gather/scatter_add along a dim (assembly/indexing.ts).
import { itemSize, KERNEL_SUFFIX } from '../../tensor/dtype';
import { wasm } from './module';
import { kernel, meta, numelOf, walkWords, type Strided } from './backend';
import { GPU_BASE } from '../webgpu/runtime';
import { indexed } from '../webgpu/indexing';

// fields spelled out: a Tensor's ptr is a getter, which object spread would drop
const zeroAlong = (t: Strided, dim: number): Strided => ({ ptr: t.ptr, shape: t.shape, dtype: t.dtype, strides: t.strides.map((s, d) => (d === dim ? 0 : s)) });

/** Walks index's shape over (out, index, other); `indexed` is the operand addressed through index along dim. */
function walk(name: string, out: Strided, index: Strided, other: Strided, indexed: 0 | 2, dim: number): void {
  const shape = index.shape;
  if (numelOf(shape) === 0) return;
  const ops = [out, index, other];
  const nd = Math.max(shape.length, 1);
  const m = meta(walkWords(nd, 3));
  if (shape.length === 0) {
    m[0] = 1;
    for (let j = 0; j < 3; j++) m[1 + j] = 0;
  } else {
    m.set(shape, 0);
    ops.forEach((o, j) => {
      const size = itemSize(o.dtype);
      for (let d = 0; d < nd; d++) m[nd * (1 + j) + d] = j === indexed && d === dim ? 0 : o.strides[d] * size;
    });
  }
  const target = ops[indexed];
  const dimStride = (target.strides[dim] ?? 0) * itemSize(target.dtype);
  kernel(name)(nd, wasm().metaPtr, out.ptr, index.ptr, other.ptr, dimStride);
}

/** out[p] = x[p with p[dim] = index[p]] (torch.gather); index must be int64 and in range. */
export function takeAlong(out: Strided, x: Strided, dim: number, index: Strided): void {
  if (out.ptr >= GPU_BASE || x.ptr >= GPU_BASE) return indexed('take', index.shape, out, zeroAlong(x, dim), index, x.strides[dim] ?? 0);
  walk(`take_along_${itemSize(x.dtype)}`, out, index, x, 2, dim);
}

/** out[p with p[dim] = index[p]] += src[p] (scatter_add_). */
export function scatterAdd(out: Strided, src: Strided, dim: number, index: Strided): void {
  if (out.ptr >= GPU_BASE || src.ptr >= GPU_BASE) return indexed('add', index.shape, zeroAlong(out, dim), src, index, out.strides[dim] ?? 0);
  walk(`scatter_add_${KERNEL_SUFFIX[out.dtype]}`, out, index, src, 0, dim);
}
