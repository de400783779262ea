// Views against a plain-JS model of (shape, strides, offset) over the base's
// data: random chains of transpose/permute/narrow/select/expand/unsqueeze/
// squeeze/movedim must give PyTorch's strides and offsets, read the values
// the model reads, and behave like their contiguous copy under contiguous(),
// sum, add, mul and matmul. Also: permute round trips and reshape round trips.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as torch from 'torchlet';
import { RUNS, contiguousStrides, flat, forEachIndex, make, numel, shapeArb, type DType } from './util';

interface Model {
  shape: number[];
  strides: number[];
  offset: number;
}

interface Step {
  kind: number;
  a: number;
  b: number;
  c: number;
}

const stepArb = fc.record({ kind: fc.nat(9), a: fc.nat(1000), b: fc.nat(1000), c: fc.nat(1000) });
const pick = (seed: number, n: number): number => seed % n;

/** Applies one step to the tensor and to the model; returns a label, or null if the step does not fit the shape. */
function apply(t: torch.Tensor, m: Model, s: Step): [torch.Tensor, Model, string] | null {
  const nd = m.shape.length;
  const sw = <T>(xs: T[], i: number, j: number): T[] => {
    const r = [...xs];
    [r[i], r[j]] = [r[j], r[i]];
    return r;
  };
  switch (s.kind) {
    case 0: {
      if (nd === 0) return null;
      const i = pick(s.a, nd), j = pick(s.b, nd);
      return [t.transpose(i, j - nd), { shape: sw(m.shape, i, j), strides: sw(m.strides, i, j), offset: m.offset }, `transpose(${i},${j - nd})`];
    }
    case 1: {
      const perm = m.shape.map((_, i) => i).sort((x, y) => ((x * 7 + s.a) % 11) - ((y * 7 + s.a) % 11) || x - y);
      return [t.permute(perm), { shape: perm.map((d) => m.shape[d]), strides: perm.map((d) => m.strides[d]), offset: m.offset }, `permute(${perm})`];
    }
    case 2: {
      if (nd === 0) return null;
      const d = pick(s.a, nd), size = m.shape[d];
      const start = pick(s.b, size + 1), len = pick(s.c, size - start + 1);
      const shape = [...m.shape];
      shape[d] = len;
      return [t.narrow(d, start, len), { shape, strides: m.strides, offset: m.offset + start * m.strides[d] }, `narrow(${d},${start},${len})`];
    }
    case 3: {
      if (nd === 0) return null;
      const d = pick(s.a, nd), size = m.shape[d];
      if (size === 0) return null;
      const i = pick(s.b, size);
      const idx = s.c % 2 ? i - size : i; // negative indices count from the end
      const keep = (_: number, k: number) => k !== d;
      return [t.select(d, idx), { shape: m.shape.filter(keep), strides: m.strides.filter(keep), offset: m.offset + i * m.strides[d] }, `select(${d},${idx})`];
    }
    case 4: {
      const lead = s.c % 3 === 0 && nd < 5 ? [1 + pick(s.a, 3)] : [];
      const shape = [...lead, ...m.shape.map((v, i) => (v === 1 && (s.b >> i) % 2 ? 1 + pick(s.a + i, 3) : v))];
      const strides = [...lead.map(() => 0), ...m.strides.map((st, i) => (m.shape[i] === 1 && shape[i + lead.length] !== 1 ? 0 : st))];
      return [t.expand(shape), { shape, strides, offset: m.offset }, `expand(${shape})`];
    }
    case 5: {
      if (nd >= 5) return null;
      const d = pick(s.a, nd + 1);
      const stride = d < nd ? m.shape[d] * m.strides[d] : 1;
      return [t.unsqueeze(d), { shape: [...m.shape.slice(0, d), 1, ...m.shape.slice(d)], strides: [...m.strides.slice(0, d), stride, ...m.strides.slice(d)], offset: m.offset }, `unsqueeze(${d})`];
    }
    case 6: {
      const ones = m.shape.map((v, i) => (v === 1 ? i : -1)).filter((i) => i >= 0);
      if (!ones.length) return null;
      const d = ones[pick(s.a, ones.length)];
      const keep = (_: number, k: number) => k !== d;
      return [t.squeeze(d), { shape: m.shape.filter(keep), strides: m.strides.filter(keep), offset: m.offset }, `squeeze(${d})`];
    }
    case 7: {
      if (nd > 2) return null;
      return [t.t(), { shape: [...m.shape].reverse(), strides: [...m.strides].reverse(), offset: m.offset }, 't()'];
    }
    case 8: {
      if (nd === 0) return null;
      const src = pick(s.a, nd), dst = pick(s.b, nd);
      const order = m.shape.map((_, i) => i).filter((i) => i !== src);
      order.splice(dst, 0, src);
      return [t.movedim(src, dst), { shape: order.map((d) => m.shape[d]), strides: order.map((d) => m.strides[d]), offset: m.offset }, `movedim(${src},${dst})`];
    }
    default: {
      if (nd < 2) return null;
      return [t.mT, { shape: sw(m.shape, nd - 2, nd - 1), strides: sw(m.strides, nd - 2, nd - 1), offset: m.offset }, 'mT'];
    }
  }
}

function modelValues(m: Model, base: readonly number[]): number[] {
  const out: number[] = [];
  forEachIndex(m.shape, (idx) => out.push(base[idx.reduce((p, i, d) => p + i * m.strides[d], m.offset)]));
  return out;
}

/** PyTorch's is_contiguous: size-1 dims may have any stride, empty tensors are contiguous. */
function modelContiguous(m: Model): boolean {
  if (numel(m.shape) === 0) return true;
  let expected = 1;
  for (let d = m.shape.length - 1; d >= 0; d--) {
    if (m.shape[d] === 1) continue;
    if (m.strides[d] !== expected) return false;
    expected *= m.shape[d];
  }
  return true;
}

const DT: DType[] = ['float32', 'float64', 'int32', 'int64'];
const baseArb = fc
  .tuple(shapeArb(4, 4, 1), fc.constantFrom(...DT))
  .chain(([shape, dtype]) => fc.tuple(fc.constant(shape), fc.constant(dtype), fc.array(fc.integer({ min: -9, max: 9 }), { minLength: numel(shape), maxLength: numel(shape) })));

function sumAlong(values: number[], shape: number[], d: number): number[] {
  const outShape = shape.filter((_, k) => k !== d);
  const out = new Array<number>(numel(outShape)).fill(0);
  forEachIndex(shape, (idx, i) => {
    const o = idx.filter((_, k) => k !== d).reduce((p, v, k) => p * outShape[k] + v, 0);
    out[o] += values[i];
  });
  return out;
}

/** Batched A @ A^T over the last two dims, in plain JS. */
function gramModel(values: number[], shape: number[]): number[] {
  const [r, c] = shape.slice(-2);
  const batch = numel(shape.slice(0, -2));
  const out: number[] = [];
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < r; i++) {
      for (let j = 0; j < r; j++) {
        let s = 0;
        for (let k = 0; k < c; k++) s += values[b * r * c + i * c + k] * values[b * r * c + j * c + k];
        out.push(s);
      }
    }
  }
  return out;
}

describe('strided views', () => {
  it('a random view chain has PyTorch strides/offset and reads what the model reads', () => {
    fc.assert(
      fc.property(baseArb, fc.array(stepArb, { minLength: 1, maxLength: 6 }), ([shape, dtype, values], steps) => {
        torch.tidy(() => {
          let t = make(shape, dtype, values);
          let m: Model = { shape: [...shape], strides: contiguousStrides(shape), offset: 0 };
          const log: string[] = [];
          for (const s of steps) {
            const r = apply(t, m, s);
            if (!r) continue;
            [t, m] = r;
            log.push(r[2]);
          }
          const where = `${dtype} [${shape}] ${log.join('.')}`;
          expect(t.shape, where).toEqual(m.shape);
          expect(t.stride(), where).toEqual(m.strides);
          expect(t.storageOffset(), where).toBe(m.offset);
          // (empty views are covered by the known-bug test below)
          if (numel(m.shape) > 0) expect(t.isContiguous(), where).toBe(modelContiguous(m));
          const want = modelValues(m, values);
          expect(flat(t), where).toEqual(want);
          const c = t.contiguous();
          expect(c.isContiguous(), where).toBe(true);
          expect(flat(c), where).toEqual(want);
          // through ops: the view and its copy must agree with the model
          expect(Number(t.sum().item()), where).toBe(want.reduce((a, b) => a + b, 0));
          for (let d = 0; d < t.ndim; d++) expect(flat(t.sum(d)), `${where} sum(${d})`).toEqual(sumAlong(want, m.shape, d));
          expect(flat(t.add(c)), where).toEqual(want.map((v) => 2 * v));
          expect(flat(t.mul(t)), where).toEqual(want.map((v) => v * v));
          if (t.ndim >= 2) {
            const g = gramModel(want, m.shape);
            expect(flat(t.matmul(t.mT)), `${where} matmul`).toEqual(g);
            expect(flat(c.matmul(t.mT.contiguous())), `${where} matmul of copies`).toEqual(g);
          } else if (t.ndim === 1) {
            expect(Number(t.dot(t).item()), where).toBe(want.reduce((a, b) => a + b * b, 0));
          }
        });
      }),
      RUNS,
    );
  });

  // KNOWN BUG (src/tensor/shape.ts isContiguous): an empty tensor is contiguous in PyTorch
  // whatever its strides, but torchlet only notices the 0 when it reaches it from the right:
  // zeros([1, 1]).narrow(0, 0, 0).expand(0, 2) has strides [1, 0]: isContiguous() is false (PyTorch: True).
  it.fails('every empty view is contiguous', () => {
    torch.tidy(() => {
      const t = torch.zeros([1, 1]).narrow(0, 0, 0).expand(0, 2);
      expect(t.stride()).toEqual([1, 0]);
      expect(t.isContiguous()).toBe(true);
    });
  });

  it('permute then the inverse permutation is the identity (shape, strides and values)', () => {
    const arb = baseArb.chain(([shape, dtype, values]) => fc.tuple(fc.constant(shape), fc.constant(dtype), fc.constant(values), fc.shuffledSubarray(shape.map((_, i) => i), { minLength: shape.length })));
    fc.assert(
      fc.property(arb, ([shape, dtype, values, perm]) => {
        torch.tidy(() => {
          const x = make(shape, dtype, values).transpose(0, -1);
          const inverse = new Array<number>(perm.length);
          perm.forEach((d, i) => (inverse[d] = i));
          const p = x.permute(perm);
          expect(p.shape).toEqual(perm.map((d) => x.shape[d]));
          const back = p.permute(inverse);
          expect(back.shape).toEqual(x.shape);
          expect(back.stride()).toEqual(x.stride());
          expect(flat(back)).toEqual(flat(x));
        });
      }),
      RUNS,
    );
  });

  it('reshape round trips, from contiguous and from transposed tensors', () => {
    const factors = (n: number): number[] => {
      const f: number[] = [];
      for (let p = 2; n > 1; p++) while (n % p === 0) (f.push(p), (n /= p));
      return f;
    };
    const arb = baseArb.chain(([shape, dtype, values]) =>
      fc.tuple(fc.constant(shape), fc.constant(dtype), fc.constant(values), fc.array(fc.nat(3), { minLength: 8, maxLength: 8 }), fc.boolean()),
    );
    fc.assert(
      fc.property(arb, ([shape, dtype, values, buckets, transpose]) => {
        torch.tidy(() => {
          // a target shape with the same numel: distribute the prime factors over up to 4 dims
          const target = [1, 1, 1, 1];
          factors(numel(shape)).forEach((f, i) => (target[buckets[i % 8]] *= f));
          let x = make(shape, dtype, values);
          if (transpose && x.ndim >= 2) x = x.transpose(0, 1);
          const logical = flat(x);
          const y = x.reshape(target);
          expect(y.shape).toEqual(target);
          expect(flat(y)).toEqual(logical);
          const back = y.reshape(x.shape);
          expect(back.shape).toEqual(x.shape);
          expect(flat(back)).toEqual(logical);
          expect(flat(x.reshape(-1))).toEqual(logical);
          expect(flat(x.flatten())).toEqual(logical);
        });
      }),
      RUNS,
    );
  });
});
