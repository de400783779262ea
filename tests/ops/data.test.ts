// Tensor.data: a detached view on read; on write, the tensor takes another
// tensor's contents in place (PyTorch's `x.data = t`).
import { describe, expect, it } from 'vitest';
import * as torch from 'torchlet';

describe('Tensor.data', () => {
  it('reads as a detached view of the same storage', () => {
    const x = torch.tensor([1, 2, 3], { dtype: 'float32', requiresGrad: true });
    const d = x.data;
    expect(d.requiresGrad).toBe(false);
    d.mul_(2);
    expect(x.tolist()).toEqual([2, 4, 6]);
  });
  it('assignment swaps contents, dtype and shape, keeping identity and requiresGrad', () => {
    const x = torch.zeros([2], { requiresGrad: true });
    const before = torch.memory();
    x.data = torch.tensor([[1.5, 2.5]], { dtype: 'float64' });
    expect(x.shape).toEqual([1, 2]);
    expect(x.dtype).toBe('float64');
    expect(x.requiresGrad).toBe(true);
    expect(x.tolist()).toEqual([[1.5, 2.5]]);
    expect(torch.memory().liveTensors).toBe(before.liveTensors + 1);
  });
  it('frees the old storage and keeps the new one alive after the source is disposed', () => {
    const baseline = torch.memory().liveBytes;
    const x = torch.zeros([1000]);
    const y = torch.ones([10]);
    x.data = y;
    y.dispose();
    expect(torch.tidy(() => x.sum().item())).toBe(10);
    x.dispose();
    expect(torch.memory().liveBytes).toBe(baseline);
  });
});

describe('BigInt input', () => {
  it('keeps int64 values beyond 2^53 exactly', () => {
    expect(torch.tensor([-9007199254740993n, 5n]).toTypedArray()).toEqual(new BigInt64Array([-9007199254740993n, 5n]));
    expect(torch.tensor(new BigInt64Array([2n ** 62n + 1n])).toTypedArray()).toEqual(new BigInt64Array([2n ** 62n + 1n]));
  });
  it('refuses values outside int64 and mixes with fractions as float32', () => {
    expect(() => torch.tensor([2n ** 63n])).toThrow(/without overflow/);
    expect(torch.tensor([1n, 2.5]).dtype).toBe('float32');
  });
});
