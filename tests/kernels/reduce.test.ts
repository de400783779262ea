// reduce_*, argreduce_*, scan_* and softmax_* (assembly/reduce.ts) against
// plain-JS folds: full and partial reductions over contiguous, strided and
// transposed inputs (both the horizontal and the vertical SIMD paths),
// empty groups, NaN propagation and ties.
import { describe, expect, it } from 'vitest';
import { ArgReduce, Reduce, Scan, Softmax } from '../../assembly/codes';
import { BUILDS, bench, summary, type Bench, type KDType, type Val, type View, ITEM, SIZES, forEachIndex, numel, position, rng } from './harness';
import { colMajor, contig, gapped, type Layout } from './cases';
import { fround, judge, mismatches, sampler, toBig, fromBig, wrap, ulp, type Domain, type Tol } from './values';

interface GroupCase {
  name: string;
  shape: number[];
  layout: (shape: number[]) => Layout;
  /** Reduced dims (in walk order); the rest are kept in order. */
  reduced: number[];
}

function groupCases(): GroupCase[] {
  const cases: GroupCase[] = [];
  for (const n of SIZES) {
    cases.push({ name: `all of [${n}]`, shape: [n], layout: contig, reduced: [0] });
    cases.push({ name: `all of strided [${n}]`, shape: [n], layout: gapped, reduced: [0] });
  }
  for (const n of [1500, 5000]) cases.push({ name: `all of [${n}]`, shape: [n], layout: contig, reduced: [0] });
  for (const c of [1, 3, 4, 5, 16, 17, 33]) {
    for (const r of [1, 5, 17]) {
      cases.push({ name: `rows of [${r},${c}]`, shape: [r, c], layout: contig, reduced: [1] });
      cases.push({ name: `cols of [${r},${c}]`, shape: [r, c], layout: contig, reduced: [0] });
    }
    cases.push({ name: `cols of transposed [7,${c}]`, shape: [7, c], layout: colMajor, reduced: [0] });
    cases.push({ name: `rows of transposed [7,${c}]`, shape: [7, c], layout: colMajor, reduced: [1] });
  }
  cases.push({ name: 'dims 0,2 of [3,4,17]', shape: [3, 4, 17], layout: contig, reduced: [0, 2] });
  cases.push({ name: 'dim 1 of gapped [3,4,17]', shape: [3, 4, 17], layout: gapped, reduced: [1] });
  cases.push({ name: 'dims 0,1 of [3,4,17]', shape: [3, 4, 17], layout: contig, reduced: [0, 1] });
  cases.push({ name: 'dims 2,0 of col-major [3,4,17]', shape: [3, 4, 17], layout: colMajor, reduced: [2, 0] });
  cases.push({ name: 'dims 1,3 of [2,3,4,5]', shape: [2, 3, 4, 5], layout: gapped, reduced: [1, 3] });
  cases.push({ name: 'dims 0,2 of [5,1,33]', shape: [5, 1, 33], layout: contig, reduced: [0, 1] });
  cases.push({ name: 'no dims of [4,17]', shape: [4, 17], layout: gapped, reduced: [] });
  cases.push({ name: 'no dims of [4,3]', shape: [4, 3], layout: contig, reduced: [] });
  cases.push({ name: 'empty dim of [4,0]', shape: [4, 0], layout: contig, reduced: [1] });
  cases.push({ name: 'empty dim of [0,17]', shape: [0, 17], layout: contig, reduced: [0] });
  return cases;
}

/** meta for one x view split into kept/reduced groups; `extra` int slices follow (scan's out strides). */
function groupMeta(b: Bench, x: View, groups: number[][], scratch: number): number {
  const ints: number[] = [];
  for (const g of groups) {
    ints.push(...g.map((d) => x.shape[d]));
    ints.push(...g.map((d) => x.strides[d] * ITEM[x.dtype]));
  }
  return b.meta(ints, scratch);
}

/** Visits every kept index and hands over the reduced group's values in walk order. */
function groups(x: View, xs: Val[], kept: number[], reduced: number[], fn: (vals: Val[]) => void): void {
  forEachIndex(kept.map((d) => x.shape[d]), (ki) => {
    const vals: Val[] = [];
    forEachIndex(reduced.map((d) => x.shape[d]), (ri) => {
      const idx = new Array<number>(x.shape.length);
      kept.forEach((d, k) => (idx[d] = ki[k]));
      reduced.forEach((d, k) => (idx[d] = ri[k]));
      vals.push(xs[position(x, idx)]);
    });
    fn(vals);
  });
}

const INIT: Record<string, (dt: KDType) => Val> = {
  sum: (dt) => (dt === 'i64' ? 0n : 0),
  nanSum: () => 0,
  prod: (dt) => (dt === 'i64' ? 1n : 1),
  max: (dt) => ({ f32: -Infinity, f64: -Infinity, i32: -(2 ** 31), i64: -(2n ** 63n), u8: 0, bool: 0 })[dt],
  min: (dt) => ({ f32: Infinity, f64: Infinity, i32: 2 ** 31 - 1, i64: 2n ** 63n - 1n, u8: 255, bool: 255 })[dt],
};

function foldRef(op: string, dt: KDType, vals: Val[]): Val {
  if (dt === 'f32' || dt === 'f64') {
    const v = vals as number[];
    if (op === 'sum') return v.reduce((a, b) => a + b, 0);
    if (op === 'nanSum') return v.reduce((a, b) => (Number.isNaN(b) ? a : a + b), 0);
    if (op === 'prod') return v.reduce((a, b) => a * b, 1);
    if (op === 'max') return v.reduce((a, b) => Math.max(a, b), -Infinity);
    return v.reduce((a, b) => Math.min(a, b), Infinity);
  }
  let acc = toBig(INIT[op](dt));
  for (const x of vals) {
    const b = toBig(x);
    acc = op === 'sum' ? wrap(dt, acc + b) : op === 'prod' ? wrap(dt, acc * b) : op === 'max' ? (b > acc ? b : acc) : b < acc ? b : acc;
  }
  return fromBig(dt, acc);
}

/** Float sums and products are judged against the exact result with an error bound that grows with n. */
function foldTol(op: string, dt: KDType, vals: Val[], want: Val): Tol {
  if (dt !== 'f32' && dt !== 'f64') return { ulps: 0 };
  const eps = dt === 'f32' ? 2 ** -24 : 2 ** -53;
  const n = vals.length;
  if (op === 'sum' || op === 'nanSum') {
    const mag = (vals as number[]).reduce((a, b) => (Number.isNaN(b) ? a : a + Math.abs(b)), 0);
    return { ulps: 1, atol: 4 * eps * Math.sqrt(n + 1) * mag + (dt === 'f32' ? ulp(want as number, 'f32') : 0) };
  }
  if (op === 'prod') return { ulps: 2 * n + 1 };
  return { ulps: 0 };
}

const DOMAINS: Record<string, Domain[]> = { sum: ['small'], nanSum: ['small', 'any'], prod: ['int-small'], max: ['small', 'any'], min: ['small', 'any'] };

for (const file of BUILDS) {
  describe(`reduce kernels (${file})`, () => {
    for (const dt of ['f32', 'f64', 'i32', 'i64', 'u8'] as const) {
      for (const op of ['sum', 'prod', 'max', 'min', 'nanSum'] as const) {
        if (op === 'nanSum' && dt !== 'f32' && dt !== 'f64') continue;
        it(`reduce_${dt} ${op}`, () => {
          const b = bench(file);
          const failures: string[] = [];
          for (const domain of DOMAINS[op]) {
            for (const c of groupCases()) {
              b.reset();
              const l = c.layout(c.shape);
              const fill = sampler(dt, 3 + c.shape.length, domain);
              const x = b.input(dt, c.shape, l.strides, l.offset, op === 'prod' && (dt === 'f32' || dt === 'f64') ? (i) => fround(0.75 + 0.5 * (((i * 7919) % 101) / 101)) : fill);
              const kept = c.shape.map((_, d) => d).filter((d) => !c.reduced.includes(d));
              const outN = numel(kept.map((d) => c.shape[d]));
              const out = b.output(dt, [outN], [1], 0);
              const meta = groupMeta(b, x, [kept, c.reduced], kept.length + c.reduced.length);
              b.fn(`reduce_${dt}`)(Reduce[op], kept.length, c.reduced.length, meta, b.addr(out), b.addr(x));
              b.checkGuards();
              const got = b.values(out);
              const xs = b.read(dt, x.ptr, x.length);
              const bad: string[] = [];
              let k = 0;
              groups(x, xs, kept, c.reduced, (vals) => {
                const want = foldRef(op, dt, vals);
                const m = judge(got[k], dt === 'f32' && typeof want === 'number' ? fround(want) : want, dt, foldTol(op, dt, vals, want));
                if (m && bad.length < 3) bad.push(`out[${k}] over ${vals.length} values: ${m}`);
                k++;
              });
              if (bad.length) failures.push(`${domain} ${c.name}: ${bad.join('; ')}`);
            }
          }
          expect(summary(failures)).toEqual([]);
        });
      }
    }
  });

  describe(`argreduce kernels (${file})`, () => {
    for (const dt of ['f32', 'f64', 'i32', 'i64', 'u8'] as const) {
      for (const op of ['max', 'min'] as const) {
        it(`argreduce_${dt} ${op}`, () => {
          const b = bench(file);
          const failures: string[] = [];
          for (const domain of ['int-small', 'any'] as const) {
            for (const c of groupCases()) {
              if (c.reduced.length !== 1 || numel(c.shape) === 0) continue;
              b.reset();
              const l = c.layout(c.shape);
              const x = b.input(dt, c.shape, l.strides, l.offset, sampler(dt, 8, domain));
              const dim = c.reduced[0];
              const kept = c.shape.map((_, d) => d).filter((d) => d !== dim);
              const outN = numel(kept.map((d) => c.shape[d]));
              const values = b.output(dt, [outN], [1], 0);
              const indices = b.output('i64', [outN], [1], 0);
              const meta = groupMeta(b, x, [kept], kept.length);
              b.fn(`argreduce_${dt}`)(ArgReduce[op], kept.length, meta, b.addr(values), b.addr(indices), b.addr(x), c.shape[dim], x.strides[dim] * ITEM[dt]);
              b.checkGuards();
              const wantV: Val[] = [];
              const wantI: Val[] = [];
              groups(x, b.read(dt, x.ptr, x.length), kept, [dim], (vals) => {
                const i = argRef(op, vals);
                wantV.push(vals[i]);
                wantI.push(BigInt(i));
              });
              const bad = [...mismatches(b.values(values), wantV, dt), ...mismatches(b.values(indices), wantI, 'i64')];
              if (bad.length) failures.push(`${domain} ${c.name}: ${bad.join('; ')}`);
            }
          }
          expect(summary(failures)).toEqual([]);
        });
      }
    }
  });

  describe(`scan kernels (${file})`, () => {
    for (const dt of ['f32', 'f64', 'i64'] as const) {
      for (const op of ['sum', 'prod', 'max', 'min'] as const) {
        it(`scan_${dt} ${op}`, () => {
          const b = bench(file);
          const failures: string[] = [];
          for (const c of groupCases()) {
            if (c.reduced.length !== 1) continue;
            b.reset();
            const l = c.layout(c.shape);
            const x = b.input(dt, c.shape, l.strides, l.offset, sampler(dt, 4, op === 'prod' ? 'int-small' : op === 'sum' ? 'small' : 'any'));
            const ol = (c.name.length % 2 ? gapped : colMajor)(c.shape);
            const out = b.output(dt, c.shape, ol.strides, ol.offset);
            const dim = c.reduced[0];
            const kept = c.shape.map((_, d) => d).filter((d) => d !== dim);
            const ints = [...kept.map((d) => c.shape[d]), ...kept.map((d) => x.strides[d] * ITEM[dt]), ...kept.map((d) => out.strides[d] * ITEM[dt])];
            const meta = b.meta(ints, kept.length);
            b.fn(`scan_${dt}`)(Scan[op], kept.length, meta, b.addr(out), b.addr(x), c.shape[dim], x.strides[dim] * ITEM[dt], out.strides[dim] * ITEM[dt]);
            b.checkGuards();
            const xs = b.values(x);
            const want: Val[] = new Array(xs.length);
            const n = c.shape[dim];
            const step = c.shape.slice(dim + 1).reduce((a, s) => a * s, 1);
            for (let base = 0; base < xs.length; base++) {
              if (Math.floor(base / step) % n !== 0) continue; // only row starts
              let acc: Val = xs[base];
              for (let i = 0; i < n; i++) {
                const j = base + i * step;
                acc = i === 0 ? xs[j] : scanStep(op, dt, acc, xs[j]);
                want[j] = dt === 'f32' ? fround(acc as number) : acc;
              }
            }
            const bad = mismatches(b.values(out), want, dt);
            if (bad.length) failures.push(`${c.name}: ${bad.join('; ')}`);
            if (b.strayWrites(out).length) failures.push(`${c.name}: wrote outside the output view`);
          }
          expect(summary(failures)).toEqual([]);
        });
      }
    }
  });

  describe(`softmax kernels (${file})`, () => {
    for (const dt of ['f32', 'f64'] as const) {
      for (const op of ['softmax', 'logSoftmax'] as const) {
        it(`softmax_${dt} ${op}`, () => {
          const b = bench(file);
          const failures: string[] = [];
          const shapes: [number, number, number][] = [[1, 1, 1], [1, 5, 1], [3, 17, 1], [1, 1000, 1], [2, 4, 3], [4, 33, 5], [2, 1, 7], [1, 16, 16]];
          const r = rng(1);
          for (const [outer, n, inner] of shapes) {
            for (const kind of ['plain', 'large', 'special'] as const) {
              b.reset();
              const total = outer * n * inner;
              const fill = (i: number): number => {
                const v = kind === 'large' ? (r() - 0.5) * 2000 : (r() - 0.5) * 10;
                if (kind === 'special' && i % 11 === 3) return [-Infinity, Infinity, NaN][i % 3];
                return dt === 'f32' ? fround(v) : v;
              };
              const x = b.input(dt, [total], [1], 0, fill);
              if (kind === 'special') b.write(dt, x.ptr, new Array(Math.min(n * inner, total)).fill(-Infinity)); // the first row: all -inf
              const out = b.output(dt, [total], [1], 0);
              b.fn(`softmax_${dt}`)(Softmax[op], outer, n, inner, b.addr(out), b.addr(x));
              b.checkGuards();
              const want = softmaxRef(op, b.values(x) as number[], outer, n, inner);
              const eps = dt === 'f32' ? 2 ** -24 : 2 ** -53;
              const tol = (i: number): Tol =>
                op === 'softmax' ? { ulps: 4 + 2 * Math.sqrt(n) } : { ulps: 4, atol: 8 * eps * Math.max(1, Math.abs(want.lse[i])) * Math.sqrt(n) };
              const bad = mismatches(b.values(out), want.values.map((v) => (dt === 'f32' ? fround(v) : v)), dt, tol);
              if (bad.length) failures.push(`${kind} [${outer},${n},${inner}]: ${bad.join('; ')}`);
            }
          }
          expect(summary(failures)).toEqual([]);
        });
      }
    }
  });
}

/** First index of the max/min; a NaN wins at its first position. */
function argRef(op: 'max' | 'min', vals: Val[]): number {
  let best = 0;
  for (let i = 0; i < vals.length; i++) {
    const v = vals[i];
    if (typeof v === 'number' && Number.isNaN(v)) return i;
    if (op === 'max' ? v > vals[best] : v < vals[best]) best = i;
  }
  return best;
}

function scanStep(op: string, dt: KDType, acc: Val, x: Val): Val {
  if (dt === 'i64') {
    const a = acc as bigint, v = x as bigint;
    return op === 'sum' ? wrap(dt, a + v) : op === 'prod' ? wrap(dt, a * v) : op === 'max' ? (v > a ? v : a) : v < a ? v : a;
  }
  // float32 cumsum accumulates in double (as PyTorch's CPU kernel): only the outputs are rounded
  const R = dt === 'f32' && op !== 'sum' ? fround : (v: number) => v;
  const a = acc as number, v = x as number;
  return op === 'sum' ? R(a + v) : op === 'prod' ? R(a * v) : op === 'max' ? Math.max(a, v) : Math.min(a, v);
}

function softmaxRef(op: string, x: number[], outer: number, n: number, inner: number): { values: number[]; lse: number[] } {
  const values = new Array<number>(x.length);
  const lse = new Array<number>(x.length).fill(0);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const at = (i: number) => (o * n + i) * inner + j;
      let m = -Infinity;
      for (let i = 0; i < n; i++) m = Math.max(m, x[at(i)]);
      const shift = m === -Infinity ? 0 : m;
      let s = 0;
      for (let i = 0; i < n; i++) s += Math.exp(x[at(i)] - shift);
      for (let i = 0; i < n; i++) {
        values[at(i)] = op === 'softmax' ? Math.exp(x[at(i)] - shift) / s : x[at(i)] - (Math.log(s) + shift);
        lse[at(i)] = Math.log(s) + shift;
      }
    }
  }
  return { values, lse };
}
