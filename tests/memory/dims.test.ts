// Tensors of many dims: the kernels read shapes and strides from a fixed
// meta block and keep their odometers there, so a call that needed more
// than it holds used to write into the heap (a cumsum over 700 size-1 dims
// changed an unrelated tensor). Every op must give the right answer or
// refuse, and other tensors must keep their values.
import { describe, expect, it } from 'vitest';
import * as torch from 'torchlet';

const ops: Record<string, (shape: number[]) => number> = {
  add: (s) => torch.ones(s).add(torch.ones(s)).sum().item() as number,
  'add (transposed)': (s) => torch.ones(s).transpose(0, s.length - 1).add(1).sum().item() as number,
  'contiguous of a transpose': (s) => torch.ones([2, ...s]).transpose(0, s.length).contiguous().sum().item() as number,
  'sum over one dim': (s) => torch.ones([2, ...s, 2]).sum(0).sum().item() as number,
  argmax: (s) => torch.ones([2, ...s, 2]).argmax(0).sum().item() as number,
  cumsum: (s) => torch.ones([2, ...s]).cumsum(0).sum().item() as number,
  softmax: (s) => torch.ones([2, ...s]).softmax(0).sum().item() as number,
  matmul: (s) => torch.ones([...s, 2, 2]).matmul(torch.ones(2, 2)).sum().item() as number,
  gather: (s) => torch.ones([...s, 3]).gather(s.length, torch.zeros([...s, 2], { dtype: 'int64' })).sum().item() as number,
  'rand_ shape': (s) => torch.rand(s).numel(),
};
const want: Record<string, number> = { add: 2, 'add (transposed)': 2, 'contiguous of a transpose': 2, 'sum over one dim': 4, argmax: 0, cumsum: 3, softmax: 1, matmul: 8, gather: 2, 'rand_ shape': 1 };

describe('many dims', () => {
  for (const n of [64, 700, 2100]) {
    it(`${n} size-1 dims: every op answers right and no other tensor changes`, () => {
      const guard = torch.arange(4096, { dtype: 'float32' });
      const before = Array.from(guard.toTypedArray() as Float32Array);
      for (const [name, f] of Object.entries(ops)) {
        let got: number | Error;
        try {
          got = torch.tidy(() => f(new Array(n).fill(1)));
        } catch (e) {
          got = e as Error;
        }
        if (got instanceof Error) expect(got.message, name).toMatch(/too many dimensions/);
        else expect(got, name).toBe(want[name]);
      }
      expect(Array.from(guard.toTypedArray() as Float32Array)).toEqual(before);
      guard.dispose();
    });
  }
});
