// The checkers themselves: they must reject wrong gradients (a check that
// cannot fail is a defect), build the layouts they claim, and agree with
// closed forms such as d2/dx2 x^3 = 6x.
import { describe, expect, it } from 'vitest';
import * as torch from 'torchlet';
import { gradcheck, gradgradcheck, makeLeaf, type Layout } from './gradcheck';
import { arg, fixed } from './inputs';

type Tensor = torch.Tensor;
const LAYOUTS: Layout[] = ['contiguous', 'transposed', 'narrowed'];

describe('gradcheck rejects wrong gradients', () => {
  // x * x.detach() has value x^2 but claims the gradient x (the truth is 2x)
  const halfGrad = (x: Tensor): Tensor => x.mul(x.detach());

  it.each(LAYOUTS)('a gradient off by a factor (%s, full and fast)', (layout) => {
    expect(() => gradcheck(halfGrad, [arg([3, 4], { minAbs: 0.2 })], { layout })).toThrow(/Jacobian mismatch/);
    expect(() => gradcheck(halfGrad, [arg([3, 4], { minAbs: 0.2 })], { layout, fast: true })).toThrow(/Jacobian mismatch/);
  });

  it('a missing gradient for one of two inputs', () => {
    expect(() => gradcheck((a, b) => a.mul(b.detach()).add(b.mul(0)), [arg([4]), arg([4])])).toThrow(/input 1/);
  });

  it('a gradient that lands on the wrong element', () => {
    // forward flips, backward does not: value x.flip(0), gradient as if identity
    const wrong = (x: Tensor): Tensor => x.sub(x.detach()).add(x.detach().flip(0));
    expect(() => gradcheck(wrong, [arg([4])])).toThrow(/Jacobian mismatch/);
  });

  it('an error just above tolerance, and accepts one just below', () => {
    const off = (k: number) => (x: Tensor): Tensor => x.mul(1 + k).sub(x.detach().mul(k));
    expect(() => gradcheck(off(5e-3), [fixed([1, 2, 3])])).toThrow(/Jacobian mismatch/);
    expect(() => gradcheck(off(5e-4), [fixed([1, 2, 3])])).not.toThrow();
  });

  it('a NaN gradient', () => {
    // sqrt(|0 * x|) is 0 everywhere, but its chain rule multiplies inf by 0
    const nan = (x: Tensor): Tensor => x.add(x.mul(0).abs().sqrt());
    expect(() => gradcheck(nan, [fixed([1, 2])])).toThrow(/analytic NaN, numeric 1/);
  });

  it('refuses a case with nothing to differentiate', () => {
    expect(() => gradcheck((x) => x.mul(2), [fixed([1, 2], [2], false)])).toThrow(/no input requires grad/);
  });
});

describe('gradgradcheck rejects wrong second derivatives', () => {
  it('a backward that is right to first order but not differentiable', () => {
    // value x^2 / 2, first derivative x (correct), but the backward reads a detached x: its derivative is lost
    const f = (x: Tensor): Tensor => x.mul(x.detach()).sub(x.detach().square().mul(0.5));
    const x = arg([4], { minAbs: 0.2 });
    expect(() => gradcheck(f, [x])).not.toThrow();
    expect(() => gradgradcheck(f, [x])).toThrow(/Jacobian mismatch/);
  });

  it('accepts a correct one', () => {
    expect(() => gradgradcheck((x) => x.pow(3).mul(x.sin()), [arg([4])])).not.toThrow();
  });
});

describe('second derivatives in closed form', () => {
  it('d2/dx2 x^3 is 6x', () => {
    const x = fixed([-1.5, -0.25, 0, 0.5, 2]);
    const [g] = torch.autograd.grad(x.pow(3).sum(), x, null, { createGraph: true });
    expect(Array.from(g!.toTypedArray() as Float64Array)).toEqual([6.75, 0.1875, 0, 0.75, 12]);
    const [h] = torch.autograd.grad(g!.sum(), x);
    expect(Array.from(h!.toTypedArray() as Float64Array)).toEqual([-9, -1.5, 0, 3, 12]);
  });

  it('the third derivative of x^3 is 6, reached through three createGraph passes', () => {
    const x = fixed([0.5, -2]);
    const [g1] = torch.autograd.grad(x.pow(3).sum(), x, null, { createGraph: true });
    const [g2] = torch.autograd.grad(g1!.sum(), x, null, { createGraph: true });
    const [g3] = torch.autograd.grad(g2!.sum(), x);
    expect(Array.from(g3!.toTypedArray() as Float64Array)).toEqual([6, 6]);
  });
});

describe('layouts', () => {
  it.each([
    ['contiguous', [4, 1], 0],
    ['transposed', [1, 3], 0],
    ['narrowed', [7, 1], 1],
  ] as const)('%s leaves have strides %j, offset %d, the same values, and are leaves', (layout, strides, offset) => {
    const values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
    const t = makeLeaf(values, [3, 4], 'float64', layout, true);
    expect(t.stride()).toEqual(strides);
    expect(t.storageOffset()).toBe(offset);
    expect(Array.from(t.toTypedArray() as Float64Array)).toEqual(values);
    expect(t.isLeaf && t.requiresGrad).toBe(true);
  });
});
