// Steady state: a training loop inside tidy keeps liveBytes and the wasm
// memory flat, and freed blocks are reused instead of growing memory.
import { beforeAll, describe, expect, it } from 'vitest';
import * as torch from 'torchlet';
import { warmUp } from './helpers';

beforeAll(warmUp);

/** A small MLP regression: forward, backward, in-place SGD, gradients zeroed in place. */
function model() {
  const w1 = torch.tensor([[0.1, -0.2, 0.3], [0.05, 0.1, -0.1]], { requiresGrad: true });
  const b1 = torch.zeros([3], { requiresGrad: true });
  const w2 = torch.tensor([[0.2], [-0.3], [0.1]], { requiresGrad: true });
  const x = torch.tensor([[1, 2], [0.5, -1], [-1.5, 0.25], [2, 2]]);
  const y = torch.tensor([[1], [0], [-1], [2]]);
  const params = [w1, b1, w2];
  const step = (): number =>
    torch.tidy(() => {
      const h = x.matmul(w1).add(b1).relu();
      const loss = h.matmul(w2).sub(y).square().mean();
      loss.backward();
      torch.noGrad(() => {
        for (const p of params) {
          p.sub_(p.grad!.mul(0.05));
          p.grad!.zero_();
        }
      });
      return loss.item() as number;
    });
  return { params, step, dispose: () => [...params, x, y].forEach((t) => t.dispose()) };
}

describe('steady state', () => {
  it('2000 training steps inside tidy keep liveBytes, liveTensors and wasmBytes flat', () => {
    const m = model();
    const first = m.step();
    for (let i = 0; i < 50; i++) m.step(); // the .grad tensors appear in the first step
    const settled = torch.memory();
    let last = first;
    for (let i = 0; i < 2000; i++) last = m.step();
    const end = torch.memory();
    expect(last).toBeLessThan(first); // it trains
    expect(end.liveBytes).toBe(settled.liveBytes);
    expect(end.liveTensors).toBe(settled.liveTensors);
    expect(end.wasmBytes).toBe(settled.wasmBytes);
    m.dispose();
  });

  it('after the model is disposed, memory is back to where it started', () => {
    const before = torch.memory();
    const m = model();
    for (let i = 0; i < 20; i++) m.step();
    m.dispose();
    const after = torch.memory();
    expect(after.liveBytes).toBe(before.liveBytes);
    expect(after.liveTensors).toBe(before.liveTensors);
  });

  it('freed blocks are reused: allocating and freeing the same sizes stops growing wasm memory', () => {
    const sizes = [1, 7, 64, 100, 1000, 4096, 65536, 300000];
    const round = () => {
      const ts = sizes.map((n) => torch.zeros([n]));
      ts.forEach((t, i) => i % 2 && t.dispose());
      const more = sizes.map((n) => torch.ones([n]));
      ts.forEach((t) => t.dispose());
      more.forEach((t) => t.dispose());
    };
    round();
    const grown = torch.memory().wasmBytes;
    const live = torch.memory().liveBytes;
    for (let i = 0; i < 200; i++) round();
    expect(torch.memory().wasmBytes).toBe(grown);
    expect(torch.memory().liveBytes).toBe(live);
  });

  it('memory freed by one size serves other sizes after coalescing', () => {
    const a = Array.from({ length: 64 }, () => torch.zeros([1024])); // 64 x 4 KiB
    const grown = torch.memory().wasmBytes;
    a.forEach((t) => t.dispose());
    const b = torch.zeros([64 * 1024 - 64]); // one block of nearly the same total size
    expect(torch.memory().wasmBytes).toBe(grown);
    b.dispose();
  });

  // a graph that is never backwarded is released when tidy disposes its outputs (Node.ownerDisposed)
  it('forward-only steps with requiresGrad parameters inside tidy keep memory flat', () => {
    const m = model();
    const [w1, b1, w2] = m.params;
    const x = torch.ones([4, 2]);
    const forward = () => torch.tidy(() => x.matmul(w1).add(b1).relu().matmul(w2).mean().item());
    forward();
    const settled = torch.memory();
    for (let i = 0; i < 200; i++) forward();
    const end = torch.memory();
    x.dispose();
    m.dispose();
    expect(end.liveTensors).toBe(settled.liveTensors);
    expect(end.liveBytes).toBe(settled.liveBytes);
  });
});
