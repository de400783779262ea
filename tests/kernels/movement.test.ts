// cast_*_*, gather_*, index_add_* and check_index (assembly/movement.ts)
// against plain-JS references, on strided, transposed and N-d layouts.
import { describe, expect, it } from 'vitest';
import { BUILDS, bench, summary, type Bench, type KDType, type Val, type View, ITEM, SIZES, forEachIndex, position, rng } from './harness';
import { elementwiseCases, runCases, colMajor, gapped, contig, type Layout } from './cases';
import { convert, fround, mismatches, sampler, toBig, fromBig, wrap } from './values';

const CAST: KDType[] = ['f32', 'f64', 'i32', 'i64', 'u8', 'bool'];
const CAST_CASES = elementwiseCases(2);

/** A gather/index_add layout: x's shape, the dim, the index length and the operands' layouts. */
interface IndexedCase {
  name: string;
  xShape: number[];
  dim: number;
  m: number;
  xLayout: (shape: number[]) => Layout;
  outLayout: (shape: number[]) => Layout;
  idxGap: number;
}

function indexedCases(): IndexedCase[] {
  const cases: IndexedCase[] = [];
  for (const n of SIZES) {
    if (n === 0) continue;
    cases.push({ name: `1-d n=${n}`, xShape: [n], dim: 0, m: (n * 3) % 17 + 1, xLayout: contig, outLayout: contig, idxGap: 1 });
    cases.push({ name: `1-d strided n=${n}`, xShape: [n], dim: 0, m: n, xLayout: gapped, outLayout: (s) => gapped(s, 3), idxGap: 2 });
  }
  cases.push({ name: 'rows of [5,17]', xShape: [5, 17], dim: 0, m: 9, xLayout: contig, outLayout: contig, idxGap: 1 });
  cases.push({ name: 'cols of [5,17]', xShape: [5, 17], dim: 1, m: 33, xLayout: contig, outLayout: contig, idxGap: 1 });
  cases.push({ name: 'rows of transposed [16,33]', xShape: [16, 33], dim: 0, m: 4, xLayout: colMajor, outLayout: gapped, idxGap: 3 });
  cases.push({ name: 'cols of transposed [16,3]', xShape: [16, 3], dim: 1, m: 5, xLayout: colMajor, outLayout: colMajor, idxGap: 1 });
  cases.push({ name: 'middle of [3,4,17]', xShape: [3, 4, 17], dim: 1, m: 6, xLayout: gapped, outLayout: contig, idxGap: 2 });
  cases.push({ name: 'first of [4,3,5]', xShape: [4, 3, 5], dim: 0, m: 7, xLayout: colMajor, outLayout: contig, idxGap: 1 });
  cases.push({ name: 'last of [2,3,4,5]', xShape: [2, 3, 4, 5], dim: 3, m: 16, xLayout: gapped, outLayout: colMajor, idxGap: 1 });
  cases.push({ name: 'empty index', xShape: [4, 5], dim: 1, m: 0, xLayout: contig, outLayout: contig, idxGap: 1 });
  return cases;
}

/** An int64 index vector of length m with values in [0, size), `gap` elements apart. */
function indexVector(b: Bench, m: number, size: number, gap: number, seed: number): { view: View; values: number[] } {
  const r = rng(seed);
  const values = Array.from({ length: m }, () => Math.floor(r() * size));
  const view = b.input('i64', [m], [gap], 0, (i) => (i % gap === 0 && i / gap < m ? BigInt(values[i / gap]) : -99n));
  return { view, values };
}

function indexedMeta(b: Bench, shape: number[], ops: { strides: number[]; dtype: KDType }[], dim: number, zeroOp: number): number {
  const ints = [...shape];
  ops.forEach((o, j) => o.strides.forEach((s, d) => ints.push(j === zeroOp && d === dim ? 0 : s * ITEM[o.dtype])));
  return b.meta(ints, shape.length + ops.length);
}

for (const file of BUILDS) {
  describe(`cast kernels (${file})`, () => {
    for (const from of CAST) {
      for (const to of CAST) {
        it(`cast_${from}_${to}`, () => {
          const b = bench(file);
          const failures = runCases(b, CAST_CASES, {
            dtypes: [to, from],
            fill: () => sampler(from, 5),
            call: (nd, meta, [out, x]) => b.fn(`cast_${from}_${to}`)(nd, meta, out, x),
            expect: ([x]) => convert(x, from, to),
          });
          expect(summary(failures)).toEqual([]);
        });
      }
    }
  });

  describe(`gather kernels (${file})`, () => {
    for (const [width, dt] of [[1, 'u8'], [4, 'f32'], [8, 'i64']] as const) {
      it(`gather_${width}`, () => {
        const b = bench(file);
        const failures: string[] = [];
        for (const c of indexedCases()) {
          b.reset();
          const xl = c.xLayout(c.xShape);
          const x = b.input(dt, c.xShape, xl.strides, xl.offset, sampler(dt, 9));
          const outShape = c.xShape.map((s, d) => (d === c.dim ? c.m : s));
          const ol = c.outLayout(outShape);
          const out = b.output(dt, outShape, ol.strides, ol.offset);
          const idx = indexVector(b, c.m, c.xShape[c.dim], c.idxGap, 11);
          const meta = indexedMeta(b, outShape, [out, x], c.dim, 1);
          b.fn(`gather_${width}`)(outShape.length, meta, b.addr(out), b.addr(x), c.dim, b.addr(idx.view), c.idxGap * 8, x.strides[c.dim] * ITEM[dt]);
          b.checkGuards();
          const xs = b.read(dt, x.ptr, x.length);
          const want: Val[] = [];
          forEachIndex(outShape, (i) => want.push(xs[position(x, i.map((v, d) => (d === c.dim ? idx.values[v] : v)))]));
          const bad = mismatches(b.values(out), want, dt);
          if (bad.length) failures.push(`${c.name}: ${bad.join('; ')}`);
          if (b.strayWrites(out).length) failures.push(`${c.name}: wrote outside the output view`);
        }
        expect(summary(failures)).toEqual([]);
      });
    }
  });

  describe(`index_add kernels (${file})`, () => {
    for (const dt of ['f32', 'f64', 'i32', 'i64', 'u8', 'bool'] as const) {
      it(`index_add_${dt}`, () => {
        const b = bench(file);
        const failures: string[] = [];
        for (const c of indexedCases()) {
          b.reset();
          const srcShape = c.xShape.map((s, d) => (d === c.dim ? c.m : s));
          const sl = c.xLayout(srcShape);
          const src = b.input(dt, srcShape, sl.strides, sl.offset, sampler(dt, 21, 'int-small'));
          const ol = c.outLayout(c.xShape);
          const out = b.input(dt, c.xShape, ol.strides, ol.offset, sampler(dt, 22, 'int-small'));
          const before = b.read(dt, out.ptr, out.length);
          const idx = indexVector(b, c.m, c.xShape[c.dim], c.idxGap, 12);
          const meta = indexedMeta(b, srcShape, [out, src], c.dim, 0);
          b.fn(`index_add_${dt}`)(srcShape.length, meta, b.addr(out), b.addr(src), c.dim, b.addr(idx.view), c.idxGap * 8, out.strides[c.dim] * ITEM[dt]);
          b.checkGuards();
          // duplicates add in the order the source is walked (row-major)
          const want = [...before];
          const srcVals = b.values(src);
          forEachIndex(srcShape, (i, linear) => {
            const p = position(out, i.map((v, d) => (d === c.dim ? idx.values[v] : v)));
            want[p] = add(dt, want[p], srcVals[linear]);
          });
          const got = b.read(dt, out.ptr, out.length);
          const bad = mismatches(got, want, dt);
          if (bad.length) failures.push(`${c.name}: ${bad.join('; ')}`);
        }
        expect(summary(failures)).toEqual([]);
      });
    }
  });

  describe(`check_index (${file})`, () => {
    it('returns the first index outside [0, size), or -1', () => {
      const b = bench(file);
      const failures: string[] = [];
      const r = rng(5);
      for (const n of SIZES) {
        for (const gap of [0, 1, 2]) {
          for (const bad of [-1n, 10n, 11n, -(2n ** 63n), 2n ** 40n, 2n ** 32n + 3n, null]) {
            b.reset();
            const len = gap === 0 ? 1 : n;
            const vals = Array.from({ length: len }, () => BigInt(Math.floor(r() * 10)));
            const at = len && bad !== null ? Math.floor(r() * len) : -1;
            if (at >= 0) vals[at] = bad!;
            if (at >= 0 && r() < 0.5 && at + 1 < len) vals[len - 1] = bad!;
            const v = b.input('i64', [len], [Math.max(gap, 1)], 0, (i) => (i % Math.max(gap, 1) === 0 ? vals[i / Math.max(gap, 1)] ?? 0n : 77n));
            const got = b.fn('check_index')(v.ptr, n, gap * 8, 10);
            const want = n === 0 ? -1 : gap === 0 ? (at === 0 ? 0 : -1) : at;
            if (got !== want) failures.push(`n=${n} stride=${gap * 8} bad=${bad}: got ${got}, want ${want}`);
          }
        }
      }
      expect(summary(failures)).toEqual([]);
    });
  });
}

function add(dt: KDType, a: Val, x: Val): Val {
  if (dt === 'bool') return (a as number) | (x as number); // a bool sum is an or: never the byte 2
  if (dt === 'f32') return fround((a as number) + (x as number));
  if (dt === 'f64') return (a as number) + (x as number);
  return fromBig(dt, wrap(dt, toBig(a) + toBig(x)));
}
