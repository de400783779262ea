// Gathers and scatters through the public API on random strided views:
// indexSelect, indexAdd (every dtype, duplicates accumulate; bool ORs),
// flip, cat and stack, against the view model; bad indices throw without
// leaking.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as torch from 'torchlet';
import { DTYPES, RUNS, type DType, castValue, flat, forEachIndex, make, numel } from './util';
import { baseArb, buildView, modelValues, stepArb } from './viewmodel';

const viewArb = fc.tuple(baseArb, fc.array(stepArb, { maxLength: 4 }), fc.nat(), fc.array(fc.nat(), { maxLength: 7 }), fc.boolean());

/** Row-major values of `shape` where position idx reads model values at read(idx). */
function gatherModel(values: number[], shape: number[], outShape: number[], read: (idx: number[]) => number[]): number[] {
  const strides = shape.map((_, d) => numel(shape.slice(d + 1)));
  const out: number[] = [];
  forEachIndex(outShape, (idx) => out.push(values[read(idx).reduce((p, v, d) => p + v * strides[d], 0)]));
  return out;
}

describe('indexing on random views', () => {
  it('indexSelect equals the model for int64 and int32 indices with duplicates', () => {
    fc.assert(
      fc.property(viewArb, ([[shape, dtype, values], steps, seed, picks, int32]) => {
        torch.tidy(() => {
          const { t, m, where } = buildView(shape, dtype, values, steps);
          fc.pre(t.ndim > 0 && m.shape[seed % t.ndim] > 0);
          const dim = seed % t.ndim;
          const idx = picks.map((p) => p % m.shape[dim]);
          const index = torch.tensor(idx, { dtype: int32 ? 'int32' : 'int64' });
          const r = t.indexSelect(dim, index);
          const outShape = m.shape.map((s, d) => (d === dim ? idx.length : s));
          expect(r.shape, where).toEqual(outShape);
          const want = gatherModel(modelValues(m, values), m.shape, outShape, (i) => i.map((v, d) => (d === dim ? idx[v] : v)));
          expect(flat(r), `${where} indexSelect(${dim}, [${idx}])`).toEqual(want);
        });
      }),
      RUNS,
    );
  });

  it('indexAdd accumulates duplicates for every dtype (bool ORs, uint8 wraps)', () => {
    const arb = fc.tuple(viewArb, fc.constantFrom(...DTYPES), fc.array(fc.integer({ min: -3, max: 3 }), { minLength: 64, maxLength: 64 }));
    fc.assert(
      fc.property(arb, ([[[shape, , values], steps, seed, picks], dtype, srcPool]) => {
        torch.tidy(() => {
          const { t, m, where } = buildView(shape, dtype as DType, values.map((v) => castValue(v, dtype)), steps);
          fc.pre(t.ndim > 0 && m.shape[seed % t.ndim] > 0 && numel(m.shape) > 0);
          const dim = seed % t.ndim;
          const idx = picks.map((p) => p % m.shape[dim]);
          const srcShape = m.shape.map((s, d) => (d === dim ? idx.length : s));
          const srcVals = Array.from({ length: numel(srcShape) }, (_, i) => castValue(srcPool[i % 64], dtype));
          const src = make(srcShape, dtype, srcVals);
          const r = t.indexAdd(dim, torch.tensor(idx, { dtype: 'int64' }), src);
          const want = modelValues(m, values.map((v) => castValue(v, dtype)));
          const strides = m.shape.map((_, d) => numel(m.shape.slice(d + 1)));
          forEachIndex(srcShape, (i, lin) => {
            const p = i.reduce((acc, v, d) => acc + (d === dim ? idx[v] : v) * strides[d], 0);
            want[p] = dtype === 'bool' ? want[p] | srcVals[lin] : castValue(want[p] + srcVals[lin], dtype);
          });
          expect(flat(r), `${where} ${dtype} indexAdd(${dim}, [${idx}])`).toEqual(want);
          if (dtype === 'bool') expect(flat(r.eq(true)), 'bool results are 0/1').toEqual(want);
        });
      }),
      RUNS,
    );
  });

  it('flip, cat and stack of views equal the model', () => {
    fc.assert(
      fc.property(viewArb, ([[shape, dtype, values], steps, seed]) => {
        torch.tidy(() => {
          const { t, m, where } = buildView(shape, dtype, values, steps);
          fc.pre(t.ndim > 0);
          const dim = seed % t.ndim;
          const want = modelValues(m, values);
          const flipped = gatherModel(want, m.shape, m.shape, (i) => i.map((v, d) => (d === dim ? m.shape[d] - 1 - v : v)));
          expect(flat(t.flip([dim])), `${where} flip(${dim})`).toEqual(flipped);
          const cat = t.ndim ? torch.cat([t, t.flip([dim])], dim) : t;
          const catShape = m.shape.map((s, d) => (d === dim ? 2 * s : s));
          const catWant = gatherModel([...want, ...flipped], [2, ...m.shape], catShape, (i) => [Math.floor(i[dim] / m.shape[dim]), ...i.map((v, d) => (d === dim ? v % m.shape[dim] : v))]);
          expect(flat(cat), `${where} cat(${dim})`).toEqual(m.shape[dim] === 0 ? [] : catWant);
          const st = torch.stack([t, t], dim);
          expect(st.shape, where).toEqual([...m.shape.slice(0, dim), 2, ...m.shape.slice(dim)]);
          expect(flat(st.select(dim, 1)), `${where} stack(${dim})`).toEqual(want);
        });
      }),
      RUNS,
    );
  });

  it('dtype conversion of a view equals converting its values', () => {
    fc.assert(
      fc.property(viewArb, fc.constantFrom(...DTYPES), ([[shape, dtype, values], steps], to) => {
        torch.tidy(() => {
          const { t, m, where } = buildView(shape, dtype, values, steps);
          const r = t.to(to);
          expect(r.dtype).toBe(to);
          expect(flat(r), `${where} .to(${to})`).toEqual(modelValues(m, values).map((v) => castValue(v, to)));
          expect(flat(r.to(dtype)), where).toEqual(modelValues(m, values).map((v) => castValue(castValue(v, to), dtype)));
        });
      }),
      RUNS,
    );
  });

  it('an index out of range throws a RangeError and leaks nothing', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.constantFrom(-7, -1, 5, 6, 2 ** 40), fc.boolean(), (n, bad, int32) => {
        const x = torch.zeros([n, 3]);
        const before = torch.memory();
        const value = int32 && Math.abs(bad) > 2 ** 31 ? 9 : bad;
        expect(() => torch.tidy(() => x.indexSelect(0, torch.tensor([0, value], { dtype: int32 ? 'int32' : 'int64' })))).toThrow(RangeError);
        expect(torch.memory().liveBytes).toBe(before.liveBytes);
        x.dispose();
      }),
      RUNS,
    );
  });
});
