// Moving values between JS and wasm memory: nested arrays in, nested
// arrays and typed arrays out. int64 travels as float64 through a kernel
// cast, which is exact for every integer a JS number can hold.
import { type DType, itemSize, promoteTypes } from './dtype';
import { Tensor } from './tensor';
import { numel, fmtShape } from './shape';
import * as backend from '../devices/wasm/backend';
import { wasm } from '../devices/wasm/module';

type Flat = number[];
export type NestedData = number | boolean | readonly NestedData[] | ArrayLike<number>;

const isSeq = (v: unknown): v is ArrayLike<unknown> => Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView));

/** The dtype a typed array implies, as torch.from_numpy would. */
function typedArrayDType(v: unknown): DType | null {
  if (v instanceof Float32Array) return 'float32';
  if (v instanceof Float64Array) return 'float64';
  if (v instanceof Int32Array) return 'int32';
  if (v instanceof BigInt64Array) return 'int64';
  if (v instanceof Uint8Array) return 'uint8';
  return null;
}

export interface Parsed {
  shape: number[];
  values: Flat;
  /** The promoted dtype of the leaves: bool, int64 for integers, float32 for other numbers, a tensor's own dtype. */
  inferred: DType;
  /** Every leaf as an exact integer, when some were BigInts and all are integers (int64 beyond 2^53). */
  exact: bigint[] | null;
}

/** Flattens nested data, checking it is rectangular and numeric (PyTorch's messages). */
export function parseNested(data: unknown): Parsed {
  const shape: number[] = [];
  let probe: unknown = data;
  let typed: DType | null = null;
  while (isSeq(probe)) {
    shape.push(probe.length);
    typed = typedArrayDType(probe);
    if (typed || probe.length === 0) break;
    probe = probe[0];
  }
  const values: Flat = [];
  // BigInt leaves are kept exactly, by position, for int64 values a JS number cannot hold
  const bigs = new Map<number, bigint>();
  // PyTorch's infer_scalar_type: each leaf has a dtype (bool, int64 for integers, the default
  // float32 for other numbers, a tensor's own dtype) and the result promotes them all
  let leafType: DType | null = null;
  const see = (d: DType): void => {
    leafType = leafType === null ? d : promoteTypes(leafType, d);
  };
  // iterative walk: (value, depth) pairs, children pushed in reverse to keep order
  const stack: [unknown, number][] = [[data, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (depth < shape.length) {
      if (!isSeq(v)) throw new TypeError(`not a sequence: expected a sequence at dim ${depth}, got ${typeof v}`);
      if (v.length !== shape[depth]) {
        throw new Error(`expected sequence of length ${shape[depth]} at dim ${depth} (got ${v.length})`);
      }
      if (depth === shape.length - 1 && ArrayBuffer.isView(v)) {
        see(typedArrayDType(v) ?? 'float32');
        for (let i = 0; i < v.length; i++) {
          if (typeof v[i] === 'bigint') bigs.set(values.length, v[i] as bigint);
          values.push(Number(v[i]));
        }
        continue;
      }
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], depth + 1]);
      continue;
    }
    if (typeof v === 'boolean') {
      see('bool');
      values.push(v ? 1 : 0);
    } else if (typeof v === 'number' || typeof v === 'bigint') {
      const x = Number(v);
      see(typeof v === 'bigint' || Number.isInteger(x) ? 'int64' : 'float32');
      if (typeof v === 'bigint') bigs.set(values.length, v);
      values.push(x);
    } else if (isSeq(v)) {
      throw new Error(`expected sequence of length ${shape[depth - 1]} at dim ${depth - 1} (got a deeper sequence)`);
    } else if (v instanceof Tensor) {
      if (v.numel() !== 1) throw new Error('only one element tensors can be converted to Python scalars');
      see(v.dtype);
      values.push(Number(v.item()));
    } else {
      throw new TypeError(`new(): invalid data type '${v === null ? 'null' : typeof v}'`);
    }
  }
  const inferred: DType = typed ?? leafType ?? 'float32';
  const exact = bigs.size && values.every(Number.isInteger) ? values.map((x, i) => bigs.get(i) ?? BigInt(x)) : null;
  return { shape, values, inferred, exact };
}

/** An int64 tensor from exact integers (values beyond 2^53 survive). */
export function fromBigInts(values: readonly bigint[], shape: readonly number[]): Tensor {
  for (const v of values) {
    if (v < -(2n ** 63n) || v >= 2n ** 63n) throw new Error('value cannot be converted to type int64 without overflow');
  }
  const out = Tensor.empty(shape, 'int64');
  if (values.length) new BigInt64Array(wasm().memory.buffer, out.ptr, values.length).set(values);
  return out;
}

const RANGE: Partial<Record<DType, [number, number]>> = {
  uint8: [0, 255],
  int32: [-(2 ** 31), 2 ** 31 - 1],
  int64: [-(2 ** 63), 2 ** 63],
};

/** Writes values (row-major) into a fresh contiguous tensor of `dtype`. */
export function fromFlat(values: ArrayLike<number>, shape: readonly number[], dtype: DType, checkRange = false): Tensor {
  const n = numel(shape);
  if (values.length !== n) throw new Error(`expected ${n} values for shape ${fmtShape(shape)}, got ${values.length}`);
  const range = RANGE[dtype];
  if (checkRange && range) {
    for (let i = 0; i < n; i++) {
      const v = values[i];
      // (negated so that NaN is refused too, as PyTorch does)
      if (!(v >= range[0] && v <= range[1])) throw new Error(`value cannot be converted to type ${dtype} without overflow`);
    }
  }
  const out = Tensor.empty(shape, dtype);
  if (n === 0) return out;
  const buf = wasm().memory.buffer;
  switch (dtype) {
    case 'float32':
      new Float32Array(buf, out.ptr, n).set(values);
      break;
    case 'float64':
      new Float64Array(buf, out.ptr, n).set(values);
      break;
    case 'int32':
      new Int32Array(buf, out.ptr, n).set(Array.from(values, Math.trunc));
      break;
    case 'uint8':
      new Uint8Array(buf, out.ptr, n).set(Array.from(values, Math.trunc));
      break;
    case 'bool': {
      const u8 = new Uint8Array(buf, out.ptr, n);
      for (let i = 0; i < n; i++) u8[i] = values[i] !== 0 ? 1 : 0;
      break;
    }
    case 'int64': {
      const tmp = Tensor.empty(shape, 'float64');
      new Float64Array(wasm().memory.buffer, tmp.ptr, n).set(values);
      backend.cast(out, tmp);
      tmp.dispose();
      break;
    }
  }
  return out;
}

export type FlatArray = Float32Array | Float64Array | Int32Array | Uint8Array;

/** A row-major copy of t's values; int64 comes back as float64, bool as 0/1 bytes. */
export function readFlat(t: Tensor): FlatArray {
  if (t.device !== 'wasm') throw new Error('cannot read a webgpu tensor synchronously; use await x.tolistAsync(), x.itemAsync() or x.toAsync(\'wasm\')');
  const n = t.numel();
  const readAs: DType = t.dtype === 'int64' ? 'float64' : t.dtype;
  let src = t;
  if (readAs !== t.dtype || !t.isContiguous()) {
    src = Tensor.empty(t.shape, readAs);
    backend.cast(src, t);
  }
  const buf = wasm().memory.buffer;
  const at = src.ptr;
  let out: FlatArray;
  switch (readAs) {
    case 'float32': out = new Float32Array(buf, at, n).slice(); break;
    case 'float64': out = new Float64Array(buf, at, n).slice(); break;
    case 'int32': out = new Int32Array(buf, at, n).slice(); break;
    default: out = new Uint8Array(buf, at, n).slice(); break;
  }
  if (src !== t) src.dispose();
  return out;
}

/** Nested JS arrays in t's shape; booleans for bool tensors, numbers otherwise. */
export function toNested(t: Tensor): unknown {
  const flat = readFlat(t);
  const isBool = t.dtype === 'bool';
  const leaf = (i: number): number | boolean => (isBool ? flat[i] !== 0 : flat[i]);
  if (t.ndim === 0) return leaf(0);
  const shape = t.shape;
  if (flat.length === 0) return emptyNested(shape, 0);
  // build bottom-up: rows of the last dim, then group them
  let level: unknown[] = [];
  const last = shape[shape.length - 1];
  const rows = last === 0 ? numel(shape.slice(0, -1)) : flat.length / last;
  for (let r = 0; r < rows; r++) {
    const row = new Array(last);
    for (let i = 0; i < last; i++) row[i] = leaf(r * last + i);
    level.push(row);
  }
  for (let d = shape.length - 2; d >= 0; d--) {
    const size = shape[d];
    const next: unknown[] = [];
    for (let i = 0; i < level.length; i += size) next.push(level.slice(i, i + size));
    level = next;
  }
  return level[0] ?? [];
}

function emptyNested(shape: readonly number[], d: number): unknown[] {
  if (d === shape.length - 1 || shape[d] === 0) return [];
  return Array.from({ length: shape[d] }, () => emptyNested(shape, d + 1));
}

export const bytesOf = (shape: readonly number[], dtype: DType): number => numel(shape) * itemSize(dtype);
