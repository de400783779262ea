// Every public op the differential suite promises must have recorded PyTorch
// cases: several forward cases, and for differentiable ops at least one case
// whose gradients were recorded. An op is found in a case by how the case's js
// calls it (`x.op(`, `torch.op(`, or `.prop` for properties).
import { describe, expect, it } from 'vitest';
import { loadFamilies } from '../helpers/fixtures';

interface Op {
  name: string;
  /** Matches the case's js when it uses the op. */
  uses: RegExp;
  differentiable: boolean;
}

const call = (name: string): RegExp => new RegExp(`(?:\\.|\\btorch\\.)${name.replace('$', '\\$')}\\(`);
const prop = (name: string): RegExp => new RegExp(`\\.${name}\\b(?!\\()`);

const ops = (names: string, differentiable: boolean, how = call): Op[] =>
  names.split(/\s+/).filter(Boolean).map((name) => ({ name, uses: how(name), differentiable }));

const MANIFEST: Op[] = [
  // creation
  ...ops('tensor zeros ones full empty eye arange linspace zerosLike onesLike fullLike', false),
  // views, copies, joins
  ...ops('view reshape transpose t permute unsqueeze squeeze flatten expand narrow select contiguous clone repeat indexSelect cat stack chunk split', true),
  ...ops('T', true, prop),
  // properties
  ...ops('shape dtype ndim', false, prop),
  ...ops('dim size numel isContiguous item tolist stride', false),
  // elementwise
  ...ops('add sub mul div pow maximum minimum where', true),
  ...ops('eq ne lt le gt ge logicalAnd logicalOr logicalNot isnan isinf', false),
  ...ops('neg abs exp log sqrt rsqrt sin cos tanh sigmoid relu square reciprocal clamp log1p expm1 sign floor ceil round', true),
  // in place
  ...ops('add_ sub_ mul_ div_ fill_ zero_ copy_ clamp_', true),
  // reductions
  ...ops('sum mean prod max min amax amin std var norm logsumexp cumsum softmax logSoftmax', true),
  ...ops('argmax argmin all any', false),
  // linear algebra
  ...ops('dot mv mm matmul bmm outer', true),
  // printing
  { name: 'String', uses: /\bString\(/, differentiable: false },
];

const cases = loadFamilies().flatMap((f) => f.cases);
const MIN_FORWARD = 3;

describe('every public op has recorded PyTorch cases', () => {
  it.each(MANIFEST.map((op) => [op.name, op] as const))('%s', (_name, op) => {
    const using = cases.filter((c) => op.uses.test(c.js));
    const forward = using.filter((c) => !('throws' in c.expect));
    expect(forward.length, `forward cases using ${op.name}`).toBeGreaterThanOrEqual(MIN_FORWARD);
    if (op.differentiable) {
      const withGrads = using.filter((c) => c.grads && Object.values(c.grads).some((g) => g !== null));
      expect(withGrads.length, `cases with recorded gradients through ${op.name}`).toBeGreaterThanOrEqual(1);
    }
  });

  it('names each op once', () => {
    const names = MANIFEST.map((o) => o.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('has case ids that are unique across families', () => {
    const ids = cases.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
