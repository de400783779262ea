// Defines the vitest suites for a case table: gradcheck of every case in
// each memory layout that changes something for its inputs (the whole
// Jacobian once, the strided layouts by random projections, as PyTorch's
// fast mode), and gradgradcheck of the cases marked for it. One test file
// per family lets vitest run the families in parallel.
import { describe, it } from 'vitest';
import { gradcheck, gradgradcheck, layoutApplies, type Layout } from './gradcheck';
import type { Case } from './inputs';

const LAYOUTS: Layout[] = ['contiguous', 'transposed', 'narrowed'];

export function checkCases(cases: readonly Case[]): void {
  describe('gradcheck', () => {
    for (const k of cases) {
      const layouts = (k.layouts ?? LAYOUTS).filter((l) => layoutApplies(k.inputs, l));
      it(`${k.op}: ${k.name}`, () => {
        for (const layout of layouts) gradcheck(k.fn, k.inputs, { eps: k.eps, atol: k.atol, rtol: k.rtol, layout, fast: layout !== 'contiguous' });
      });
    }
  });

  // GRADGRAD_ALL=1 runs gradgradcheck on every case (slower; all pass)
  const twice = cases.filter((k) => k.gradgrad || process.env.GRADGRAD_ALL);
  if (twice.length === 0) return;
  describe('gradgradcheck', () => {
    for (const k of twice) {
      it(`${k.op}: ${k.name}`, () => {
        gradgradcheck(k.fn, k.inputs, { eps: k.eps, atol: k.atol, rtol: k.rtol });
      });
    }
  });
}
