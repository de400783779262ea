// Reductions through the public API on random strided views (the
// marshalling in src/devices/wasm/reductions.ts splits dims into kept and
// reduced groups and collapses each): sum/prod/amax/amin over random dim
// subsets with keepdim, max/min(dim) with first-index ties, argmax, cumsum,
// all/any and softmax, against plain-JS folds over the view model.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as torch from 'torchlet';
import { RUNS, flat, forEachIndex, numel } from './util';
import { baseArb, buildView, modelValues, stepArb } from './viewmodel';

/** Folds `values` (row-major over shape) over `dims`; returns the kept shape's values in row-major order. */
function foldOver(values: number[], shape: number[], dims: number[], init: number, f: (acc: number, v: number) => number): number[] {
  const kept = shape.map((_, d) => d).filter((d) => !dims.includes(d));
  const keptShape = kept.map((d) => shape[d]);
  const out = new Array<number>(numel(keptShape)).fill(init);
  forEachIndex(shape, (idx, i) => {
    const o = kept.reduce((p, d, k) => p * keptShape[k] + idx[d], 0);
    out[o] = f(out[o], values[i]);
  });
  return out;
}

/** Index along `dim` of the first max (or min) of each kept row. */
function argAlong(values: number[], shape: number[], dim: number, better: (a: number, b: number) => boolean): { v: number[]; i: number[] } {
  const kept = shape.filter((_, d) => d !== dim);
  const v = new Array<number>(numel(kept)).fill(NaN);
  const i = new Array<number>(numel(kept)).fill(-1);
  forEachIndex(shape, (idx, lin) => {
    const o = idx.filter((_, d) => d !== dim).reduce((p, x, k) => p * kept[k] + x, 0);
    if (i[o] < 0 || better(values[lin], v[o])) {
      v[o] = values[lin];
      i[o] = idx[dim];
    }
  });
  return { v, i };
}

const viewArb = fc.tuple(baseArb, fc.array(stepArb, { minLength: 1, maxLength: 5 }), fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }), fc.boolean(), fc.nat());

describe('reductions on random views', () => {
  it('sum, prod, amax and amin over random dim subsets (keepdim or not) match plain-JS folds', () => {
    fc.assert(
      fc.property(viewArb, ([[shape, dtype, values], steps, mask, keepdim]) => {
        torch.tidy(() => {
          const { t, m, where } = buildView(shape, dtype, values, steps);
          const want = modelValues(m, values);
          const dims = m.shape.map((_, d) => d).filter((d) => mask[d]);
          const outShape = keepdim ? m.shape.map((s, d) => (dims.includes(d) ? 1 : s)) : m.shape.filter((_, d) => !dims.includes(d));
          const all = dims.length === 0; // [] means every dim, as in PyTorch
          const red = all ? m.shape.map((_, d) => d) : dims;
          const label = `${where} dims=[${dims}] keepdim=${keepdim}`;
          const s = t.sum(dims, keepdim);
          expect(s.shape, label).toEqual(all ? (keepdim ? m.shape.map(() => 1) : []) : outShape);
          expect(flat(s), label).toEqual(foldOver(want, m.shape, red, 0, (a, v) => a + v));
          // (+ 0 turns JS's -0 from 0 * -1 into 0: integer products have no sign of zero)
          const noNegZero = (xs: number[]) => xs.map((v) => v + 0);
          if (red.length === 1) expect(noNegZero(flat(t.prod(red[0], keepdim))), label).toEqual(noNegZero(foldOver(want, m.shape, red, 1, (a, v) => a * v)));
          if (red.every((d) => m.shape[d] > 0) && numel(m.shape) > 0) {
            expect(flat(t.amax(dims, keepdim)), label).toEqual(foldOver(want, m.shape, red, -Infinity, Math.max));
            expect(flat(t.amin(dims, keepdim)), label).toEqual(foldOver(want, m.shape, red, Infinity, Math.min));
          }
          expect(flat(t.any(all ? undefined : dims, keepdim)).map(Boolean), label).toEqual(foldOver(want, m.shape, red, 0, (a, v) => a || v).map(Boolean));
        });
      }),
      RUNS,
    );
  });

  it('max/min along a dim give the value and the first index; argmax flattens', () => {
    fc.assert(
      fc.property(viewArb, ([[shape, dtype, values], steps, , keepdim, seed]) => {
        torch.tidy(() => {
          const { t, m, where } = buildView(shape, dtype, values, steps);
          fc.pre(t.ndim > 0 && numel(m.shape) > 0);
          const want = modelValues(m, values);
          const dim = seed % t.ndim;
          const label = `${where} dim=${dim}`;
          const mx = t.max(dim, keepdim);
          const wantMax = argAlong(want, m.shape, dim, (a, b) => a > b);
          expect(flat(mx.values), label).toEqual(wantMax.v);
          expect(flat(mx.indices), label).toEqual(wantMax.i);
          const mn = t.min(dim);
          const wantMin = argAlong(want, m.shape, dim, (a, b) => a < b);
          expect(flat(mn.values), label).toEqual(wantMin.v);
          expect(flat(mn.indices), label).toEqual(wantMin.i);
          const best = Math.max(...want);
          expect(Number(t.argmax().item()), label).toBe(want.indexOf(best));
        });
      }),
      RUNS,
    );
  });

  it('cumsum along a dim and softmax along a dim match the model', () => {
    fc.assert(
      fc.property(viewArb, ([[shape, dtype, values], steps, , , seed]) => {
        torch.tidy(() => {
          const { t, m, where } = buildView(shape, dtype, values, steps);
          fc.pre(t.ndim > 0);
          const want = modelValues(m, values);
          const dim = seed % t.ndim;
          const step = numel(m.shape.slice(dim + 1));
          const n = m.shape[dim];
          const cum = [...want];
          for (let i = 0; i < cum.length; i++) if (Math.floor(i / step) % n !== 0) cum[i] += cum[i - step];
          expect(flat(t.cumsum(dim)), `${where} cumsum(${dim})`).toEqual(cum);
          if (dtype === 'float32' || dtype === 'float64') {
            const sm = flat(t.softmax(dim));
            const exps = want.map(Math.exp);
            const sums = foldOver(exps, m.shape, [dim], 0, (a, v) => a + v);
            const kept = m.shape.filter((_, d) => d !== dim);
            forEachIndex(m.shape, (idx, i) => {
              const o = idx.filter((_, d) => d !== dim).reduce((p, x, k) => p * kept[k] + x, 0);
              expect(Math.abs(sm[i] - exps[i] / sums[o]), `${where} softmax(${dim}) at ${i}`).toBeLessThan(1e-6);
            });
          }
        });
      }),
      RUNS,
    );
  });
});
