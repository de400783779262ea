// Matrix products: dot, mv, mm, bmm, outer and matmul with all of
// PyTorch's rank rules. Every product runs the one GEMM kernel on strided
// views (a transposed operand is packed, never copied first), and each
// public op records a single backward node with its PyTorch name.
import { Tensor } from '../tensor/tensor';
import { type DType, scalarName } from '../tensor/dtype';
import { broadcastShapes, numel, contiguousStrides } from '../tensor/shape';
import { collapse, type Strided } from '../devices/wasm/backend';
import { gemm } from '../devices/wasm/gemm';
import { needsGrad, record } from '../autograd/record';
import { checkOperand } from './operands';

/** An operand seen as [...batch, rows, cols] with explicit strides. */
interface MatView {
  t: Tensor;
  shape: number[];
  strides: number[];
}

function checkDTypes(a: Tensor, b: Tensor, fn: string): DType {
  if (a.dtype !== b.dtype) {
    throw new Error(`${fn}: expected scalar type ${scalarName(a.dtype)} but found ${scalarName(b.dtype)}`);
  }
  if (a.dtype === 'bool') throw new Error(`"addmm_impl_cpu_" not implemented for 'Bool'`);
  return a.dtype;
}

/** Runs the kernel over [...batch, M, N], looping in JS over batch dims that do not collapse into one. */
function runProduct(out: Strided, a: Strided, b: Strided): void {
  const nb = out.shape.length - 2;
  // the common shapes (a matrix, or one batch dim) go straight to the kernel: per-call cost shows on small products
  if (nb <= 1) {
    const three = (v: Strided): Strided => (nb === 1 ? v : { ptr: v.ptr, shape: [1, v.shape[0], v.shape[1]], strides: [0, v.strides[0], v.strides[1]], dtype: v.dtype });
    gemm(three(out), three(a), three(b));
    return;
  }
  const batch = out.shape.slice(0, nb);
  const [bs, [sa, sb, so]] = collapse(batch, [a.strides.slice(0, nb), b.strides.slice(0, nb), out.strides.slice(0, nb)]);
  const mat = (v: Strided, s: number[], k: number, ptr: number): Strided => ({
    ptr, shape: [bs[k], v.shape[nb], v.shape[nb + 1]], strides: [s[k], v.strides[nb], v.strides[nb + 1]], dtype: v.dtype,
  });
  const inner = bs.length - 1;
  const outer = numel(bs.slice(0, inner));
  const idx = new Array<number>(inner).fill(0);
  const size = (v: Strided): number => (v.dtype === 'float64' || v.dtype === 'int64' ? 8 : 4);
  for (let r = 0; r < outer; r++) {
    let oa = 0, ob = 0, oo = 0;
    for (let d = 0; d < inner; d++) {
      oa += idx[d] * sa[d];
      ob += idx[d] * sb[d];
      oo += idx[d] * so[d];
    }
    gemm(
      mat(out, so, inner, out.ptr + oo * size(out)),
      mat(a, sa, inner, a.ptr + oa * size(a)),
      mat(b, sb, inner, b.ptr + ob * size(b)),
    );
    for (let d = inner - 1; d >= 0; d--) {
      if (++idx[d] < bs[d]) break;
      idx[d] = 0;
    }
  }
}

/** out (shape `outShape`, the same memory as [...batch, M, N]) = A @ B for the given views. */
function product(a: MatView, b: MatView, batch: readonly number[], outShape: readonly number[], dtype: DType): Tensor {
  const M = a.shape[a.shape.length - 2], N = b.shape[b.shape.length - 1];
  const full = [...batch, M, N];
  // read the operands' pointers first: a disposed operand throws before the output exists
  const aPtr = a.t.ptr, bPtr = b.t.ptr;
  const out = Tensor.empty(outShape, dtype, a.t.device);
  runProduct(
    { ptr: out.ptr, shape: full, strides: contiguousStrides(full), dtype },
    { ptr: aPtr, shape: a.shape, strides: a.strides, dtype },
    { ptr: bPtr, shape: b.shape, strides: b.strides, dtype },
  );
  return out;
}

/** The kernels have no byte multiply: uint8 products run in int32 and wrap back, as PyTorch's do. */
function viaInt32(a: Tensor, b: Tensor, op: (a: Tensor, b: Tensor) => Tensor): Tensor {
  const a32 = a.to('int32'), b32 = b.to('int32');
  try {
    const r = op(a32, b32);
    const out = r.to('uint8');
    r.dispose();
    return out;
  } finally {
    a32.dispose();
    b32.dispose();
  }
}

const view = (t: Tensor, shape: number[], strides: number[]): MatView => ({ t, shape, strides });

export function mm(a: Tensor, b: Tensor): Tensor {
  checkOperand('mm', a, 'input', 0, false);
  checkOperand('mm', b, 'mat2', 1, false);
  if (a.ndim !== 2) throw new Error(`self must be a matrix`);
  if (b.ndim !== 2) throw new Error(`mat2 must be a matrix`);
  if (a.shape[1] !== b.shape[0]) {
    throw new Error(`mat1 and mat2 shapes cannot be multiplied (${a.shape[0]}x${a.shape[1]} and ${b.shape[0]}x${b.shape[1]})`);
  }
  const dtype = checkDTypes(a, b, 'mm');
  if (dtype === 'uint8') return viaInt32(a, b, mm);
  const out = product(view(a, [...a.shape], [...a.strides]), view(b, [...b.shape], [...b.strides]), [], [a.shape[0], b.shape[1]], dtype);
  if (needsGrad(a, b)) {
    // as PyTorch's mm_mat1/mat2_backward: a column-major operand (a transpose, as
    // linear's weight.t() is) gets its gradient column-major too, so the
    // leaf's .grad comes out contiguous and the optimizer walks it in order
    record('MmBackward0', [a, b], out, [a, b], (g, [sa, sb]) => [
      columnMajor(sa) ? sb.mm(g.t()).t() : g.mm(sb.t()),
      columnMajor(sb) ? g.t().mm(sa).t() : sa.t().mm(g),
    ]);
  }
  return out;
}

const columnMajor = (t: Tensor): boolean => t.strides[0] === 1 && t.strides[1] === t.shape[0];

export function bmm(a: Tensor, b: Tensor): Tensor {
  checkOperand('bmm', a, 'input', 0, false);
  checkOperand('bmm', b, 'mat2', 1, false);
  if (a.ndim !== 3) throw new Error('batch1 must be a 3D tensor');
  if (b.ndim !== 3) throw new Error('batch2 must be a 3D tensor');
  if (b.shape[0] !== a.shape[0] || b.shape[1] !== a.shape[2]) {
    throw new Error(`Expected size for first two dimensions of batch2 tensor to be: [${a.shape[0]}, ${a.shape[2]}] but got: [${b.shape[0]}, ${b.shape[1]}].`);
  }
  const dtype = checkDTypes(a, b, 'bmm');
  if (dtype === 'uint8') return viaInt32(a, b, bmm);
  const out = product(view(a, [...a.shape], [...a.strides]), view(b, [...b.shape], [...b.strides]), [a.shape[0]], [a.shape[0], a.shape[1], b.shape[2]], dtype);
  if (needsGrad(a, b)) record('BmmBackward0', [a, b], out, [a, b], (g, [sa, sb]) => [g.bmm(sb.transpose(1, 2)), sa.transpose(1, 2).bmm(g)]);
  return out;
}

export function mv(m: Tensor, v: Tensor): Tensor {
  checkOperand('mv', m, 'input', 0, false);
  checkOperand('mv', v, 'vec', 1, false);
  if (m.ndim !== 2 || v.ndim !== 1) throw new Error(`vector + matrix @ vector expected, got 1, ${m.ndim}, ${v.ndim}`);
  if (m.shape[1] !== v.shape[0]) throw new Error(`size mismatch, got input (${m.shape[0]}), mat (${m.shape[0]}x${m.shape[1]}), vec (${v.shape[0]})`);
  const dtype = checkDTypes(m, v, 'mv');
  if (dtype === 'uint8') return viaInt32(m, v, mv);
  const out = product(view(m, [...m.shape], [...m.strides]), view(v, [v.shape[0], 1], [v.strides[0], 0]), [], [m.shape[0]], dtype);
  if (needsGrad(m, v)) record('MvBackward0', [m, v], out, [m, v], (g, [sm, sv]) => [g.outer(sv), sm.t().mv(g)]);
  return out;
}

export function dot(a: Tensor, b: Tensor): Tensor {
  checkOperand('dot', a, 'input', 0, false);
  checkOperand('dot', b, 'tensor', 1, false);
  if (a.ndim !== 1 || b.ndim !== 1) throw new Error(`1D tensors expected, but got ${a.ndim}D and ${b.ndim}D tensors`);
  if (a.shape[0] !== b.shape[0]) {
    throw new Error(`inconsistent tensor size, expected tensor [${a.shape[0]}] and src [${b.shape[0]}] to have the same number of elements, but got ${a.shape[0]} and ${b.shape[0]} elements respectively`);
  }
  if (a.dtype !== b.dtype) throw new Error(`dot : expected both vectors to have same dtype, but found ${scalarName(a.dtype)} and ${scalarName(b.dtype)}`);
  const dtype = checkDTypes(a, b, 'dot');
  if (dtype === 'uint8') return viaInt32(a, b, dot);
  const out = product(view(a, [1, a.shape[0]], [0, a.strides[0]]), view(b, [b.shape[0], 1], [b.strides[0], 0]), [], [], dtype);
  if (needsGrad(a, b)) record('DotBackward0', [a, b], out, [a, b], (g, [sa, sb]) => [sb.mul(g), sa.mul(g)]);
  return out;
}

/** The outer product, which PyTorch computes as a broadcast multiply. */
export function outer(a: Tensor, b: Tensor): Tensor {
  checkOperand('outer', a, 'input', 0, false);
  checkOperand('outer', b, 'vec2', 1, false);
  if (a.ndim !== 1 || b.ndim !== 1) throw new Error(`outer: expected 1D tensors, but got ${a.ndim}D and ${b.ndim}D tensors`);
  return a.reshape(-1, 1).mul(b);
}

/** torch.matmul: dot, mv, mm, or a broadcast batched product, by the ranks of a and b. */
export function matmul(a: Tensor, b: Tensor): Tensor {
  checkOperand('matmul', a, 'input', 0, false);
  checkOperand('matmul', b, 'other', 1, false);
  if (a.ndim === 0 || b.ndim === 0) {
    throw new Error(`both arguments to matmul need to be at least 1D, but they are ${a.ndim}D and ${b.ndim}D`);
  }
  if (a.ndim === 1 && b.ndim === 1) return dot(a, b);
  if (a.ndim === 2 && b.ndim === 1) return mv(a, b);
  if (a.ndim === 2 && b.ndim === 2) return mm(a, b);
  const dtype = checkDTypes(a, b, 'matmul');
  if (dtype === 'uint8') return viaInt32(a, b, matmul);
  // a 1-D operand becomes a row (left) or a column (right) that is dropped from the result
  const aRows = a.ndim === 1 ? [1, a.shape[0]] : a.shape.slice(-2);
  const aRowStrides = a.ndim === 1 ? [0, a.strides[0]] : a.strides.slice(-2);
  const bCols = b.ndim === 1 ? [b.shape[0], 1] : b.shape.slice(-2);
  const bColStrides = b.ndim === 1 ? [b.strides[0], 0] : b.strides.slice(-2);
  const [M, K] = aRows;
  const [K2, N] = bCols;
  const batchA = a.shape.slice(0, -2), batchB = b.ndim > 2 ? b.shape.slice(0, -2) : [];
  if (K !== K2) {
    if (b.ndim <= 2 && a.ndim >= 3) {
      throw new Error(`mat1 and mat2 shapes cannot be multiplied (${numel(a.shape.slice(0, -1))}x${K} and ${K2}x${N})`);
    }
    const B = numel(broadcastShapes(batchA, batchB));
    throw new Error(`Expected size for first two dimensions of batch2 tensor to be: [${B}, ${K}] but got: [${B}, ${K2}].`);
  }
  const batch = broadcastShapes(batchA, batchB);
  const bstrides = (shape: readonly number[], strides: readonly number[]): number[] => {
    const off = batch.length - shape.length;
    return batch.map((s, i) => (i < off || shape[i - off] === 1 ? 0 : strides[i - off]));
  };
  const va = view(a, [...batch, M, K], [...bstrides(batchA, a.strides.slice(0, -2)), ...aRowStrides]);
  const vb = view(b, [...batch, K, N], [...bstrides(batchB, b.strides.slice(0, -2)), ...bColStrides]);
  const outShape = [...batch, ...(a.ndim === 1 ? [] : [M]), ...(b.ndim === 1 ? [] : [N])];
  const out = product(va, vb, batch, outShape, dtype);
  if (needsGrad(a, b)) {
    const aDims = a.ndim, bDims = b.ndim;
    record(aDims === 1 ? 'SqueezeBackward1' : 'UnsafeViewBackward0', [a, b], out, [a, b], (g, [sa, sb]) => {
      const a2 = aDims === 1 ? sa.unsqueeze(0) : sa;
      const b2 = bDims === 1 ? sb.unsqueeze(-1) : sb;
      const g2 = g.reshape([...batch, M, N]);
      const ga = g2.matmul(b2.mT);
      const gb = a2.mT.matmul(g2);
      return [aDims === 1 ? ga.squeeze(-2) : ga, bDims === 1 ? gb.squeeze(-1) : gb];
    });
  }
  return out;
}

declare module '../tensor/tensor' {
  interface Tensor {
    matmul(other: Tensor): Tensor;
    mm(other: Tensor): Tensor;
    bmm(other: Tensor): Tensor;
    mv(vec: Tensor): Tensor;
    dot(other: Tensor): Tensor;
    outer(other: Tensor): Tensor;
  }
}

const proto = Tensor.prototype;
proto.matmul = function (o) { return matmul(this, o); };
proto.mm = function (o) { return mm(this, o); };
proto.bmm = function (o) { return bmm(this, o); };
proto.mv = function (o) { return mv(this, o); };
proto.dot = function (o) { return dot(this, o); };
proto.outer = function (o) { return outer(this, o); };

