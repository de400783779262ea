// Shared pieces of the property suites: fast-check arbitraries for shapes,
// dtypes and values, and small independent JS models of broadcasting,
// promotion and casting that the library is checked against.
import fc from 'fast-check';
import * as torch from 'torchlet';

export type DType = 'float32' | 'float64' | 'int32' | 'int64' | 'uint8' | 'bool';
export const DTYPES: readonly DType[] = ['float32', 'float64', 'int32', 'int64', 'uint8', 'bool'];
export const isFloat = (d: DType): boolean => d === 'float32' || d === 'float64';

/** Runs per property: enough to find layout bugs, few enough for a few seconds per file. */
export const RUNS = { numRuns: 150 };

export const numel = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

export function contiguousStrides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    s[d] = acc;
    acc *= Math.max(shape[d], 1);
  }
  return s;
}

/** A contiguous tensor of `shape` holding `values` (row-major) as `dtype`. */
export function make(shape: readonly number[], dtype: DType, values: readonly number[]): torch.Tensor {
  return torch.tidy(() => torch.tensor([...values], { dtype }).reshape([...shape]).contiguous());
}

/** Row-major values as plain numbers (bool as 0/1). */
export function flat(t: torch.Tensor): number[] {
  return Array.from(t.toTypedArray() as ArrayLike<number | bigint>, Number);
}

export const shapeArb = (maxRank = 4, maxDim = 4, minDim = 0): fc.Arbitrary<number[]> =>
  fc.array(fc.integer({ min: minDim, max: maxDim }), { maxLength: maxRank });

/** Small exact values for dtype: integers (so float sums and products stay exact), 0/1 for bool. */
export function valueArb(dtype: DType): fc.Arbitrary<number> {
  switch (dtype) {
    case 'bool': return fc.integer({ min: 0, max: 1 });
    case 'uint8': return fc.integer({ min: 0, max: 255 });
    default: return fc.integer({ min: -9, max: 9 });
  }
}

export const valuesArb = (dtype: DType, n: number): fc.Arbitrary<number[]> => fc.array(valueArb(dtype), { minLength: n, maxLength: n });

// ---- independent models -----------------------------------------------------

/** NumPy/PyTorch broadcasting of two shapes, or null when they do not broadcast. */
export function broadcastModel(a: readonly number[], b: readonly number[]): number[] | null {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1;
    const y = b[b.length - n + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) return null;
    out.push(x === 1 ? y : x);
  }
  return out;
}

/** Row-major index into `shape` of the element a broadcast output index reads. */
export function sourceIndex(outIdx: readonly number[], shape: readonly number[]): number {
  const off = outIdx.length - shape.length;
  let linear = 0;
  for (let d = 0; d < shape.length; d++) linear = linear * shape[d] + (shape[d] === 1 ? 0 : outIdx[off + d]);
  return linear;
}

export function forEachIndex(shape: readonly number[], fn: (idx: number[], linear: number) => void): void {
  const n = numel(shape);
  const idx = new Array<number>(shape.length).fill(0);
  for (let i = 0; i < n; i++) {
    fn(idx, i);
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++idx[d] < shape[d]) break;
      idx[d] = 0;
    }
  }
}

const ORDER: readonly DType[] = ['bool', 'uint8', 'int32', 'int64', 'float32', 'float64'];
/** For this dtype set PyTorch's promote_types is the max along one chain. */
export const promoteModel = (a: DType, b: DType): DType => (ORDER.indexOf(a) >= ORDER.indexOf(b) ? a : b);

/** A value of dtype `from` (a small number) converted to `to` the way PyTorch casts. */
export function castValue(v: number, to: DType): number {
  switch (to) {
    case 'bool': return v !== 0 ? 1 : 0;
    case 'uint8': return ((Math.trunc(v) % 256) + 256) % 256;
    case 'int32': return Math.trunc(v) | 0;
    case 'int64': return Math.trunc(v);
    case 'float32': return Math.fround(v);
    case 'float64': return v;
  }
}

/** Brings an exact result into dtype's range and precision. */
export const inDType = castValue;
