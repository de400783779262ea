// Runs every gradcheck case in each memory layout that changes something
// for its inputs, and gradgradcheck on the cases marked for it.
import { describe, it } from 'vitest';
import { gradcheck, gradgradcheck, layoutApplies, type Layout } from './gradcheck';
import { ALL_CASES } from './cases';

const LAYOUTS: Layout[] = ['contiguous', 'transposed', 'narrowed'];

describe('gradcheck', () => {
  for (const k of ALL_CASES) {
    const layouts = (k.layouts ?? LAYOUTS).filter((l) => layoutApplies(k.inputs, l));
    it(`${k.op}: ${k.name}`, () => {
      // the whole Jacobian once; the strided layouts by random projections (PyTorch's fast mode)
      for (const layout of layouts) gradcheck(k.fn, k.inputs, { eps: k.eps, atol: k.atol, rtol: k.rtol, layout, fast: layout !== 'contiguous' });
    });
  }
});

describe('gradgradcheck', () => {
  for (const k of ALL_CASES.filter((k) => k.gradgrad)) {
    it(`${k.op}: ${k.name}`, () => {
      gradgradcheck(k.fn, k.inputs, { eps: k.eps, atol: k.atol, rtol: k.rtol });
    });
  }
});
