// The plain-JS reference the hostile-call fuzzer (fuzz.test.ts) checks the
// library against: argument arbitraries, valid and invalid, and for each op
// the answer PyTorch gives, 'error' where it refuses, or 'any' where the
// model does not say.
import fc from 'fast-check';
import * as torch from 'torchlet';
import { DTYPES, broadcastModel, castValue, contiguousStrides, forEachIndex, isFloat, make, numel, promoteModel, shapeArb, sourceIndex, type DType } from './util';

/** A base tensor of any dtype, with small values its dtype holds exactly. */
export const baseArb = fc
  .tuple(shapeArb(4, 4, 1), fc.constantFrom(...DTYPES))
  .chain(([shape, dtype]) => {
    const value = dtype === 'bool' ? fc.integer({ min: 0, max: 1 }) : dtype === 'uint8' ? fc.integer({ min: 0, max: 9 }) : fc.integer({ min: -9, max: 9 });
    return fc.tuple(fc.constant(shape), fc.constant(dtype), fc.array(value, { minLength: numel(shape), maxLength: numel(shape) }));
  });


/** The answer, or 'error' when the call must throw, or 'any' where the reference does not model the case. */
export type Ref = { shape: number[]; values: number[]; dtype?: DType; tol?: number } | 'error' | 'any';
export interface View {
  shape: number[];
  dtype: DType;
  values: number[];
}
export type Arg = unknown;
interface OpSpec {
  args: fc.Arbitrary<Arg[]>;
  run: (t: torch.Tensor, args: Arg[]) => unknown;
  ref: (v: View, args: Arg[]) => Ref;
}

/** A dim argument: usually in range, sometimes just outside, sometimes not an integer. */
const dimArb = fc.oneof({ weight: 8, arbitrary: fc.integer({ min: -5, max: 4 }) }, { weight: 1, arbitrary: fc.constantFrom(0.5, NaN, -Infinity) });
/** A size or index argument. */
const sizeArb = fc.oneof({ weight: 8, arbitrary: fc.integer({ min: -3, max: 5 }) }, { weight: 1, arbitrary: fc.constantFrom(1.5, NaN, Infinity, 2 ** 53) });
const JUNK = [null, undefined, 'a', [1, 2], {}, Symbol('s')] as const;
const otherArb = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 3 }), fc.constantFrom(...DTYPES), fc.nat()).map(([shape, dtype, seed]) => ({ shape, dtype, seed })) },
  { weight: 2, arbitrary: fc.oneof(fc.integer({ min: -9, max: 9 }), fc.constantFrom(2.5, -0.5, NaN)) },
  { weight: 1, arbitrary: fc.constantFrom(...JUNK) },
);

const isInt = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x);
/** PyTorch's maybe_wrap_dim: a 0-d tensor takes dims -1 and 0. */
function wrap(d: Arg, nd: number): number | null {
  const n = Math.max(nd, 1);
  return isInt(d) && d >= -n && d < n ? (d < 0 ? d + n : d) : null;
}
const strides = contiguousStrides;
const at = (v: View, idx: number[]): number => v.values[idx.reduce((p, i, d) => p + i * strides(v.shape)[d], 0)];
/** Applies fn to every output index; the source is read by `from` (an index into v). */
function gatherRef(v: View, shape: number[], from: (idx: number[]) => number[], dtype?: DType): Ref {
  const values: number[] = [];
  forEachIndex(shape, (idx) => values.push(at(v, from(idx))));
  return { shape, values, dtype: dtype ?? v.dtype };
}
const reduceDtype = (d: DType): DType => (isFloat(d) ? d : 'int64');

type Other = { shape: number[]; dtype: DType; seed: number };
function otherView(o: Other): View {
  const raw = (i: number) => ((o.seed + i * 7) % 19) - 9;
  const unsigned = o.dtype === 'uint8' || o.dtype === 'bool';
  return { shape: o.shape, dtype: o.dtype, values: Array.from({ length: numel(o.shape) }, (_, i) => castValue(unsigned ? Math.abs(raw(i)) : raw(i), o.dtype)) };
}
const otherTensor = (o: Other): torch.Tensor => make(o.shape, o.dtype, otherView(o).values);
const isOther = (o: Arg): o is Other => typeof o === 'object' && o !== null && 'seed' in o;

/** PyTorch's type categories: a 0-d operand (or a scalar) decides the dtype only from a higher one. */
const category = (d: DType): number => (d === 'bool' ? 0 : isFloat(d) ? 2 : 1);

function binaryRef(v: View, o: Arg, f: (a: number, b: number) => number, bool = false): Ref {
  let w: View;
  let dtype: DType;
  if (typeof o === 'number') {
    // a negative scalar against uint8 or bool wraps first: not modelled
    if (o < 0 && (v.dtype === 'uint8' || v.dtype === 'bool')) return 'any';
    const kind: DType = Number.isInteger(o) ? 'int64' : 'float32';
    w = { shape: [], dtype: kind, values: [o] };
    dtype = category(kind) > category(v.dtype) ? kind : v.dtype;
  } else if (isOther(o)) {
    w = otherView(o);
    const zero = (x: View) => x.shape.length === 0;
    dtype = promoteModel(v.dtype, w.dtype);
    if (zero(v) !== zero(w)) {
      const [dim, z] = zero(v) ? [w, v] : [v, w];
      dtype = category(z.dtype) > category(dim.dtype) ? z.dtype : dim.dtype;
    }
  } else return 'error';
  const shape = broadcastModel(v.shape, w.shape);
  if (!shape) return 'error';
  const values: number[] = [];
  forEachIndex(shape, (idx) => {
    const a = v.values[sourceIndex(idx, v.shape)], b = w.values[sourceIndex(idx, w.shape)];
    // operands are cast to the computation's dtype first (a 0-d int32 -1 against uint8 is 255)
    const r = f(castValue(a, dtype), castValue(b, dtype));
    values.push(bool ? r : castValue(r, dtype));
  });
  return { shape, values, dtype: bool ? 'bool' : dtype };
}
const binary = (name: 'add' | 'mul' | 'maximum' | 'eq', f: (a: number, b: number) => number, bool = false): OpSpec => ({
  args: otherArb.map((o) => [o]),
  run: (t, [o]) => (t[name] as (x: unknown) => torch.Tensor)(isOther(o) ? otherTensor(o) : o),
  ref: (v, [o]) => binaryRef(v, o, f, bool),
});

export const OPS: Record<string, OpSpec> = {
  sum: {
    args: fc.tuple(dimArb, fc.boolean()),
    run: (t, [d, k]) => t.sum(d as number, k as boolean),
    ref: (v, [d, k]) => {
      const w = wrap(d, v.shape.length);
      if (w === null) return 'error';
      if (v.shape.length === 0) return { shape: [], values: v.values, dtype: reduceDtype(v.dtype) };
      const shape = v.shape.map((s, i) => (i === w ? 1 : s));
      const values = new Array(numel(shape)).fill(0);
      forEachIndex(v.shape, (idx, i) => (values[sourceIndex(idx.map((x, j) => (j === w ? 0 : x)), shape)] += v.values[i]));
      return { shape: k ? shape : shape.filter((_, i) => i !== w), values, dtype: reduceDtype(v.dtype) };
    },
  },
  argmax: {
    args: fc.tuple(dimArb),
    run: (t, [d]) => t.argmax(d as number),
    ref: (v, [d]) => {
      const w = wrap(d, v.shape.length);
      if (w === null || (v.shape.length && v.shape[w] === 0) || v.dtype === 'bool') return 'error';
      if (v.shape.length === 0) return { shape: [], values: [0], dtype: 'int64' };
      const shape = v.shape.filter((_, i) => i !== w);
      const best: number[] = [];
      const idxs: number[] = [];
      forEachIndex(v.shape, (idx, i) => {
        const o = sourceIndex(idx.filter((_, j) => j !== w), shape);
        if (best[o] === undefined || v.values[i] > best[o]) [best[o], idxs[o]] = [v.values[i], idx[w]];
      });
      return { shape, values: idxs, dtype: 'int64' };
    },
  },
  cumsum: {
    args: fc.tuple(dimArb),
    run: (t, [d]) => t.cumsum(d as number),
    ref: (v, [d]) => {
      const w = wrap(d, v.shape.length);
      if (w === null) return 'error';
      const values = [...v.values];
      const st = v.shape.length ? strides(v.shape)[w] : 0;
      forEachIndex(v.shape, (idx, i) => {
        if (v.shape.length && idx[w] > 0) values[i] += values[i - st];
      });
      return { shape: v.shape, values, dtype: reduceDtype(v.dtype) };
    },
  },
  flip: {
    args: fc.tuple(fc.array(dimArb, { maxLength: 3 })),
    run: (t, [ds]) => t.flip(ds as number[]),
    ref: (v, [ds]) => {
      const w = (ds as Arg[]).map((d) => wrap(d, v.shape.length));
      if (w.some((d) => d === null) || new Set(w).size !== w.length) return 'error';
      return gatherRef(v, v.shape, (idx) => idx.map((x, j) => (w.includes(j) ? v.shape[j] - 1 - x : x)));
    },
  },
  narrow: {
    args: fc.tuple(dimArb, sizeArb, sizeArb),
    run: (t, [d, s, l]) => t.narrow(d as number, s as number, l as number),
    ref: (v, [d, s, l]) => {
      const w = wrap(d, v.shape.length);
      if (w === null || v.shape.length === 0 || !isInt(s) || !isInt(l)) return 'error';
      const size = v.shape[w];
      if (s < -size || s > size || l < 0) return 'error';
      const start = s < 0 ? s + size : s;
      if (start + l > size) return 'error';
      return gatherRef(v, v.shape.map((x, j) => (j === w ? l : x)), (idx) => idx.map((x, j) => (j === w ? x + start : x)));
    },
  },
  select: {
    args: fc.tuple(dimArb, sizeArb),
    run: (t, [d, i]) => t.select(d as number, i as number),
    ref: (v, [d, i]) => {
      const w = wrap(d, v.shape.length);
      if (w === null || v.shape.length === 0 || !isInt(i) || i < -v.shape[w] || i >= v.shape[w]) return 'error';
      const k = i < 0 ? i + v.shape[w] : i;
      return gatherRef(v, v.shape.filter((_, j) => j !== w), (idx) => [...idx.slice(0, w), k, ...idx.slice(w)]);
    },
  },
  permute: {
    args: fc.tuple(fc.array(dimArb, { maxLength: 5 })),
    run: (t, [p]) => t.permute(p as number[]),
    ref: (v, [p]) => {
      const w = (p as Arg[]).map((d) => wrap(d, v.shape.length));
      if (w.length !== v.shape.length || w.some((d) => d === null) || new Set(w).size !== w.length) return 'error';
      const perm = w as number[];
      return gatherRef(v, perm.map((d) => v.shape[d]), (idx) => {
        const src = new Array(idx.length);
        perm.forEach((d, i) => (src[d] = idx[i]));
        return src;
      });
    },
  },
  transpose: {
    args: fc.tuple(dimArb, dimArb),
    run: (t, [a, b]) => t.transpose(a as number, b as number),
    ref: (v, [a, b]) => {
      const i = wrap(a, v.shape.length), j = wrap(b, v.shape.length);
      if (i === null || j === null) return 'error';
      if (v.shape.length === 0) return { shape: [], values: v.values, dtype: v.dtype };
      const sw = (xs: number[]) => xs.map((x, k) => (k === i ? xs[j] : k === j ? xs[i] : x));
      return gatherRef(v, sw(v.shape), sw);
    },
  },
  reshape: {
    args: fc.tuple(fc.array(fc.oneof({ weight: 6, arbitrary: fc.integer({ min: -2, max: 6 }) }, { weight: 1, arbitrary: fc.constantFrom(1.5, NaN, 'x') }), { maxLength: 4 })),
    run: (t, [s]) => t.reshape(s as number[]),
    ref: (v, [s]) => {
      const sizes = s as Arg[];
      if (!sizes.every((x) => isInt(x) && x >= -1) || sizes.filter((x) => x === -1).length > 1) return 'error';
      const known = numel((sizes as number[]).filter((x) => x !== -1));
      const n = numel(v.shape);
      let shape = sizes as number[];
      if (shape.includes(-1)) {
        if (known === 0 || n % known !== 0) return 'error';
        shape = shape.map((x) => (x === -1 ? n / known : x));
      }
      if (numel(shape) !== n) return 'error';
      return { shape, values: v.values, dtype: v.dtype };
    },
  },
  expand: {
    args: fc.tuple(fc.array(fc.integer({ min: -2, max: 4 }), { maxLength: 5 })),
    run: (t, [s]) => t.expand(s as number[]),
    ref: (v, [s]) => {
      const sizes = s as number[];
      const lead = sizes.length - v.shape.length;
      if (lead < 0) return 'error';
      const shape: number[] = [];
      for (let i = 0; i < sizes.length; i++) {
        const want = sizes[i], have = i < lead ? null : v.shape[i - lead];
        if (have === null) {
          if (want < 0) return 'error';
          shape.push(want);
        } else if (want === -1 || want === have) shape.push(have);
        else if (have === 1 && want >= 0) shape.push(want);
        else return 'error';
      }
      return gatherRef(v, shape, (idx) => idx.slice(lead).map((x, j) => (v.shape[j] === 1 ? 0 : x)));
    },
  },
  indexSelect: {
    args: fc.tuple(dimArb, fc.array(fc.integer({ min: -2, max: 5 }), { maxLength: 4 }), fc.constantFrom<DType>('int64', 'int32', 'float32')),
    run: (t, [d, ix, dt]) => torch.tidy(() => t.indexSelect(d as number, torch.tensor(ix as number[], { dtype: dt as DType }))),
    ref: (v, [d, ix, dt]) => {
      const w = wrap(d, v.shape.length);
      const idx = ix as number[];
      if (w === null || dt === 'float32') return 'error';
      const size = v.shape.length ? v.shape[w] : 1;
      if (idx.some((i) => i < 0 || i >= size)) return 'error';
      if (v.shape.length === 0) return idx.length === 1 ? { shape: [], values: v.values, dtype: v.dtype } : 'error';
      return gatherRef(v, v.shape.map((x, j) => (j === w ? idx.length : x)), (o) => o.map((x, j) => (j === w ? idx[x] : x)));
    },
  },
  cat: {
    args: fc.tuple(otherArb, dimArb),
    run: (t, [o, d]) => torch.cat([t, isOther(o) ? otherTensor(o) : (o as torch.Tensor)], d as number),
    ref: (v, [o, d]) => {
      if (!isOther(o)) return 'error';
      const w = otherView(o);
      const legacy = (x: View) => x.shape.length === 1 && x.shape[0] === 0;
      const parts = [v, w].filter((x) => !legacy(x));
      if (v.shape.length === 0) return 'error';
      const dtype = promoteModel(v.dtype, w.dtype);
      if (parts.length === 0) return { shape: [0], values: [], dtype };
      const nd = parts[0].shape.length;
      const dim = wrap(d, nd);
      if (dim === null || parts.some((x) => x.shape.length !== nd || x.shape.some((s, j) => j !== dim && s !== parts[0].shape[j]))) return 'error';
      if (parts.length === 1) return { shape: parts[0].shape, values: parts[0].values, dtype };
      const shape = v.shape.map((s, j) => (j === dim ? s + w.shape[j] : s));
      const values: number[] = [];
      forEachIndex(shape, (idx) => values.push(idx[dim] < v.shape[dim] ? at(v, idx) : at(w, idx.map((x, j) => (j === dim ? x - v.shape[dim] : x)))));
      return { shape, values, dtype };
    },
  },
  softmax: {
    args: fc.tuple(dimArb),
    run: (t, [d]) => t.softmax(d as number),
    ref: (v, [d]) => {
      const w = wrap(d, v.shape.length);
      if (w === null || !isFloat(v.dtype)) return 'error';
      if (v.shape.length === 0) return { shape: [], values: [1], dtype: v.dtype };
      const sums = new Map<number, number>();
      const key = (idx: number[]) => sourceIndex(idx.map((x, j) => (j === w ? 0 : x)), v.shape.map((s, j) => (j === w ? 1 : s)));
      forEachIndex(v.shape, (idx, i) => sums.set(key(idx), (sums.get(key(idx)) ?? 0) + Math.exp(v.values[i])));
      const values: number[] = [];
      forEachIndex(v.shape, (idx, i) => values.push(Math.exp(v.values[i]) / sums.get(key(idx))!));
      return { shape: v.shape, values, dtype: v.dtype, tol: 1e-5 };
    },
  },
  matmul: {
    args: otherArb.map((o) => [o]),
    run: (t, [o]) => t.matmul(isOther(o) ? otherTensor(o) : (o as torch.Tensor)),
    ref: (v, [o]) => {
      if (!isOther(o)) return 'error';
      const w = otherView(o);
      const a = v.shape, b = w.shape;
      if (a.length === 0 || b.length === 0 || v.dtype !== w.dtype || v.dtype === 'bool') return 'error';
      if (a.length > 2 || b.length > 2) return 'any'; // batched products are covered by tests/ops/matmul_paths.test.ts
      const [M, K] = a.length === 1 ? [1, a[0]] : a;
      const [K2, N] = b.length === 1 ? [b[0], 1] : b;
      if (K !== K2) return 'error';
      const values: number[] = [];
      for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) {
        let s = 0;
        for (let k = 0; k < K; k++) s += v.values[i * K + k] * w.values[k * N + j];
        values.push(castValue(s, v.dtype));
      }
      return { shape: [...(a.length === 2 ? [M] : []), ...(b.length === 2 ? [N] : [])], values, dtype: v.dtype };
    },
  },
  add: binary('add', (a, b) => a + b),
  mul: binary('mul', (a, b) => a * b),
  maximum: binary('maximum', (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.max(a, b))),
  eq: binary('eq', (a, b) => (a === b ? 1 : 0), true),
};

/** PyTorch's can_cast for in-place results: no float into an integer, nothing but bool into bool. */
const canCast = (from: DType, to: DType): boolean => !(isFloat(from) && !isFloat(to)) && !(to === 'bool' && from !== 'bool');

/** The new values of a view written in place, or 'error' / 'any' (see Ref). */
type Write = number[] | 'error' | 'any';
interface InplaceSpec {
  args: fc.Arbitrary<Arg[]>;
  run: (t: torch.Tensor, args: Arg[]) => unknown;
  ref: (v: View, args: Arg[]) => Write;
}
const written = (v: View, r: Ref): Write => {
  if (r === 'error' || r === 'any') return r;
  if (r.shape.join() !== v.shape.join() || !canCast(r.dtype!, v.dtype)) return 'error';
  return r.values.map((x) => castValue(x, v.dtype));
};
export const INPLACE: Record<string, InplaceSpec> = {
  add_: { args: otherArb.map((o) => [o]), run: (t, [o]) => t.add_((isOther(o) ? otherTensor(o) : o) as torch.Tensor), ref: (v, [o]) => written(v, binaryRef(v, o, (a, b) => a + b)) },
  mul_: { args: otherArb.map((o) => [o]), run: (t, [o]) => t.mul_((isOther(o) ? otherTensor(o) : o) as torch.Tensor), ref: (v, [o]) => written(v, binaryRef(v, o, (a, b) => a * b)) },
  copy_: {
    args: otherArb.map((o) => [o]),
    run: (t, [o]) => t.copy_((isOther(o) ? otherTensor(o) : o) as torch.Tensor),
    ref: (v, [o]) => {
      if (!isOther(o)) return 'error';
      const w = otherView(o);
      const shape = broadcastModel(v.shape, w.shape);
      if (!shape || shape.join() !== v.shape.join()) return 'error';
      const out: number[] = [];
      forEachIndex(v.shape, (idx) => out.push(castValue(w.values[sourceIndex(idx, w.shape)], v.dtype)));
      return out;
    },
  },
  fill_: {
    args: fc.oneof(fc.integer({ min: -9, max: 9 }), fc.constantFrom(2.5, -1.5, 'x', null)).map((x) => [x]),
    run: (t, [x]) => t.fill_(x as number),
    ref: (v, [x]) => {
      if (typeof x !== 'number') return 'error';
      if (x < 0 && (v.dtype === 'uint8' || v.dtype === 'bool')) return 'any';
      return v.values.map(() => castValue(x, v.dtype));
    },
  },
};
