// Defines the vitest suites for a case table: gradcheck of every case in
// each memory layout that changes something for its inputs (the whole
// Jacobian once, the strided layouts by random projections, as PyTorch's
// fast mode), and gradgradcheck of the cases marked for it. One test file
// per family lets vitest run the families in parallel. Each check must
// also leave no tensor alive: every graph it built, with createGraph too,
// is freed by the scopes and disposals alone (counted synchronously, so
// the garbage collector cannot blur the count).
import { describe, expect, it } from 'vitest';
import * as torch from 'torchlet';
import { gradcheck, gradgradcheck, layoutApplies, type Layout } from './gradcheck';
import type { Case } from './inputs';

const LAYOUTS: Layout[] = ['contiguous', 'transposed', 'narrowed'];

export function checkCases(cases: readonly Case[]): void {
  describe('gradcheck', () => {
    for (const k of cases) {
      const layouts = (k.layouts ?? LAYOUTS).filter((l) => layoutApplies(k.inputs, l));
      it(`${k.op}: ${k.name}`, () => {
        const live = torch.memory().liveTensors;
        for (const layout of layouts) gradcheck(k.fn, k.inputs, { eps: k.eps, atol: k.atol, rtol: k.rtol, layout, fast: layout !== 'contiguous' });
        expect(torch.memory().liveTensors - live, 'tensors left alive').toBe(0);
      });
    }
  });

  // GRADGRAD_ALL=1 runs gradgradcheck on every case (slower; all pass)
  const twice = cases.filter((k) => k.gradgrad || process.env.GRADGRAD_ALL);
  if (twice.length === 0) return;
  describe('gradgradcheck', () => {
    for (const k of twice) {
      it(`${k.op}: ${k.name}`, () => {
        const live = torch.memory().liveTensors;
        gradgradcheck(k.fn, k.inputs, { eps: k.eps, atol: k.atol, rtol: k.rtol });
        expect(torch.memory().liveTensors - live, 'tensors left alive').toBe(0);
      });
    }
  });
}
