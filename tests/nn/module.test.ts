// nn.Module against PyTorch 1.13 (fixtures: tests/fixtures/gen_nn_modules.py): the same
// models built on both sides must agree on names, order, reprs, state dicts (bit for
// bit after a seeded initialisation), train/eval flags, forward values and gradients;
// load_state_dict must accept, refuse and report exactly as PyTorch does.
import { beforeAll, describe, expect, it } from 'vitest';
import * as torch from 'torchlet';
import { dataOf, diffApprox, diffExact, loadFixture, run, type Approx, type TensorRecord } from './records';

interface Scenario {
  id: string;
  seed: number;
  js: string;
  repr: string;
  namedParameters: [string, number[], boolean][];
  namedBuffers: [string, number[]][];
  namedChildren: string[];
  namedModules: [string, string][];
  stateDict: [string, TensorRecord][];
  evalFlags: boolean[];
  input?: { shape: number[]; index: number | null; dtype: torch.DType; eval: boolean };
  output?: { shape: number[]; values: Approx };
  grads?: [string, Approx | null][];
  inputGrad?: Approx | null;
  tol?: number;
}

interface LoadCase {
  id: string;
  model: string;
  state: string;
  strict: boolean;
  error?: string;
  missing?: string[];
  unexpected?: string[];
  after: [string, TensorRecord][];
}

interface DropoutCase {
  seed: number;
  p: number;
  shape: number[];
  layout: 'contiguous' | 'transposed';
  out: TensorRecord;
  after: TensorRecord;
  grad?: TensorRecord;
  node?: string;
}

interface ToFloat64 {
  js: string;
  seed: number;
  stateDict: [string, TensorRecord][];
  output: number[];
  doubleSame: boolean;
  intError: string;
}

interface Fixture {
  scenarios: Scenario[];
  loads: LoadCase[];
  reprs: { js: string; repr: string }[];
  dropout: DropoutCase[];
  toFloat64: ToFloat64[];
}

const fx = loadFixture<Fixture>('modules');

beforeAll(async () => {
  await torch.ready();
});

const build = (s: { seed: number; js: string }): torch.nn.Module => {
  torch.manualSeed(s.seed);
  return run<torch.nn.Module>(s.js);
};

function expectState(m: torch.nn.Module, want: [string, TensorRecord][]): void {
  const sd = m.stateDict();
  expect(Object.keys(sd)).toEqual(want.map(([k]) => k));
  for (const [k, rec] of want) {
    const d = diffExact(sd[k], rec);
    if (d) throw new Error(`state ${k}: ${d}`);
  }
}

describe('module scenarios', () => {
  for (const s of fx.scenarios) {
    describe(s.id, () => {
      it('names parameters, buffers, children and modules in PyTorch order', () => {
        const m = build(s);
        expect(m.namedParameters().map(([n, p]) => [n, [...p.shape], p.requiresGrad])).toEqual(s.namedParameters);
        expect(m.namedBuffers().map(([n, b]) => [n, [...b.shape]])).toEqual(s.namedBuffers);
        expect([...m.namedChildren()].map(([n]) => n)).toEqual(s.namedChildren);
        expect(m.namedModules().map(([n, c]) => [n, c.constructor.name])).toEqual(s.namedModules);
        expect(m.children().length).toBe(s.namedChildren.length);
        expect(m.modules().length).toBe(s.namedModules.length);
        expect(m.parameters().length).toBe(s.namedParameters.length);
      });
      it('prints as PyTorch', () => {
        expect(String(build(s))).toBe(s.repr);
      });
      it('has the state dict PyTorch has, bit for bit', () => {
        expectState(build(s), s.stateDict);
      });
      it('switches every module with eval() and train()', () => {
        const m = build(s);
        expect(m.modules().every((x) => x.training)).toBe(true);
        expect(m.eval()).toBe(m);
        expect(m.modules().map((x) => x.training)).toEqual(s.evalFlags);
        m.train();
        expect(m.modules().every((x) => x.training)).toBe(true);
        m.train(false);
        expect(m.modules().some((x) => x.training)).toBe(false);
      });
      if (s.input) {
        it('computes the forward pass and gradients PyTorch computes', () => {
          const m = build(s);
          const inp = s.input!;
          const n = inp.shape.reduce((a, b) => a * b, 1);
          const x =
            inp.index !== null
              ? torch.tensor(Array.from({ length: n }, (_, i) => (i * 7) % inp.index!)).reshape(inp.shape)
              : torch.tensor(dataOf(n), { dtype: inp.dtype }).reshape(inp.shape).requiresGrad_();
          if (inp.eval) m.eval();
          const y = m.forward(x) as torch.Tensor;
          expect([...y.shape]).toEqual(s.output!.shape);
          const tol = s.tol!;
          const dy = diffApprox(y, s.output!.values, tol);
          if (dy) throw new Error(`output: ${dy}`);
          y.mul(torch.tensor(dataOf(y.numel()), { dtype: y.dtype }).reshape(y.shape)).sum().backward();
          const params = new Map(m.namedParameters());
          for (const [name, want] of s.grads!) {
            const g = params.get(name)!.grad;
            if (want === null) {
              expect(g, name).toBeNull();
              continue;
            }
            const d = diffApprox(g, want, tol);
            if (d) throw new Error(`grad of ${name}: ${d}`);
          }
          if (s.inputGrad) {
            const d = diffApprox(x.grad, s.inputGrad, tol);
            if (d) throw new Error(`input grad: ${d}`);
          }
        });
      }
    });
  }
});

describe('loadStateDict', () => {
  for (const c of fx.loads) {
    it(c.id, () => {
      torch.manualSeed(5);
      const model = run<torch.nn.Module>(c.model);
      const sd = run<torch.nn.StateDict>(c.state, { model });
      if (c.error !== undefined) {
        expect(() => model.loadStateDict(sd, c.strict)).toThrow(c.error);
        try {
          model.loadStateDict(sd, c.strict);
        } catch (e) {
          expect((e as Error).message).toBe(c.error);
        }
      } else {
        const r = model.loadStateDict(sd, c.strict);
        expect(r.missingKeys).toEqual(c.missing);
        expect(r.unexpectedKeys).toEqual(c.unexpected);
      }
      expectState(model, c.after);
    });
  }
});

describe('reprs', () => {
  for (const r of fx.reprs) {
    it(r.js, () => {
      expect(String(run(`return ${r.js}`))).toBe(r.repr);
    });
  }
});

describe('dropout draws the mask PyTorch draws', () => {
  for (const c of fx.dropout) {
    it(`p=${c.p} [${c.shape}] ${c.layout} seed ${c.seed}`, () => {
      torch.manualSeed(c.seed);
      const n = c.shape.reduce((a, b) => a * b, 1);
      const transposed = c.layout === 'transposed';
      const base = torch.tensor(dataOf(n)).reshape(transposed ? [...c.shape].reverse() : c.shape);
      const x = transposed ? base.t() : base.requiresGrad_();
      const y = torch.nn.functional.dropout(x, c.p, true);
      const d = diffExact(y, c.out);
      if (d) throw new Error(`output: ${d}`);
      const after = diffExact(torch.rand([3]), c.after);
      if (after) throw new Error(`generator afterwards: ${after}`);
      if (c.grad) {
        expect(y.gradFn?.name).toBe(c.node);
        y.backward(torch.tensor(dataOf(n)).reshape(c.shape));
        const g = diffExact(x.grad, c.grad);
        if (g) throw new Error(`grad: ${g}`);
      }
    });
  }
  it('is the identity (the same tensor) in eval mode, for p = 0 and for empty input', () => {
    const x = torch.ones([3]);
    expect(torch.nn.functional.dropout(x, 0.5, false)).toBe(x);
    expect(torch.nn.functional.dropout(x, 0)).toBe(x);
    const e = torch.ones([0, 2]);
    expect(torch.nn.functional.dropout(e, 0.5)).toBe(e);
    const m = new torch.nn.Dropout(0.9).eval();
    expect(m.forward(x)).toBe(x);
  });
});

describe('module.to(float64)', () => {
  const c = fx.toFloat64[0];
  it('casts every floating parameter and buffer, leaves integer buffers, computes in float64', () => {
    const m = build(c).to('float64');
    expectState(m, c.stateDict);
    const y = m.forward(torch.tensor(dataOf(24), { dtype: 'float64' }).reshape([4, 6])) as torch.Tensor;
    expect(y.dtype).toBe('float64');
    const d = diffApprox(y, c.output, 1e-12);
    if (d) throw new Error(d);
  });
  it('double() is to(float64); float() casts back', () => {
    expect(c.doubleSame).toBe(true);
    const a = build(c).double(), b = build(c).to('float64');
    expect(Object.entries(a.stateDict()).every(([k, v]) => torch.equal(v, b.stateDict()[k]))).toBe(true);
    expect(a.float().parameters().every((p) => p.dtype === 'float32')).toBe(true);
  });
  it('refuses integer dtypes with PyTorch message', () => {
    expect(() => new torch.nn.Linear(2, 2).to('int64')).toThrow(c.intError);
  });
  it('keeps the same Parameter objects, so an optimizer built earlier still updates them', () => {
    const m = new torch.nn.Linear(2, 1);
    const w = m.weight;
    const opt = new torch.optim.SGD(m.parameters(), { lr: 0.5 });
    m.to('float64');
    expect(m.weight).toBe(w);
    expect(w.dtype).toBe('float64');
    m.forward(torch.ones([1, 2], { dtype: 'float64' })).sum().backward();
    const before = w.tolist() as number[][];
    opt.step();
    expect(w.tolist()).toEqual(before.map((row) => row.map((v) => v - 0.5)));
  });
  it('casts existing gradients along with their parameters', () => {
    const m = new torch.nn.Linear(2, 1);
    m.forward(torch.ones([1, 2])).sum().backward();
    m.to('float64');
    expect(m.weight.grad?.dtype).toBe('float64');
    expect(m.weight.grad?.tolist()).toEqual([[1, 1]]);
  });
});

describe('zeroGrad', () => {
  const withGrads = (): torch.nn.Linear => {
    const m = new torch.nn.Linear(3, 2);
    m.forward(torch.ones([4, 3])).sum().backward();
    return m;
  };
  it('zeroes gradients in place by default (PyTorch 1.13), keeping the tensors', () => {
    const m = withGrads();
    const g = m.weight.grad!;
    m.zeroGrad();
    expect(m.weight.grad).toBe(g);
    expect(g.tolist()).toEqual([[0, 0, 0], [0, 0, 0]]);
    expect(m.bias!.grad!.tolist()).toEqual([0, 0]);
  });
  it('drops them with setToNone', () => {
    const m = withGrads();
    m.zeroGrad(true);
    expect(m.weight.grad).toBeNull();
    expect(m.bias!.grad).toBeNull();
  });
  it('then accumulates afresh', () => {
    const m = withGrads();
    m.zeroGrad();
    m.forward(torch.ones([1, 3])).sum().backward();
    expect(m.bias!.grad!.tolist()).toEqual([1, 1]);
  });
  it('leaves parameters without gradients alone', () => {
    const m = new torch.nn.Linear(2, 2);
    m.zeroGrad();
    expect(m.weight.grad).toBeNull();
  });
});

describe('registration', () => {
  it('names every exported nn class as PyTorch does (the bundler must not rename them)', () => {
    for (const [name, v] of Object.entries(torch.nn)) {
      if (typeof v === 'function' && /^[A-Z]/.test(name)) expect((v as { name: string }).name).toBe(name);
    }
  });
  it('registers by assignment order; reassignment keeps the slot; null parameters are skipped', () => {
    class M extends torch.nn.Module {
      b = new torch.nn.Linear(1, 1);
      a = new torch.nn.Linear(1, 1);
      p: torch.nn.Parameter | null = new torch.nn.Parameter(torch.zeros([1]));
      forward(x: torch.Tensor): torch.Tensor {
        return x;
      }
    }
    const m = new M();
    m.b = new torch.nn.Linear(2, 2);
    m.p = null;
    expect(m.namedParameters().map(([n]) => n)).toEqual(['b.weight', 'b.bias', 'a.weight', 'a.bias']);
    expect(Object.keys(m.stateDict())).toEqual(['b.weight', 'b.bias', 'a.weight', 'a.bias']);
  });
  it('keeps non-persistent buffers out of the state dict but in namedBuffers', () => {
    class M extends torch.nn.Module {
      constructor() {
        super();
        this.registerBuffer('kept', torch.ones([1]));
        this.registerBuffer('scratch', torch.zeros([2]), false);
      }
      forward(): void {}
    }
    const m = new M();
    expect(m.namedBuffers().map(([n]) => n)).toEqual(['kept', 'scratch']);
    expect(Object.keys(m.stateDict())).toEqual(['kept']);
    expect(m.loadStateDict({ kept: torch.full([1], 3) })).toEqual({ missingKeys: [], unexpectedKeys: [] });
    expect(() => m.registerBuffer('a.b', null)).toThrow(`buffer name can't contain "."`);
  });
  it('Sequential runs a module placed twice twice; children() lists it once', () => {
    const lin = new torch.nn.Linear(1, 1);
    torch.noGrad(() => {
      lin.weight.fill_(2);
      lin.bias!.fill_(1);
    });
    const s = new torch.nn.Sequential(lin, lin);
    expect(s.length).toBe(2);
    expect(s.children().length).toBe(1);
    expect([...s].length).toBe(2);
    expect((s.forward(torch.ones([1, 1])) as torch.Tensor).item()).toBe(7);
  });
});

describe('fixture', () => {
  it('was recorded from PyTorch 1.13', () => {
    expect(fx.torch).toMatch(/^1\.13/);
  });
  it('compares exactly: a changed bit fails', () => {
    const s = structuredClone(fx.scenarios.find((x) => x.id === 'linear-no-bias')!);
    const rec = s.stateDict[0][1];
    rec.bits![3] = (parseInt(rec.bits![3], 16) ^ 1).toString(16).padStart(8, '0');
    expect(diffExact(build(s).stateDict().weight, rec)).toMatch(/element 3/);
  });
});
