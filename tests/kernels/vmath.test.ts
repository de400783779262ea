// The vector transcendentals (assembly/vmath.ts) switch between a fast path
// and an exact one per block of 16 floats. These sweeps put every kind of
// lane next to every other: dense ranges across the switch points (-87.3
// and 88 for exp, -87.3 for e^-|x|), subnormal and overflowing results,
// NaN and infinities at every position of a block.
import { describe, expect, it } from 'vitest';
import { BUILDS, GEMM_BUILDS, bench, summary } from './harness';
import { fround, mismatches } from './values';
import { Unary, Reduce } from '../../assembly/codes';
import { UNARY_REF } from './reference';

/** Dense values through [lo, hi], rounded to float32. */
function sweep(lo: number, hi: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => fround(lo + ((hi - lo) * i) / (n - 1)));
}

/** Each special value at each of the 16 positions of a block of otherwise ordinary lanes. */
function specialsInBlocks(specials: readonly number[], fill: number): number[] {
  const out: number[] = [];
  for (const s of specials) for (let pos = 0; pos < 16; pos++) for (let i = 0; i < 16; i++) out.push(i === pos ? s : fround(fill + i / 8));
  return out;
}

const SPECIALS = [NaN, Infinity, -Infinity, -87.5, -88, -88.7, -88.8, -100, -104, -110, 88.5, 89, 1e-45, 1e-40, -0, 0].map(fround);
const OPS = ['exp', 'sigmoid', 'silu', 'tanh', 'log'] as const;
/** Every sweep at once: 36,096 floats, a whole number of 16-float blocks. */
const INPUTS = [
  ...sweep(-110, 95, 20000),
  ...sweep(-88, -87, 4000),
  ...sweep(87.5, 89, 4000),
  ...sweep(-1, 1, 4000),
  ...sweep(1e-30, 1e3, 4000),
  ...specialsInBlocks(SPECIALS, -2),
];

for (const file of BUILDS) {
  describe(`vector transcendentals (${file})`, () => {
    for (const name of OPS) {
      const { code, float: ref, tol32 } = UNARY_REF[name];
      it(`${name} across its fast/exact switch points, subnormal results and specials`, () => {
        const b = bench(file);
        const inputs = INPUTS;
        const n = inputs.length;
        const x = b.alloc(n * 4), out = b.alloc(n * 4);
        b.write('f32', x, inputs);
        b.fn('unary_f32')(code, 1, b.meta([n, 4, 4], 3), out, x, 0, 0); // shape | byte strides of out, x
        const got = b.read('f32', out, n);
        const want = inputs.map((v) => fround(ref!(v, 0, 0, fround)));
        expect(summary(mismatches(got, want, 'f32', tol32, (i) => `x=${inputs[i]}`))).toEqual([]);
      });
    }

    it('max/min reductions keep NaN wherever it sits in a block of 16', () => {
      const b = bench(file);
      for (const op of [Reduce.max, Reduce.min]) {
        for (let pos = 0; pos < 40; pos++) {
          const n = 40;
          const vals = Array.from({ length: n }, (_, i) => (i === pos ? NaN : fround(Math.sin(i) * 10)));
          const x = b.alloc(n * 4), out = b.alloc(4);
          b.write('f32', x, vals);
          // no kept dims; one reduced dim: its size and byte stride
          b.fn('reduce_f32')(op, 0, 1, b.meta([n, 4], 1), out, x);
          expect(b.read('f32', out, 1)[0]).toBeNaN();
        }
      }
    });
  });
}

// The relaxed add-on's fused-multiply-add forms of the same functions (unary16_f32,
// contiguous whole blocks of 16), over the same sweeps and held to the same bounds.
const RELAXED = GEMM_BUILDS.find((b) => b.includes('relaxed'));
describe.skipIf(!RELAXED)(`fused transcendentals (${RELAXED}, unary16_f32)`, () => {
  for (const name of ['exp', 'sigmoid', 'silu', 'tanh'] as const) {
    const { code, float: ref, tol32 } = UNARY_REF[name];
    it(`${name} across its fast/exact switch points, subnormal results and specials, in place too`, () => {
      const b = bench(RELAXED!);
      const n = INPUTS.length;
      expect(n % 16).toBe(0);
      const x = b.alloc(n * 4), out = b.alloc(n * 4);
      b.write('f32', x, INPUTS);
      b.fn('unary16_f32')(code, out, x, n);
      const want = INPUTS.map((v) => fround(ref!(v, 0, 0, fround)));
      expect(summary(mismatches(b.read('f32', out, n), want, 'f32', tol32, (i) => `x=${INPUTS[i]}`))).toEqual([]);
      b.fn('unary16_f32')(code, x, x, n);
      expect(b.read('f32', x, n)).toEqual(b.read('f32', out, n));
    });
  }
});
