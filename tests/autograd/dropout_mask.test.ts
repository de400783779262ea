// Dropout's backward uses the very mask its forward drew: with x = 1 the
// gradient (for an upstream gradient of 1) equals the output, zeros and
// 1/(1-p) scale alike. The gradcheck cases fix the seed so every
// evaluation draws the same mask; this checks the mask itself.
import { describe, expect, it } from 'vitest';
import * as torch from 'torchlet';

const F = torch.nn.functional;

describe('dropout backward reuses the forward mask', () => {
  it.each([0.1, 0.5, 0.9])('p = %s', (p) => {
    torch.manualSeed(1234);
    const x = torch.ones([400], { dtype: 'float64', requiresGrad: true });
    const y = F.dropout(x, p);
    y.sum().backward();
    const out = Array.from(y.toTypedArray() as Float64Array);
    expect(Array.from(x.grad!.toTypedArray() as Float64Array)).toEqual(out);
    // a mask was drawn: some elements dropped, the rest scaled
    const kept = out.filter((v) => v !== 0);
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThan(out.length);
    for (const v of kept) expect(v).toBeCloseTo(1 / (1 - p), 12);
  });

  it('the same seed draws the same mask', () => {
    const draw = () => {
      torch.manualSeed(7);
      return Array.from(F.dropout(torch.ones([64], { dtype: 'float64' }), 0.5).toTypedArray() as Float64Array);
    };
    expect(draw()).toEqual(draw());
  });
});
