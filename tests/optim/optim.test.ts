// torch.optim against PyTorch 1.13 (fixture: tests/fixtures/gen_nn_optim.py): 20-step
// trajectories of every optimizer option on four small problems, parameter groups,
// state dict round trips that continue identically, and the argument checks.
import { describe, expect, it } from 'vitest';
import * as torch from 'torchlet';
import { loadFixture } from '../nn/records';
import { PROBLEMS } from './problems';

interface Trajectory {
  problem: string;
  optimizer: 'SGD' | 'Adam' | 'AdamW' | 'RMSprop';
  options: Record<string, unknown>;
  groups: ({ params: number[] } & Record<string, unknown>)[] | null;
  losses: number[];
  params: number[][];
  stateKeys: string[];
}

interface Fixture {
  steps: number;
  trajectories: Trajectory[];
  errors: { js: string; error: string }[];
}

const fx = loadFixture<Fixture>('optim');

/** float32 trajectories: PyTorch and torchlet round the same operations, but libm and summation order differ by ulps that 20 steps can amplify. */
const RTOL = 2e-5, ATOL = 2e-6;

type AnyOptimizer = torch.optim.Optimizer<{ lr: number }>;

function makeOptimizer(t: Trajectory, params: torch.Tensor[]): AnyOptimizer {
  const Cls = torch.optim[t.optimizer] as unknown as new (p: unknown, o: unknown) => AnyOptimizer;
  const input = t.groups ? t.groups.map(({ params: idx, ...rest }) => ({ ...rest, params: idx.map((i) => params[i]) })) : params;
  return new Cls(input, t.options);
}

const label = (t: Trajectory): string =>
  `${t.optimizer} ${JSON.stringify(t.options)}${t.groups ? ` groups ${JSON.stringify(t.groups)}` : ''} on ${t.problem}`;

function runSteps(opt: AnyOptimizer, params: torch.Tensor[], problem: string, n: number): { losses: number[]; params: number[][] } {
  const losses: number[] = [], states: number[][] = [];
  for (let i = 0; i < n; i++) {
    opt.zeroGrad();
    const loss = PROBLEMS[problem].loss(params);
    loss.backward();
    opt.step();
    losses.push(loss.item() as number);
    states.push(params.flatMap((p) => p.reshape(-1).tolist() as number[]));
  }
  return { losses, params: states };
}

function expectClose(got: number[], want: number[], where: string): void {
  expect(got.length, where).toBe(want.length);
  got.forEach((g, i) => {
    if (!(Math.abs(g - want[i]) <= ATOL + RTOL * Math.abs(want[i]))) throw new Error(`${where}[${i}]: ${g} vs PyTorch ${want[i]}`);
  });
}

describe('trajectories', () => {
  for (const t of fx.trajectories) {
    it(label(t), () => {
      const params = PROBLEMS[t.problem].init().map((p) => p.requiresGrad_());
      const opt = makeOptimizer(t, params);
      const r = runSteps(opt, params, t.problem, fx.steps);
      for (let s = 0; s < fx.steps; s++) {
        expectClose([r.losses[s]], [t.losses[s]], `loss at step ${s + 1}`);
        expectClose(r.params[s], t.params[s], `params after step ${s + 1}`);
      }
      const keys = [...new Set([...opt.state.values()].flatMap((s) => Object.keys(s)))].sort();
      expect(keys).toEqual(t.stateKeys);
    });
  }
});

describe('the issue example', () => {
  it('Adam on sin(log(x^2 + 1)) from x = 1, lr 0.1, reaches x = 0.0226 after 10 steps', () => {
    const x = torch.tensor([1], { dtype: 'float32', requiresGrad: true });
    const opt = new torch.optim.Adam([x], { lr: 0.1 });
    for (let i = 0; i < 10; i++) {
      opt.zeroGrad();
      x.pow(2).add(1).log().sin().sum().backward();
      opt.step();
    }
    expect(x.item()).toBeCloseTo(0.0226, 4);
    const want = fx.trajectories.find((t) => t.problem === 'sinlog' && t.optimizer === 'Adam' && JSON.stringify(t.options) === '{"lr":0.1}')!;
    expectClose([x.item() as number], want.params[9], 'x');
  });
});

describe('state dict round trip continues identically', () => {
  const picks = fx.trajectories.filter((t) => t.problem === 'mlp' && !t.groups);
  for (const t of picks) {
    it(label(t), () => {
      const params = PROBLEMS.mlp.init().map((p) => p.requiresGrad_());
      const opt = makeOptimizer(t, params);
      runSteps(opt, params, 'mlp', 10);
      const sd = opt.stateDict();
      // a fresh optimizer over copies of the parameters, loaded from the state dict
      const copies = params.map((p) => p.detach().clone().requiresGrad_());
      const resumed = makeOptimizer({ ...t, options: { ...t.options, lr: 0.123 } }, copies);
      resumed.loadStateDict(sd);
      expect(resumed.paramGroups[0].lr).toBe(opt.paramGroups[0].lr);
      const a = runSteps(opt, params, 'mlp', 10);
      const b = runSteps(resumed, copies, 'mlp', 10);
      expect(b.params).toEqual(a.params);
      expect(b.losses).toEqual(a.losses);
      for (let s = 0; s < 10; s++) expectClose(a.params[s], t.params[10 + s], `params after step ${11 + s}`);
      // the loaded state is a copy: stepping one optimizer leaves the other's state alone
      const before = JSON.stringify(Object.values(resumed.stateDict().state).map((s) => Object.keys(s)));
      expect(before).toBe(JSON.stringify(Object.values(sd.state).map((s) => Object.keys(s))));
    });
  }
  it('refuses a state dict with a different group layout', () => {
    const p = torch.zeros([2], { requiresGrad: true }), q = torch.zeros([2], { requiresGrad: true });
    const sd = new torch.optim.SGD([p, q], { lr: 0.1 }).stateDict();
    expect(() => new torch.optim.SGD([{ params: [p] }, { params: [q] }], { lr: 0.1 }).loadStateDict(sd)).toThrow(
      'loaded state dict has a different number of parameter groups',
    );
    expect(() => new torch.optim.SGD([p], { lr: 0.1 }).loadStateDict(sd)).toThrow(
      "loaded state dict contains a parameter group that doesn't match the size of optimizer's group",
    );
  });
});

describe('zeroGrad', () => {
  const setup = (): [torch.Tensor, torch.optim.SGD] => {
    const p = torch.ones([3], { requiresGrad: true });
    p.mul(2).sum().backward();
    return [p, new torch.optim.SGD([p], { lr: 0.1 })];
  };
  it('zeroes in place by default (PyTorch 1.13)', () => {
    const [p, opt] = setup();
    const g = p.grad;
    opt.zeroGrad();
    expect(p.grad).toBe(g);
    expect(p.grad!.tolist()).toEqual([0, 0, 0]);
  });
  it('drops gradients with setToNone, and step() then skips the parameter', () => {
    const [p, opt] = setup();
    opt.zeroGrad(true);
    expect(p.grad).toBeNull();
    opt.step();
    expect(p.tolist()).toEqual([1, 1, 1]);
  });
});

describe('argument checks', () => {
  for (const e of fx.errors) {
    it(e.js, () => {
      const p = torch.zeros([2], { requiresGrad: true });
      expect(() => new Function('torch', 'p', `return ${e.js}`)(torch, p)).toThrow(e.error);
    });
  }
});

describe('fixture', () => {
  it('was recorded from PyTorch 1.13 and covers every optimizer and option', () => {
    expect(fx.torch).toMatch(/^1\.13/);
    const seen = new Set(fx.trajectories.flatMap((t) => [t.optimizer, ...Object.keys(t.options).map((k) => `${t.optimizer}.${k}`)]));
    for (const k of ['SGD.momentum', 'SGD.dampening', 'SGD.nesterov', 'SGD.weightDecay', 'SGD.maximize', 'Adam.amsgrad', 'Adam.weightDecay', 'Adam.maximize', 'AdamW.amsgrad', 'AdamW.weightDecay', 'AdamW.maximize', 'RMSprop.centered', 'RMSprop.momentum', 'RMSprop.weightDecay', 'RMSprop.maximize']) {
      expect(seen.has(k), k).toBe(true);
    }
  });
  it('the comparison can fail', () => {
    expect(() => expectClose([1.00001], [1], 'x')).not.toThrow();
    expect(() => expectClose([1.0001], [1], 'x')).toThrow(/PyTorch/);
  });
});
