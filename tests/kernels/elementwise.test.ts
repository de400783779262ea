// unary_*, binary_*, compare_*, where_*, fill_* against plain-JS references
// on every layout in cases.ts (SIMD tails, gaps, transposes, broadcasts,
// N-d walks, empty shapes), for every dtype each kernel supports.
import { describe, expect, it } from 'vitest';
import { BUILDS, bench, summary, type KDType, type Val, isFloatT } from './harness';
import { elementwiseCases, runCases } from './cases';
import { UNARY_REF, BINARY_REF, COMPARE_REF } from './reference';
import { EXACT, fround, paramInt, sampler, toBig, fromBig, wrap, type Tol } from './values';

const NUMERIC: KDType[] = ['f32', 'f64', 'i32', 'i64', 'u8'];
const roundOf = (dt: KDType) => (dt === 'f32' ? fround : (x: number) => x);
const tolOf = (dt: KDType, ref: { tol32?: Tol; tol64?: Tol }): Tol => (dt === 'f32' ? ref.tol32 : ref.tol64) ?? EXACT;

const UNARY_CASES = elementwiseCases(2);
const BINARY_CASES = elementwiseCases(3);
const WHERE_CASES = elementwiseCases(4);
const FILL_CASES = elementwiseCases(1);

for (const file of BUILDS) {
  describe(`unary kernels (${file})`, () => {
    for (const dt of NUMERIC) {
      for (const [name, ref] of Object.entries(UNARY_REF)) {
        const float = isFloatT(dt);
        if (float ? !ref.float : !ref.int) continue;
        it(`unary_${dt} ${name}`, () => {
          const b = bench(file);
          const R = roundOf(dt);
          const failures: string[] = [];
          for (const [p0, p1] of ref.params ?? [[0, 0]]) {
            // integer kernels only ever get integral parameters (TypeScript promotes the rest to float)
            if (!float && !(Number.isFinite(p0) && Number.isFinite(p1))) continue;
            const expect1 = float
              ? (x: Val) => R(ref.float!(x as number, R(p0), R(p1), R))
              : (x: Val) => fromBig(dt, wrap(dt, ref.int!(toBig(x), paramInt(dt, p0), paramInt(dt, p1), (v) => wrap(dt, v))));
            const f = runCases(b, UNARY_CASES, {
              dtypes: [dt, dt],
              fill: () => sampler(dt, 17, ref.domain),
              call: (nd, meta, [out, x]) => b.fn(`unary_${dt}`)(ref.code, nd, meta, out, x, p0, p1),
              expect: ([x]) => expect1(x),
              tol: float ? tolOf(dt, ref) : EXACT,
            });
            failures.push(...f.map((m) => `p=(${p0}, ${p1}) ${m}`));
          }
          expect(summary(failures)).toEqual([]);
        });
      }
    }
  });

  describe(`binary kernels (${file})`, () => {
    for (const dt of NUMERIC) {
      for (const [name, ref] of Object.entries(BINARY_REF)) {
        const float = isFloatT(dt);
        if (float ? !ref.float : !ref.int) continue;
        it(`binary_${dt} ${name}`, () => {
          const b = bench(file);
          const R = roundOf(dt);
          const failures: string[] = [];
          for (const p of ref.params ?? [0]) {
            const f = runCases(b, BINARY_CASES, {
              dtypes: [dt, dt, dt],
              fill: (op) => sampler(dt, 31 * op, op === 2 ? ref.bDomain : 'any'),
              call: (nd, meta, [out, x, y]) => b.fn(`binary_${dt}`)(ref.code, nd, meta, out, x, y, p),
              expect: ([x, y]) =>
                float
                  ? R(ref.float!(x as number, y as number, R(p), R))
                  : fromBig(dt, wrap(dt, ref.int!(toBig(x), toBig(y), paramInt(dt, p), (v) => wrap(dt, v)))),
              tol: float ? tolOf(dt, ref) : EXACT,
            });
            failures.push(...f.map((m) => `p=${p} ${m}`));
          }
          expect(summary(failures)).toEqual([]);
        });
      }
    }
  });

  describe(`compare kernels (${file})`, () => {
    for (const dt of NUMERIC) {
      for (const [name, ref] of Object.entries(COMPARE_REF)) {
        it(`compare_${dt} ${name}`, () => {
          const b = bench(file);
          const failures = runCases(b, BINARY_CASES, {
            dtypes: ['bool', dt, dt],
            // a small domain makes equal pairs common
            fill: (op) => sampler(dt, 7 + op, op === 2 ? 'int-small' : 'any'),
            call: (nd, meta, [out, x, y]) => b.fn(`compare_${dt}`)(ref.code, nd, meta, out, x, y),
            expect: ([x, y]) => (isFloatT(dt) ? ref.float(x as number, y as number) : ref.int(toBig(x), toBig(y))) ? 1 : 0,
          });
          expect(summary(failures)).toEqual([]);
        });
      }
    }
  });

  describe(`where kernels (${file})`, () => {
    const byWidth: [number, KDType][] = [[1, 'u8'], [1, 'bool'], [4, 'i32'], [4, 'f32'], [8, 'i64'], [8, 'f64']];
    for (const [width, dt] of byWidth) {
      it(`where_${width} on ${dt}`, () => {
        const b = bench(file);
        const failures = runCases(b, WHERE_CASES, {
          dtypes: [dt, 'bool', dt, dt],
          fill: (op) => (op === 1 ? sampler('bool', 3) : sampler(dt, 40 + op)),
          call: (nd, meta, [out, c, x, y]) => b.fn(`where_${width}`)(nd, meta, out, c, x, y),
          expect: ([c, x, y]) => (c ? x : y),
        });
        expect(summary(failures)).toEqual([]);
      });
    }
    it('treats any nonzero condition byte as true', () => {
      const b = bench(file);
      const failures = runCases(b, WHERE_CASES, {
        dtypes: ['i32', 'u8', 'i32', 'i32'],
        fill: (op) => (op === 1 ? (i: number) => (i * 37) % 5 === 0 ? 0 : (i * 91) % 256 : sampler('i32', op)),
        call: (nd, meta, [out, c, x, y]) => b.fn('where_4')(nd, meta, out, c, x, y),
        expect: ([c, x, y]) => (c !== 0 ? x : y),
      });
      expect(summary(failures)).toEqual([]);
    });
  });

  describe(`fill kernels (${file})`, () => {
    const values: Record<KDType, number[]> = {
      f32: [0, -0, 1.5, NaN, -Infinity, 1e40, 0.1],
      f64: [0, -0, 0.1, NaN, Infinity, 1e300],
      i32: [0, -1, 7, 2.9, -2.9, 3e9, 2 ** 31],
      i64: [0, -1, 2 ** 53, -(2 ** 40) - 3, 2.5],
      u8: [0, 255, 256, -1, 3.7, 1000],
      bool: [0, 1, 2, -0.5, NaN, -0],
    };
    for (const dt of Object.keys(values) as KDType[]) {
      it(`fill_${dt === 'bool' ? 'bool' : dt}`, () => {
        const b = bench(file);
        const failures: string[] = [];
        for (const v of values[dt]) {
          const want: Val =
            dt === 'bool' ? (v !== 0 ? 1 : 0) : isFloatT(dt) ? roundOf(dt)(v) : fromBig(dt, paramInt(dt, v));
          const f = runCases(b, FILL_CASES, {
            dtypes: [dt],
            fill: () => () => 0,
            call: (nd, meta, [out]) => b.fn(`fill_${dt}`)(nd, meta, out, v),
            expect: () => want,
          });
          failures.push(...f.map((m) => `value ${v}: ${m}`));
        }
        expect(summary(failures)).toEqual([]);
      });
    }
  });
}
