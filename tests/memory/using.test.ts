// `using` declarations (lowered by the test transform where the runtime
// lacks them) dispose tensors at the end of the block, on early return and
// when the block throws; Tensor implements Symbol.dispose.
import { beforeAll, describe, expect, it } from 'vitest';
import * as torch from 'torchlet';
import { NOTHING, leftBehind, warmUp } from './helpers';

beforeAll(warmUp);

describe('using declarations', () => {
  it('Symbol.dispose exists and a tensor implements it', () => {
    expect(typeof Symbol.dispose).toBe('symbol');
    const t = torch.ones([2]);
    expect(typeof t[Symbol.dispose]).toBe('function');
    t[Symbol.dispose]();
    expect(t.isDisposed).toBe(true);
  });

  it('disposes at the end of the block', () => {
    let seen: torch.Tensor | null = null;
    const d = leftBehind(() => {
      {
        using a = torch.ones([32]);
        using b = a.mul(2);
        seen = b;
        expect(b.isDisposed).toBe(false);
        expect(torch.memory().liveTensors).toBeGreaterThanOrEqual(2);
      }
      expect(seen!.isDisposed).toBe(true);
    });
    expect(d).toEqual(NOTHING);
  });

  it('disposes on early return and when the block throws', () => {
    const early = (): number => {
      using t = torch.full([3], 4);
      return (t.tolist() as number[])[0];
    };
    const throwing = (): void => {
      using t = torch.full([3], 4);
      if (t.numel() === 3) throw new Error('inside using');
    };
    const d = leftBehind(() => {
      expect(early()).toBe(4);
      expect(throwing).toThrow('inside using');
    });
    expect(d).toEqual(NOTHING);
  });

  it('disposing a view with using leaves the base intact', () => {
    const base = torch.arange(6);
    {
      using v = base.view(2, 3);
      expect(v.tolist()).toEqual([[0, 1, 2], [3, 4, 5]]);
    }
    expect(base.tolist()).toEqual([0, 1, 2, 3, 4, 5]);
    base.dispose();
  });

  it('a loop of using blocks does not grow memory', () => {
    const d = leftBehind(() => {
      for (let i = 0; i < 1000; i++) {
        using x = torch.full([8], i);
        using y = x.add(1);
        using s = y.sum();
        expect(s.item()).toBe(8 * (i + 1));
      }
    });
    expect(d).toEqual(NOTHING);
  });

  it('works together with tidy and with an explicit dispose inside the block', () => {
    const d = leftBehind(() => {
      using r = torch.tidy(() => torch.ones([4]).mul(3));
      r.dispose(); // the implicit dispose at the end must then be a no-op
    });
    expect(d).toEqual(NOTHING);
  });
});
