// Kernel calls that fill tensors with random values, visiting elements in
// the order PyTorch's TensorIterator does: increasing memory address (the
// dims sorted by stride, outermost largest). A transposed tensor therefore
// receives the same stream as its contiguous base, exactly as in PyTorch.
// Callers validate arguments; this file only lays out and dispatches.
import { Tensor } from '../tensor/tensor';
import { itemSize, type DType } from '../tensor/dtype';
import { collapse, kernel, meta, cast, walkWords, type Strided } from '../devices/wasm/backend';
import { wasm } from '../devices/wasm/module';
import { expandStrides } from '../tensor/shape';
import type { Generator } from './generator';
import { GPU_BASE } from '../devices/webgpu/runtime';
import { toGpu } from '../tensor/device';

/**
 * Random streams are drawn on wasm (PyTorch's generator lives there) and a
 * GPU tensor receives the values by upload. A contiguous GPU tensor gets
 * exactly the values a wasm one would; a strided view gets them in
 * row-major order instead of memory order.
 */
function drawnOnWasm<R>(t: Tensor, fill: (w: Tensor) => R): R {
  if (t.storage.ptr < GPU_BASE) return fill(t);
  const w = Tensor.empty(t.shape, t.dtype);
  try {
    const r = fill(w);
    const g = toGpu(w);
    cast(t, g);
    g.dispose();
    return r;
  } finally {
    w.dispose();
  }
}

/** Kernels with i64 parameters take BigInts from JS. */
type WideKernel = (...args: (number | bigint)[]) => number;

const OVERLAP =
  'unsupported operation: more than one element of the written-to tensor refers to a single memory location. Please clone() the tensor before performing the operation.';

/** Dimension order (outermost first) in which `out` is laid out in memory; size-1 dims dropped. */
function memoryOrder(out: Strided): number[] {
  const dims: number[] = [];
  for (let d = 0; d < out.shape.length; d++) {
    if (out.shape[d] === 1) continue;
    if (out.strides[d] === 0) throw new Error(OVERLAP);
    dims.push(d);
  }
  // stable: equal strides keep their order
  return dims.sort((a, b) => out.strides[b] - out.strides[a]);
}

/** Writes the meta block for walking `ops` over out's memory order; returns the collapsed rank. */
function layout(ops: readonly Strided[]): number {
  const order = memoryOrder(ops[0]);
  const shape = order.map((d) => ops[0].shape[d]);
  const [cs, cst] = collapse(shape, ops.map((o) => order.map((d) => o.strides[d])));
  const nd = cs.length;
  const m = meta(walkWords(nd, ops.length));
  m.set(cs, 0);
  ops.forEach((o, j) => {
    for (let d = 0; d < nd; d++) m[nd * (1 + j) + d] = cst[j][d] * itemSize(o.dtype);
  });
  return nd;
}

const SUFFIX: Record<DType, string> = { float32: 'f32', float64: 'f64', int32: 'i32', int64: 'i64', uint8: 'u8', bool: 'bool' };

/** Throws PyTorch's overlap error for expanded outputs even when they are empty. */
export function checkWritable(t: Tensor): void {
  if (t.numel() > 0) memoryOrder(t);
}

export function fillUniform(t: Tensor, from: number, to: number, gen: Generator): void {
  if (t.storage.ptr >= GPU_BASE) return drawnOnWasm(t, (w) => fillUniform(w, from, to, gen));
  if (t.numel() === 0) return;
  const nd = layout([t]);
  kernel(`uniform_${SUFFIX[t.dtype]}`)(gen._ptr, nd, wasm().metaPtr, t.ptr, from, to);
}

/** normal_: the block-of-16 fill for contiguous tensors of >= 16 elements, else value by value. */
export function fillNormal(t: Tensor, mean: number, std: number, gen: Generator): void {
  if (t.storage.ptr >= GPU_BASE) return drawnOnWasm(t, (w) => fillNormal(w, mean, std, gen));
  const n = t.numel();
  if (n === 0) return;
  if (n >= 16 && t.isContiguous()) {
    kernel(`normal_fill_${SUFFIX[t.dtype]}`)(gen._ptr, t.ptr, n, mean, std);
    return;
  }
  const nd = layout([t]);
  kernel(`normal_${SUFFIX[t.dtype]}`)(gen._ptr, nd, wasm().metaPtr, t.ptr, mean, std);
}

/** Every element = draw % range + base (range 0n meaning 2^64: the raw 64-bit draw). */
export function fillRandom(t: Tensor, range: bigint, base: bigint, gen: Generator): void {
  if (t.storage.ptr >= GPU_BASE) return drawnOnWasm(t, (w) => fillRandom(w, range, base, gen));
  if (t.numel() === 0) return;
  const nd = layout([t]);
  const f = kernel(`random_${SUFFIX[t.dtype]}`) as unknown as WideKernel;
  f(gen._ptr, nd, wasm().metaPtr, t.ptr, BigInt.asIntN(64, range), BigInt.asIntN(64, base));
}

/** A fresh int64 permutation of [0, n). */
export function permutation(n: number, gen: Generator): Tensor {
  const t = Tensor.empty([n], 'int64');
  if (n > 0) kernel('randperm_i64')(gen._ptr, t.ptr, n);
  return t;
}

/**
 * Bernoulli draws land in a uint8 scratch tensor walked in t's memory
 * order, then are cast into t. `prob` is a number or a float tensor that
 * broadcasts to t. Returns the flat index of the first probability outside
 * [0, 1] (draws up to it are consumed, as in PyTorch), or -1.
 */
export function fillBernoulli(t: Tensor, prob: number | Tensor, gen: Generator): number {
  if (typeof prob !== 'number' && prob.storage.ptr >= GPU_BASE) throw new Error('bernoulli with a webgpu probability tensor is not implemented; use a number, or draw on wasm');
  if (t.storage.ptr >= GPU_BASE) return drawnOnWasm(t, (w) => fillBernoulli(w, prob, gen));
  if (t.numel() === 0) return -1;
  const order = memoryOrder(t);
  const shape = order.map((d) => t.shape[d]);
  const scratch = Tensor.empty(shape, 'uint8');
  try {
    const tv: Strided = { ptr: t.ptr, shape, strides: order.map((d) => t.strides[d]), dtype: t.dtype };
    let bad = -1;
    if (typeof prob === 'number') {
      const nd = layout([scratch]);
      kernel('bernoulli_scalar')(gen._ptr, nd, wasm().metaPtr, scratch.ptr, prob);
    } else {
      const full = expandStrides(prob.shape, prob.strides, t.shape);
      const pv: Strided = { ptr: prob.ptr, shape, strides: order.map((d) => full[d]), dtype: prob.dtype };
      const nd = layout([scratch, pv]);
      bad = kernel(`bernoulli_${SUFFIX[prob.dtype]}`)(gen._ptr, nd, wasm().metaPtr, scratch.ptr, prob.ptr);
    }
    if (bad < 0) cast(tv, scratch);
    return bad;
  } finally {
    scratch.dispose();
  }
}
