// StepLR and CosineAnnealingLR against PyTorch 1.13 (fixture: gen_nn_optim.py): the
// learning rates over 30 steps, from getLastLr() and from the optimizer's groups, with
// PyTorch's recursive ("chainable") formulas, so they agree to the last bit or two
// (V8's Math.cos and glibc's cos may round differently).
import { describe, expect, it } from 'vitest';
import * as torch from 'torchlet';
import { loadFixture } from '../nn/records';

interface SchedCase {
  scheduler: 'StepLR' | 'CosineAnnealingLR';
  options: { stepSize?: number; gamma?: number; tMax?: number; etaMin?: number };
  lrs: number[];
  lastLr: number[][];
  groupLr: number[][];
  initialLr: number[];
}

const fx = loadFixture<{ schedulers: SchedCase[] }>('optim');

function make(c: SchedCase): [torch.optim.SGD, torch.optim.lrScheduler.LRScheduler] {
  const opt = new torch.optim.SGD(
    c.lrs.map((lr) => ({ params: [torch.zeros([1], { requiresGrad: true })], lr })),
    { lr: c.lrs[0] },
  );
  const o = c.options;
  const s =
    c.scheduler === 'StepLR'
      ? new torch.optim.lrScheduler.StepLR(opt, o.stepSize!, o.gamma)
      : new torch.optim.lrScheduler.CosineAnnealingLR(opt, o.tMax!, o.etaMin);
  return [opt, s];
}

// e.g. V8 gives cos(12π/10) = -0.8090169943749475, glibc -0.8090169943749476
const near = (a: number, b: number): boolean => a === b || Math.abs(a - b) <= 4 * Number.EPSILON * Math.abs(b);

describe('learning-rate schedules', () => {
  for (const c of fx.schedulers) {
    it(`${c.scheduler} ${JSON.stringify(c.options)} from ${JSON.stringify(c.lrs)}`, () => {
      const [opt, s] = make(c);
      const got: number[][] = [s.getLastLr()], groups: number[][] = [opt.paramGroups.map((g) => g.lr)];
      for (let i = 0; i < 30; i++) {
        opt.step();
        s.step();
        got.push(s.getLastLr());
        groups.push(opt.paramGroups.map((g) => g.lr));
      }
      c.lastLr.forEach((want, i) => want.forEach((w, j) => expect(near(got[i][j], w), `step ${i} group ${j}: ${got[i][j]} vs ${w}`).toBe(true)));
      c.groupLr.forEach((want, i) => want.forEach((w, j) => expect(near(groups[i][j], w), `group lr at step ${i}`).toBe(true)));
      expect(opt.paramGroups.map((g) => (g as unknown as { initial_lr: number }).initial_lr)).toEqual(c.initialLr);
    });
  }
  it('StepLR schedules are exact: only multiplications by gamma', () => {
    for (const c of fx.schedulers.filter((x) => x.scheduler === 'StepLR')) {
      const [opt, s] = make(c);
      const got = [s.getLastLr()];
      for (let i = 0; i < 30; i++) {
        opt.step();
        s.step();
        got.push(s.getLastLr());
      }
      expect(got).toEqual(c.lastLr);
    }
  });
});
