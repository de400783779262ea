// torch.nn.init against PyTorch 1.13 (fixture: tests/fixtures/gen_nn_init.py): gains,
// fans, and every initializer on a seeded tensor, bit for bit, including where the
// generator stands afterwards; refusals with PyTorch's messages. Plus statistics
// that hold whatever the seed.
import { describe, expect, it } from 'vitest';
import * as torch from 'torchlet';
import { diffExact, loadFixture, run, type TensorRecord } from './records';

interface Fixture {
  gains: [string, number | null, number][];
  fans: [number[], [number, number]][];
  inits: { id: string; js: string; shape: number[]; dtype: torch.DType; seed: number; out: TensorRecord; same: boolean; after: TensorRecord }[];
  errors: { js: string; error: string }[];
}

const fx = loadFixture<Fixture>('init');
const init = torch.nn.init;

describe('calculateGain', () => {
  for (const [name, param, want] of fx.gains) {
    it(`${name}${param === null ? '' : ` ${param}`}`, () => {
      expect(init.calculateGain(name as torch.nn.init.Nonlinearity, param ?? undefined)).toBe(want);
    });
  }
});

describe('calculateFanInAndFanOut', () => {
  for (const [shape, want] of fx.fans) {
    it(`[${shape}]`, () => {
      expect(init.calculateFanInAndFanOut(torch.empty(shape))).toEqual(want);
    });
  }
});

describe('initializers draw what PyTorch draws', () => {
  for (const c of fx.inits) {
    it(c.id, () => {
      torch.manualSeed(c.seed);
      const t = torch.empty(c.shape, { dtype: c.dtype });
      const r = run<torch.Tensor>(`return ${c.js}`, { t });
      const d = diffExact(t, c.out, /normal/i.test(c.js) ? 2 : 0);
      if (d) throw new Error(d);
      // in place: the result is the argument (or a view of it)
      if (c.same) expect(r.storage).toBe(t.storage);
      const after = diffExact(torch.rand([2]), c.after);
      if (after) throw new Error(`generator afterwards: ${after}`);
    });
  }
});

describe('refusals', () => {
  for (const c of fx.errors) {
    it(c.js, () => {
      expect(() => run(`return ${c.js}`)).toThrow(c.error);
    });
  }
});

describe('statistics', () => {
  const stats = (t: torch.Tensor): { mean: number; std: number; min: number; max: number } => ({
    mean: t.mean().item() as number,
    std: t.std().item() as number,
    min: t.min().item() as number,
    max: t.max().item() as number,
  });
  it('kaimingUniform_ stays within gain * sqrt(3 / fanIn), std = gain / sqrt(fanIn)', () => {
    const t = init.kaimingUniform_(torch.empty([400, 250]), { nonlinearity: 'relu' });
    const bound = Math.sqrt(2) * Math.sqrt(3 / 250);
    const s = stats(t);
    expect(s.max).toBeLessThan(bound);
    expect(s.min).toBeGreaterThanOrEqual(-bound);
    expect(Math.abs(s.std - Math.sqrt(2 / 250)) / Math.sqrt(2 / 250)).toBeLessThan(0.01);
    expect(Math.abs(s.mean)).toBeLessThan(0.002);
  });
  it('kaimingNormal_ fan_out has std gain / sqrt(fanOut)', () => {
    const t = init.kaimingNormal_(torch.empty([300, 20, 3, 3]), { mode: 'fan_out' });
    const want = Math.sqrt(2) / Math.sqrt(300 * 9);
    expect(Math.abs(stats(t).std - want) / want).toBeLessThan(0.01);
  });
  it('xavierUniform_ bound is gain * sqrt(6 / (fanIn + fanOut))', () => {
    const t = init.xavierUniform_(torch.empty([300, 500]), 2);
    const a = 2 * Math.sqrt(6 / 800);
    const s = stats(t);
    expect(s.max).toBeLessThan(a);
    expect(s.min).toBeGreaterThanOrEqual(-a);
    expect(s.max).toBeGreaterThan(0.99 * a);
  });
  it('xavierNormal_ std is gain * sqrt(2 / (fanIn + fanOut))', () => {
    const t = init.xavierNormal_(torch.empty([300, 500]));
    expect(Math.abs(stats(t).std - Math.sqrt(2 / 800)) / Math.sqrt(2 / 800)).toBeLessThan(0.01);
  });
  it('initializers do not record gradients on parameters', () => {
    const p = new torch.nn.Parameter(torch.empty([3, 4]));
    for (const f of [() => init.kaimingUniform_(p), () => init.normal_(p), () => init.constant_(p, 2), () => init.xavierNormal_(p)]) {
      const r = f();
      expect(r.gradFn).toBeNull();
      expect(p.isLeaf).toBe(true);
    }
  });
});

it('fixture was recorded from PyTorch 1.13', () => {
  expect(fx.torch).toMatch(/^1\.13/);
});
