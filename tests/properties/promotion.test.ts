// Type promotion: algebraic laws of promoteTypes/resultType on random
// operand lists, and every recorded PyTorch dtype rule (result dtype or
// refusal, with its message) for unary ops and for each pair of operand
// kinds of the binary ops.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as torch from 'torchlet';
import { DTYPES, RUNS, type DType, promoteModel } from './util';
import { agrees, binaryRule, knownRuleBug, outcome, rules, type Kind } from './rules';

const dtypeArb = fc.constantFrom(...DTYPES);

/** An operand for resultType: a tensor stand-in (dimensioned or 0-d) or a JS scalar. */
const operandArb = fc.oneof(
  fc.record({ dtype: dtypeArb, ndim: fc.integer({ min: 0, max: 3 }) }),
  fc.boolean(),
  fc.integer({ min: -5, max: 5 }),
  fc.constantFrom(0.5, -2.25),
);
type Operand = { dtype: DType; ndim: number } | number | boolean;

function kindOf(o: Operand): Kind {
  if (typeof o === 'boolean') return ['scalar', 'bool'];
  if (typeof o === 'number') return ['scalar', Number.isInteger(o) ? 'int' : 'float'];
  return [o.ndim === 0 ? 'zerodim' : 'tensor', o.dtype];
}

describe('promoteTypes', () => {
  it('is commutative, associative and idempotent, and picks the higher of the chain', () => {
    fc.assert(
      fc.property(dtypeArb, dtypeArb, dtypeArb, (a, b, c) => {
        expect(torch.promoteTypes(a, b)).toBe(torch.promoteTypes(b, a));
        expect(torch.promoteTypes(torch.promoteTypes(a, b), c)).toBe(torch.promoteTypes(a, torch.promoteTypes(b, c)));
        expect(torch.promoteTypes(a, a)).toBe(a);
        expect(torch.promoteTypes(a, b)).toBe(promoteModel(a, b));
        expect(torch.promoteTypes('bool', a)).toBe(a);
        expect(torch.promoteTypes('float64', a)).toBe('float64');
      }),
      RUNS,
    );
  });
});

describe('resultType', () => {
  it('does not depend on the order of the operands', () => {
    fc.assert(
      fc.property(fc.array(operandArb, { minLength: 1, maxLength: 4 }), fc.nat(), (ops, seed) => {
        const shuffled = [...ops].sort((x, y) => ((JSON.stringify(x).length * 31 + seed) % 7) - ((JSON.stringify(y).length * 31 + seed) % 7));
        expect(torch.resultType(shuffled)).toBe(torch.resultType(ops));
      }),
      RUNS,
    );
  });

  it("equals PyTorch's result dtype of add for every pair of operand kinds", () => {
    fc.assert(
      fc.property(operandArb, operandArb, (a, b) => {
        fc.pre(typeof a === 'object');
        const rule = binaryRule.get(`add ${kindOf(a)} ${kindOf(b)}`)!;
        expect(torch.resultType([a, b])).toBe(rule.result);
      }),
      RUNS,
    );
  });

  it('a dimensioned tensor wins over scalars and 0-d tensors of its own category', () => {
    fc.assert(
      fc.property(dtypeArb, fc.array(operandArb, { maxLength: 3 }), (d, rest) => {
        const cat = (x: DType) => (x === 'bool' ? 0 : x === 'float32' || x === 'float64' ? 2 : 1);
        const others = rest.filter((o) => (typeof o === 'object' ? o.ndim === 0 && cat(o.dtype) <= cat(d) : cat(typeof o === 'boolean' ? 'bool' : Number.isInteger(o) ? 'int64' : 'float32') <= cat(d)));
        expect(torch.resultType([{ dtype: d, ndim: 1 }, ...others])).toBe(d);
      }),
      RUNS,
    );
  });
});

describe("PyTorch's recorded dtype rules", () => {
  const strict = [...rules.unary, ...rules.binary].filter((r) => !knownRuleBug(r) && !r.error?.includes('must be Tensor'));
  const known = [...rules.unary, ...rules.binary].filter(knownRuleBug);

  it(`${strict.length} unary and binary cases give PyTorch's dtype or PyTorch's error`, () => {
    const bad: string[] = [];
    for (const r of strict) {
      const got = outcome(r);
      if (!agrees(r, got)) bad.push(`${r.op} ${'dtype' in r ? r.dtype : `${r.a} ${r.b}`}: want ${r.result ?? r.error}, got ${got.result ?? got.error}`);
    }
    expect(bad).toEqual([]);
  });

  // KNOWN BUGS: see knownRuleBug in rules.ts. This flips to a failure once they are all fixed.
  it.fails(`the ${known.length} known dtype-rule bugs behave as PyTorch`, () => {
    for (const r of known) expect(agrees(r, outcome(r)), `${r.op} ${'dtype' in r ? r.dtype : `${r.a} ${r.b}`}`).toBe(true);
  });
});
