// Shape and stride arithmetic: broadcasting, dim wrapping, view strides.
// Messages follow PyTorch's wording so errors read the same in both.

export type Shape = readonly number[];

export function numel(shape: Shape): number {
  let n = 1;
  for (let i = 0; i < shape.length; i++) n *= shape[i];
  return n;
}

export function sameShape(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export const fmtShape = (shape: Shape): string => `[${shape.join(', ')}]`;

export function contiguousStrides(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    strides[d] = s;
    s *= Math.max(shape[d], 1);
  }
  return strides;
}

/** PyTorch's notion: size-1 dims may have any stride; empty tensors are contiguous. */
export function isContiguous(shape: Shape, strides: Shape): boolean {
  let expected = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    if (shape[d] === 0) return true;
    if (shape[d] !== 1) {
      if (strides[d] !== expected) return false;
      expected *= shape[d];
    }
  }
  return true;
}

/** Wraps a possibly negative dim into [0, ndim); 0-d tensors accept -1 and 0. */
export function normDim(dim: unknown, ndim: number): number {
  const n = Math.max(ndim, 1);
  if (typeof dim !== 'number' || !Number.isInteger(dim)) {
    throw new TypeError(`dim must be an integer, got ${typeof dim === 'number' ? dim : typeof dim}`);
  }
  if (dim < -n || dim >= n) {
    throw new RangeError(`Dimension out of range (expected to be in range of [${-n}, ${n - 1}], but got ${dim})`);
  }
  return dim < 0 ? dim + n : dim;
}

/** Normalises a list of dims and refuses repeats, as reductions do. */
export function normDims(dims: readonly number[], ndim: number): number[] {
  if (!Array.isArray(dims)) throw new TypeError(`dims must be a list of ints, got ${dims === null ? 'null' : typeof dims}`);
  const out = dims.map((d) => normDim(d, ndim));
  const seen = new Set<number>();
  for (const d of out) {
    if (seen.has(d)) throw new Error(`dim ${d} appears multiple times in the list of dims`);
    seen.add(d);
  }
  return out;
}

/** Broadcasts left to right, pair by pair, as PyTorch's TensorIterator does (so messages name the same pair). */
export function broadcastShapes(...shapes: Shape[]): number[] {
  let out: number[] = [];
  for (const s of shapes) out = broadcastPair(out, s);
  return out;
}

/** Aligns from the last dim; a mismatch names the dim of the result, "tensor a" being the left side. */
function broadcastPair(a: Shape, b: Shape): number[] {
  const nd = Math.max(a.length, b.length);
  const out = new Array<number>(nd);
  for (let i = nd - 1; i >= 0; i--) {
    const back = nd - 1 - i;
    const sa = back < a.length ? a[a.length - 1 - back] : 1;
    const sb = back < b.length ? b[b.length - 1 - back] : 1;
    if (sa !== sb && sa !== 1 && sb !== 1) {
      throw new Error(`The size of tensor a (${sa}) must match the size of tensor b (${sb}) at non-singleton dimension ${i}`);
    }
    out[i] = sa === 1 ? sb : sa;
  }
  return out;
}

/** Strides that let a tensor of `shape`/`strides` be seen as `target` (broadcast dims get 0). */
export function expandStrides(shape: Shape, strides: Shape, target: Shape): number[] {
  const out = new Array<number>(target.length).fill(0);
  const off = target.length - shape.length;
  for (let d = 0; d < shape.length; d++) out[off + d] = shape[d] === 1 && target[off + d] !== 1 ? 0 : strides[d];
  return out;
}

/** Resolves a single -1 and checks that the element count is preserved. */
export function inferShape(shape: Shape, total: number): number[] {
  let infer = -1;
  let known = 1;
  for (let d = 0; d < shape.length; d++) {
    const s = shape[d];
    if (s === -1) {
      if (infer >= 0) throw new Error('only one dimension can be inferred');
      infer = d;
    } else if (!Number.isInteger(s) || s < 0) {
      throw new Error(`invalid shape dimension ${s}`);
    } else {
      known *= s;
    }
  }
  const out = [...shape];
  if (!(known === total || (infer >= 0 && known > 0 && total % known === 0))) {
    throw new Error(`shape '${fmtShape(shape)}' is invalid for input of size ${total}`);
  }
  if (infer >= 0) {
    if (known === 0) {
      throw new Error(`cannot reshape tensor of 0 elements into shape ${fmtShape(shape)} because the unspecified dimension size -1 can be any value and is ambiguous`);
    }
    out[infer] = total / known;
  }
  return out;
}

/** PyTorch's computeStride: strides for viewing without a copy, or null when impossible. */
export function viewStrides(oldShape: Shape, oldStrides: Shape, newShape: Shape): number[] | null {
  if (oldShape.length === 0) return contiguousStrides(newShape);
  if (numel(oldShape) === 0) {
    return oldShape.join() === newShape.join() ? [...oldStrides] : contiguousStrides(newShape);
  }
  const newStrides = new Array<number>(newShape.length).fill(0);
  let viewD = newShape.length - 1;
  let chunkBase = oldStrides[oldStrides.length - 1];
  let tensorNumel = 1;
  let viewNumel = 1;
  for (let d = oldShape.length - 1; d >= 0; d--) {
    tensorNumel *= oldShape[d];
    if (d === 0 || (oldShape[d - 1] !== 1 && oldStrides[d - 1] !== tensorNumel * chunkBase)) {
      while (viewD >= 0 && (viewNumel < tensorNumel || newShape[viewD] === 1)) {
        newStrides[viewD] = viewNumel * chunkBase;
        viewNumel *= newShape[viewD];
        viewD--;
      }
      if (viewNumel !== tensorNumel) return null;
      if (d > 0) {
        chunkBase = oldStrides[d - 1];
        tensorNumel = 1;
        viewNumel = 1;
      }
    }
  }
  return viewD === -1 ? newStrides : null;
}

/** Largest number of elements a tensor may have (kernels index with i32). */
export const MAX_NUMEL = 2 ** 31 - 1;

/** PyTorch's refusal of a size list with an element that is not an int. */
export function notInt(fn: string, s: unknown, pos: number): TypeError {
  const kind = typeof s === 'number' ? (Number.isNaN(s) ? 'NaN' : 'float') : s === null ? 'null' : typeof s;
  return new TypeError(`${fn}(): argument 'size' must be tuple of ints, but found element of type ${kind} at pos ${pos}`);
}

/**
 * Validates a size list the way torch.zeros does: integers, not negative.
 * `fn` names the caller in messages.
 */
export function checkSize(size: readonly unknown[], fn: string): number[] {
  if (!Array.isArray(size)) throw new TypeError(`${fn}(): argument 'size' must be tuple of ints, not ${size === null ? 'null' : typeof size}`);
  for (let i = 0; i < size.length; i++) {
    const s = size[i];
    if (typeof s !== 'number' || !Number.isInteger(s)) throw notInt(fn, s, i);
  }
  const ints = (size as number[]).map((s) => s + 0); // + 0: a size of -0 is 0
  if (ints.some((s) => s < 0)) {
    throw new RangeError(`Trying to create tensor with negative dimension ${ints.find((s) => s < 0)}: ${fmtShape(ints)}`);
  }
  if (numel(ints) > MAX_NUMEL) {
    throw new RangeError(`${fn}(): a tensor of size ${fmtShape(ints)} has ${numel(ints)} elements, more than the ${MAX_NUMEL} torchlet supports`);
  }
  return ints;
}

/** Accepts sizes as varargs `(2, 3)` or one array `([2, 3])`. */
export function sizeArgs(args: readonly unknown[], fn: string): number[] {
  const list = args.length === 1 && Array.isArray(args[0]) ? (args[0] as unknown[]) : args;
  return checkSize(list, fn);
}
