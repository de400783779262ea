// Views against a plain-JS model of (shape, strides, offset) over the base's
// data: random chains of transpose/permute/narrow/select/expand/unsqueeze/
// squeeze/movedim must give PyTorch's strides and offsets, read the values
// the model reads, and behave like their contiguous copy under contiguous(),
// sum, add, mul and matmul. Also: permute round trips and reshape round trips.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as torch from 'torchlet';
import { RUNS, flat, forEachIndex, make, numel } from './util';
import { baseArb, buildView, modelValues, stepArb, type Model } from './viewmodel';

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
          const { t, m, where } = buildView(shape, dtype, values, steps);
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
