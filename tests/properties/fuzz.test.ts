// Hostile-input fuzzing of the public API: random strided views of random
// dtypes, fed to ops with arguments that are valid or not (dims and indices
// out of range, fractional or NaN sizes, repeated dims, shapes that do not
// fit, operands of the wrong kind). Every call must either return what the
// plain-JS reference returns or throw an Error with a message (never wasm
// trap text); the base tensor must keep its values and live memory must
// return to its baseline. The cases are counted: CI runs at least 10,000.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as torch from 'torchlet';
import { flat, forEachIndex, isFloat, numel } from './util';
import { buildView, modelValues, stepArb } from './viewmodel';
import { INPLACE, OPS, baseArb, type Arg, type Ref, type View } from './fuzzmodel';

const RUNS_PER_OP = 700;
const TRAP = /unreachable|out of bounds|RuntimeError|wasm|undefined|\[object Object\]|NaN is not/i;
let cases = 0;

const sameNumbers = (got: number[], want: number[], tol: number) =>
  got.length === want.length && got.every((g, i) => (Number.isNaN(want[i]) ? Number.isNaN(g) : Math.abs(g - want[i]) <= tol * Math.max(1, Math.abs(want[i]))));

const show = (args: Arg[]) => args.map((a) => (typeof a === 'symbol' ? 'Symbol' : JSON.stringify(a))).join(', ');

/**
 * One call checked against the reference: returns the result and its model
 * when both agree on a value (so a sequence can go on from it), else null.
 */
function checkCall(t: torch.Tensor, v: View, name: string, args: Arg[], label: string): { t: torch.Tensor; v: View } | null {
  cases++;
  const op = OPS[name];
  const want = op.ref(v, args);
  label = `${label}.${name}(${show(args)})`;
  let got: unknown;
  try {
    got = op.run(t, args);
  } catch (e) {
    expect(e, label).toBeInstanceOf(Error);
    const msg = (e as Error).message;
    expect(msg.length, label).toBeGreaterThan(8);
    expect(msg, label).not.toMatch(TRAP);
    if (want !== 'any') expect(want, `${label} threw "${msg}"`).toBe('error');
    got = e;
  }
  // the input is undamaged
  expect(flat(t), label).toEqual(v.values.map((x) => (v.dtype === 'float32' ? Math.fround(x) : x)));
  if (got instanceof Error || want === 'any') return null;
  expect(want, `${label} should have thrown`).not.toBe('error');
  const r = got as torch.Tensor, w = want as Exclude<Ref, 'error' | 'any'>;
  expect([...r.shape], label).toEqual(w.shape);
  if (w.dtype) expect(r.dtype, label).toBe(w.dtype);
  const g = flat(r), tol = w.tol ?? 0;
  expect(sameNumbers(g, w.values, tol), `${label}: ${g} vs ${w.values}`).toBe(true);
  // (+ 0: integers have no -0, which a JS product like -1 * 0 gives)
  return w.dtype && !w.tol ? { t: r, v: { shape: w.shape, dtype: w.dtype, values: isFloat(w.dtype) ? w.values : w.values.map((x) => x + 0) } } : null;
}

/** Runs body in tidy and checks that it leaves no tensor or byte behind. */
function leavesNothing(body: () => void): void {
  const before = torch.memory();
  torch.tidy(body);
  const after = torch.memory();
  expect({ tensors: after.liveTensors - before.liveTensors, bytes: after.liveBytes - before.liveBytes }).toEqual({ tensors: 0, bytes: 0 });
}

const callArb = fc.oneof(...Object.entries(OPS).map(([name, op]) => op.args.map((args) => ({ name, args }))));

describe('hostile calls on random views: the reference answer or a meaningful Error', () => {
  beforeAll(() => torch.tidy(() => torch.ones([2, 2]).matmul(torch.ones([2, 2]))));
  for (const name of Object.keys(OPS)) {
    it(name, () => {
      fc.assert(
        fc.property(baseArb, fc.array(stepArb, { maxLength: 4 }), OPS[name].args, ([shape, dtype, values], steps, args) =>
          leavesNothing(() => {
            const { t, m, where } = buildView(shape, dtype, values, steps);
            checkCall(t, { shape: m.shape, dtype, values: modelValues(m, values) }, name, args, where);
          }),
        ),
        { numRuns: RUNS_PER_OP },
      );
    });
  }
  it('sequences of calls, each on the last result', () => {
    fc.assert(
      fc.property(baseArb, fc.array(stepArb, { maxLength: 3 }), fc.array(callArb, { minLength: 2, maxLength: 5 }), ([shape, dtype, values], steps, calls) =>
        leavesNothing(() => {
          const { t, m, where } = buildView(shape, dtype, values, steps);
          let cur: { t: torch.Tensor; v: View } | null = { t, v: { shape: m.shape, dtype, values: modelValues(m, values) } };
          let label = where;
          for (const { name, args } of calls) {
            if (!cur) break;
            const next = checkCall(cur.t, cur.v, name, args, label);
            label = `${label}.${name}(${show(args)})`;
            cur = next;
          }
        }),
      ),
      { numRuns: 600 },
    );
  });
  for (const [name, op] of Object.entries(INPLACE)) {
    it(`${name} writes through the view exactly where the model says, or throws and writes nothing`, () => {
      fc.assert(
        fc.property(baseArb, fc.array(stepArb, { maxLength: 4 }), op.args, ([shape, dtype, values], steps, args) =>
          leavesNothing(() => {
            cases++;
            const { t, m, where, base } = buildView(shape, dtype, values, steps);
            const v: View = { shape: m.shape, dtype, values: modelValues(m, values) };
            const label = `${where}.${name}(${show(args)})`;
            // an expanded view is refused (PyTorch's internal-overlap check), except by fill_
            const overlapping = name !== 'fill_' && m.shape.some((s, d) => s > 1 && m.strides[d] === 0);
            let want = overlapping ? (numel(m.shape) === 0 ? 'any' : 'error') : op.ref(v, args);
            if (want !== 'error' && want !== 'any' && !overlapping) {
              const next = [...values];
              let i = 0;
              forEachIndex(m.shape, (idx) => (next[idx.reduce((p, x, d) => p + x * m.strides[d], m.offset)] = (want as number[])[i++]));
              want = next;
            }
            let threw = false;
            try {
              expect(op.run(t, args), label).toBe(t);
            } catch (e) {
              threw = true;
              expect(e, label).toBeInstanceOf(Error);
              expect((e as Error).message, label).not.toMatch(TRAP);
              if (want !== 'any') expect(want, `${label} threw "${(e as Error).message}"`).toBe('error');
            }
            const f32 = (xs: number[]) => xs.map((x) => (dtype === 'float32' ? Math.fround(x) : x));
            if (threw) expect(flat(base), `${label}: a refused write changed the tensor`).toEqual(f32(values));
            else if (want !== 'any') {
              expect(want, `${label} should have thrown`).not.toBe('error');
              expect(sameNumbers(flat(base), f32(want as number[]), 0), `${label}: ${flat(base)} vs ${want}`).toBe(true);
            }
          }),
        ),
        { numRuns: 400 },
      );
    });
  }
  afterAll(() => {
    console.log(`hostile-call fuzzing: ${cases} generated cases`);
    expect(cases).toBeGreaterThanOrEqual(10_000);
  });
});
