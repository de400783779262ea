// Broadcasting laws, checked on random shapes: the result shape is
// commutative and associative, equals the NumPy rule, every op equals the
// same op on explicitly expanded (and on contiguous) operands, and an op
// throws exactly when the shapes are incompatible, leaking nothing.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as torch from 'torchlet';
import { RUNS, broadcastModel, flat, forEachIndex, make, numel, shapeArb, sourceIndex, valuesArb } from './util';

/** A shape and two (or three) shapes that broadcast to it: some dims dropped from the front, some set to 1. */
const derived = (out: number[]) =>
  fc.tuple(fc.nat(out.length), fc.array(fc.boolean(), { minLength: out.length, maxLength: out.length })).map(([drop, ones]) =>
    out.slice(drop).map((s, i) => (ones[i + drop] ? 1 : s)),
  );
const compatiblePair = shapeArb(4, 4).chain((out) => fc.tuple(derived(out), derived(out)));
const compatibleTriple = shapeArb(4, 3).chain((out) => fc.tuple(derived(out), derived(out), derived(out)));

/** Two tensors of the given shapes with small integer values (exact in float32). */
const withValues = ([a, b]: number[][]) =>
  fc.tuple(fc.constant(a), fc.constant(b), valuesArb('float32', numel(a)), valuesArb('float32', numel(b)));

const OPS: [string, (x: torch.Tensor, y: torch.Tensor) => torch.Tensor, (x: number, y: number) => number][] = [
  ['add', (x, y) => x.add(y), (x, y) => x + y],
  ['sub', (x, y) => x.sub(y), (x, y) => x - y],
  ['mul', (x, y) => x.mul(y), (x, y) => x * y],
  ['maximum', (x, y) => x.maximum(y), Math.max],
  ['lt', (x, y) => x.lt(y), (x, y) => (x < y ? 1 : 0)],
  ['where', (x, y) => torch.where(x.gt(0), x, y), (x, y) => (x > 0 ? x : y)],
];

describe('broadcasting', () => {
  it('the result shape follows the NumPy rule and is commutative', () => {
    fc.assert(
      fc.property(compatiblePair, ([a, b]) => {
        torch.tidy(() => {
          const want = broadcastModel(a, b);
          expect(torch.zeros(a).add(torch.zeros(b)).shape).toEqual(want);
          expect(torch.zeros(b).add(torch.zeros(a)).shape).toEqual(want);
        });
      }),
      RUNS,
    );
  });

  it('the result shape is associative', () => {
    fc.assert(
      fc.property(compatibleTriple, ([a, b, c]) => {
        torch.tidy(() => {
          const [x, y, z] = [a, b, c].map((s) => torch.zeros(s));
          expect(x.add(y).add(z).shape).toEqual(x.add(y.add(z)).shape);
        });
      }),
      RUNS,
    );
  });

  for (const [name, op, ref] of OPS) {
    it(`${name} equals the op on expanded and on contiguous operands, and the model`, () => {
      fc.assert(
        fc.property(compatiblePair.chain(withValues), ([a, b, va, vb]) => {
          torch.tidy(() => {
            const x = make(a, 'float32', va), y = make(b, 'float32', vb);
            const shape = broadcastModel(a, b)!;
            const r = op(x, y);
            expect(r.shape).toEqual(shape);
            const want: number[] = [];
            forEachIndex(shape, (idx) => want.push(ref(va[sourceIndex(idx, a)], vb[sourceIndex(idx, b)])));
            expect(flat(r)).toEqual(want);
            const xe = x.expand(shape), ye = y.expand(shape);
            expect(flat(op(xe, ye))).toEqual(want);
            expect(flat(op(xe.contiguous(), ye.contiguous()))).toEqual(want);
          });
        }),
        RUNS,
      );
    });
  }

  it('an op throws exactly when the shapes do not broadcast, and frees what it allocated', () => {
    const dims = fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 3 });
    fc.assert(
      fc.property(dims, dims, (a, b) => {
        const x = torch.zeros(a), y = torch.ones(b);
        const before = torch.memory();
        const ok = broadcastModel(a, b) !== null;
        let r: torch.Tensor | null = null;
        try {
          r = x.add(y);
        } catch (e) {
          expect(e).toBeInstanceOf(Error);
          expect(ok).toBe(false);
        }
        if (r) {
          expect(ok).toBe(true);
          r.dispose();
        }
        expect(torch.memory().liveBytes).toBe(before.liveBytes);
        expect(torch.memory().liveTensors).toBe(before.liveTensors);
        x.dispose();
        y.dispose();
      }),
      RUNS,
    );
  });

  it('the error names the sizes and the output dimension as PyTorch does', () => {
    const dims = fc.array(fc.integer({ min: 1, max: 4 }), { maxLength: 3 });
    fc.assert(
      fc.property(dims, dims, (a, b) => {
        fc.pre(broadcastModel(a, b) === null);
        const n = Math.max(a.length, b.length);
        let want = '';
        for (let i = n - 1; i >= 0 && !want; i--) {
          const x = a[a.length - n + i] ?? 1, y = b[b.length - n + i] ?? 1;
          if (x !== y && x !== 1 && y !== 1) want = `The size of tensor a (${x}) must match the size of tensor b (${y}) at non-singleton dimension ${i}`;
        }
        torch.tidy(() => expect(() => torch.zeros(a).add(torch.zeros(b))).toThrow(want));
      }),
      RUNS,
    );
  });

  it('size-0 dims broadcast against 1 and nothing else', () => {
    torch.tidy(() => {
      expect(torch.zeros([0, 3]).add(torch.zeros([1, 3])).shape).toEqual([0, 3]);
      expect(torch.zeros([2, 0]).mul(torch.zeros([1])).shape).toEqual([2, 0]);
      expect(() => torch.zeros([0]).add(torch.zeros([2]))).toThrow();
      expect(torch.zeros([0]).sum().item()).toBe(0);
    });
  });
});
