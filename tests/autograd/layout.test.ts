// Gradient layouts follow PyTorch's: mm gives a column-major operand (a
// transpose, like linear's weight.t()) a column-major gradient, so a leaf's
// .grad is laid out as the leaf is. Strides recorded from PyTorch 1.13.
import { describe, expect, it } from 'vitest';
import * as torch from 'torchlet';

describe('gradient layout', () => {
  it('linear and x @ W.t() give W a contiguous grad, as PyTorch does (strides (3, 1))', () => {
    const W = torch.randn(5, 3, { requiresGrad: true });
    const x = torch.randn(4, 3);
    x.mm(W.t()).sum().backward();
    expect(W.grad!.strides).toEqual([3, 1]);
    const lin = new torch.nn.Linear(3, 5);
    torch.nn.functional.linear(x, lin.weight, lin.bias).sum().backward();
    expect(lin.weight.grad!.strides).toEqual([3, 1]);
  });

  it('A.t() @ B gives A a contiguous grad (strides (4, 1)) with the same values as the row-major route', () => {
    const A = torch.randn(3, 4, { requiresGrad: true });
    const B = torch.randn(3, 2);
    A.t().mm(B).sum().backward();
    expect(A.grad!.strides).toEqual([4, 1]);
    const A2 = A.detach().clone().requiresGrad_();
    A2.t().contiguous().mm(B).sum().backward();
    expect(A.grad!.sub(A2.grad!).abs().max().item()).toBeLessThan(1e-6);
  });
});
