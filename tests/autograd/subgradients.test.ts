// Gradients where finite differences are silent (kinks, ties, bounds,
// zeros, singularities) follow PyTorch's conventions. The answers were
// recorded by gen_subgradients.py; each case's upstream gradient is 1, 2, 3, ...
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as torch from 'torchlet';

type Num = number | 'nan' | 'inf' | '-inf';
type Data = Num | Data[];

interface Recorded {
  id: string;
  js: string;
  inputs: Record<string, Data>;
  output: Data;
  grads: Record<string, Data | null>;
}

const file = JSON.parse(readFileSync(new URL('./subgradients.json', import.meta.url), 'utf8')) as { torch: string; cases: Recorded[] };

const decode = (v: Data): unknown => (Array.isArray(v) ? v.map(decode) : v === 'nan' ? NaN : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : v);
const flat = (v: Data): number[] => (Array.isArray(v) ? v.flatMap(flat) : [decode(v) as number]);

function close(actual: readonly number[], expected: readonly number[], what: string): void {
  expect(actual.length, `${what}: element count`).toBe(expected.length);
  actual.forEach((a, i) => {
    const e = expected[i];
    const ok = Number.isNaN(e) ? Number.isNaN(a) : !Number.isFinite(e) ? a === e : Math.abs(a - e) <= 1e-12 + 1e-9 * Math.abs(e);
    expect(ok, `${what}[${i}]: got ${a}, PyTorch ${e}`).toBe(true);
  });
}

describe(`subgradient conventions (recorded from PyTorch ${file.torch})`, () => {
  it('has cases', () => expect(file.cases.length).toBeGreaterThan(50));

  it.each(file.cases.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    torch.tidy(() => {
      const names = Object.keys(c.inputs);
      const leaves = names.map((n) => torch.tensor(decode(c.inputs[n]), { dtype: 'float64', requiresGrad: true }));
      const run = new Function('torch', 'F', ...names, `return ${c.js};`) as (...a: unknown[]) => torch.Tensor;
      const out = run(torch, torch.nn.functional, ...leaves);
      close(Array.from(out.toTypedArray() as Float64Array), flat(c.output), 'output');
      const gradOut = torch.arange(1, out.numel() + 1, { dtype: 'float64' }).reshape([...out.shape]);
      out.backward(gradOut);
      names.forEach((n, i) => {
        const expected = c.grads[n];
        const g = leaves[i].grad;
        if (expected === null) {
          expect(g, `${n}.grad`).toBeNull();
          return;
        }
        expect(g, `${n}.grad`).not.toBeNull();
        close(Array.from(g!.toTypedArray() as Float64Array), flat(expected), `${n}.grad`);
      });
      return null;
    });
  });
});
