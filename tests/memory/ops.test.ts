// Every op, forward (and backward when its inputs require grad), then
// dispose: live tensors and bytes must return to where they were, both
// around the call (no leaked temporaries) and around the whole case
// (no leaked view that keeps an input's storage alive).
import { beforeAll, describe, expect, it } from 'vitest';
import * as torch from 'torchlet';
import { NOTHING, disposeAll, leftBehind, warmUp } from './helpers';

type T = torch.Tensor;
interface Case {
  /** Leaves (disposed at the end, with their grads) and the arguments the call gets. */
  setup: (grad: boolean) => { leaves: T[]; args: T[] };
  call: (...args: T[]) => unknown;
  /** Set when the case is a known leak outside this suite's files: the test is it.fails. */
  known?: string;
}

const m = (rows: number[][], grad: boolean) => torch.tensor(rows, { requiresGrad: grad });
const X = (g: boolean) => m([[1.5, -2, 3, 0.5], [0.25, 1, -1, 2], [3, 1, 2, -0.5]], g);
const Y = (g: boolean) => m([[0.5, 2, -3, 1], [1.25, -1, 1, 2], [2, 1, 0.5, 1]], g);
const two = (g: boolean) => {
  const leaves = [X(g), Y(g)];
  return { leaves, args: leaves };
};
const one = (g: boolean) => {
  const leaves = [X(g)];
  return { leaves, args: leaves };
};
const withArgs = (make: (g: boolean) => T[], extra: () => T[]) => (g: boolean) => {
  const leaves = make(g);
  return { leaves, args: [...leaves, ...extra()] };
};
const viewOf = (f: (x: T) => T) => (g: boolean) => {
  const leaf = X(g);
  return { leaves: [leaf], args: [f(leaf)] };
};

const CASES: Record<string, Case> = {
  add: { setup: two, call: (x, y) => x.add(y) },
  addAlpha: { setup: two, call: (x, y) => x.add(y, { alpha: 2 }) },
  subScalar: { setup: one, call: (x) => x.sub(1.5) },
  rsubAlpha: { setup: two, call: (x, y) => x.rsub(y, { alpha: 2 }) },
  mul: { setup: two, call: (x, y) => x.mul(y) },
  div: { setup: two, call: (x, y) => x.div(y) },
  powTensor: { setup: withArgs((g) => [m([[1.5, 2, 3, 0.5]], g), Y(g)], () => []), call: (x, y) => x.pow(y) },
  powScalar: { setup: one, call: (x) => x.pow(3) },
  powSpecial: { setup: one, call: (x) => x.pow(0.5) },
  maximum: { setup: two, call: (x, y) => x.maximum(y) },
  atan2: { setup: two, call: (x, y) => x.atan2(y) },
  fmod: { setup: two, call: (x, y) => x.fmod(y) },
  remainder: { setup: two, call: (x, y) => x.remainder(y) },
  exp: { setup: one, call: (x) => x.exp() },
  sigmoid: { setup: one, call: (x) => x.sigmoid() },
  relu: { setup: one, call: (x) => x.relu() },
  silu: { setup: one, call: (x) => x.silu() },
  clamp: { setup: one, call: (x) => x.clamp(-0.5, 0.5) },
  clampMin: { setup: one, call: (x) => x.clamp(0) },
  where: { setup: withArgs((g) => [X(g), Y(g)], () => [torch.tensor([true, false, true, false])]), call: (x, y, c) => torch.where(c, x, y) },
  maskedFill: { setup: withArgs((g) => [X(g)], () => [torch.tensor([true, false, true, false])]), call: (x, mask) => x.maskedFill(mask, 1) },
  compare: { setup: two, call: (x, y) => x.lt(y) },
  compareScalar: { setup: one, call: (x) => x.eq(2) },
  logical: { setup: () => ({ leaves: [], args: [torch.tensor([true, false]), torch.tensor([1, 0])] }), call: (a, b) => a.logicalXor(b) },
  sum: { setup: one, call: (x) => x.sum(0) },
  sumAll: { setup: one, call: (x) => x.sum() },
  mean: { setup: one, call: (x) => x.mean(1, true) },
  prod: { setup: one, call: (x) => x.prod(1) },
  amax: { setup: one, call: (x) => x.amax(0) },
  maxDim: { setup: one, call: (x) => x.max(1) },
  maxAll: { setup: one, call: (x) => x.max() },
  argmax: { setup: one, call: (x) => x.argmax() },
  all: { setup: one, call: (x) => x.all() },
  variance: { setup: one, call: (x) => x.var(1) },
  std: { setup: one, call: (x) => x.std() },
  norm2: { setup: one, call: (x) => x.norm() },
  norm1: { setup: one, call: (x) => x.norm(1, 1) },
  logsumexp: { setup: one, call: (x) => x.logsumexp(1) },
  cumsum: { setup: one, call: (x) => x.cumsum(1) },
  cumprod: { setup: one, call: (x) => x.cumprod(0) },
  flip1: { setup: one, call: (x) => x.flip([1]) },
  flip2: { setup: one, call: (x) => x.flip([0, 1]) },
  softmax: { setup: one, call: (x) => x.softmax(1) },
  logSoftmax: { setup: one, call: (x) => x.logSoftmax(0) },
  transposeView: { setup: one, call: (x) => x.transpose(0, 1) },
  reshapeCopy: { setup: viewOf((x) => x.t()), call: (x) => x.reshape(-1) },
  contiguousCopy: { setup: viewOf((x) => x.t()), call: (x) => x.contiguous() },
  narrowSelect: { setup: one, call: (x) => [x.narrow(1, 1, 2), x.select(0, 1)] },
  expand: { setup: viewOf((x) => x.unsqueeze(0)), call: (x) => x.expand(2, 3, 4) },
  cat: { setup: two, call: (x, y) => torch.cat([x, y], 1) },
  stack: { setup: two, call: (x, y) => torch.stack([x, y]) },
  split: { setup: one, call: (x) => x.split(3, 1) },
  repeat: { setup: one, call: (x) => x.repeat(2, 1) },
  indexSelect: { setup: withArgs((g) => [X(g)], () => [torch.tensor([0, 2, 2], { dtype: 'int32' })]), call: (x, i) => x.indexSelect(1, i) },
  indexAdd: {
    setup: withArgs((g) => [X(g), Y(g)], () => [torch.tensor([1, 0, 1])]),
    call: (x, y, i) => x.indexAdd(0, i, y),
  },
  mm: { setup: withArgs((g) => [X(g), torch.ones([4, 2], { requiresGrad: g })], () => []), call: (x, y) => x.mm(y) },
  matmulBatched: { setup: withArgs((g) => [torch.ones([2, 3, 4], { requiresGrad: g }), torch.ones([4, 2], { requiresGrad: g })], () => []), call: (x, y) => x.matmul(y) },
  mv: { setup: withArgs((g) => [X(g), torch.ones([4], { requiresGrad: g })], () => []), call: (x, v) => x.mv(v) },
  dot: { setup: withArgs((g) => [torch.ones([3], { requiresGrad: g }), torch.ones([3], { requiresGrad: g })], () => []), call: (x, y) => x.dot(y) },
  outer: {
    setup: withArgs((g) => [torch.ones([3], { requiresGrad: g }), torch.ones([4], { requiresGrad: g })], () => []),
    call: (x, y) => x.outer(y),
    known: 'outer never disposes a.reshape(-1, 1) (a view that keeps a alive) (src/ops/linalg.ts)',
  },
  mmUint8: { setup: () => ({ leaves: [], args: [torch.tensor([[1, 2]], { dtype: 'uint8' }), torch.tensor([[1], [2]], { dtype: 'uint8' })] }), call: (x, y) => x.mm(y) },
  isclose: { setup: two, call: (x, y) => x.isclose(y) },
  allclose: { setup: two, call: (x, y) => torch.tensor(x.allclose(y)) },
  equal: { setup: two, call: (x, y) => torch.tensor(x.equal(y)) },
  toDtype: { setup: one, call: (x) => x.to('float64') },
  reading: { setup: viewOf((x) => x.t()), call: (x) => torch.tensor([String(x).length, (x.tolist() as number[][]).length, x.toTypedArray().length]) },
  inplaceArith: { setup: () => ({ leaves: [], args: [torch.zeros([3]), torch.ones([3])] }), call: (x, y) => (x.add_(y).mul_(y).sub_(1, { alpha: 2 }).div_(2), torch.ones(1)) },
  inplaceUnary: {
    setup: () => ({ leaves: [], args: [torch.zeros([3])] }),
    call: (x) => (x.exp_(), torch.ones(1)),
  },
  inplaceClamp: {
    setup: () => ({ leaves: [], args: [torch.zeros([3])] }),
    call: (x) => (x.clamp_(0, 1), torch.ones(1)),
  },
  inplaceInGraph: { setup: withArgs((g) => [torch.ones([3], { requiresGrad: g })], () => []), call: (w) => w.mul(2).add_(1) },
  fillCopy: { setup: () => ({ leaves: [], args: [torch.zeros([3]), torch.ones([3], { dtype: 'int32' })] }), call: (x, y) => (x.fill_(2).copy_(y), torch.ones(1)) },
};

describe('forward, backward and dispose leave nothing behind', () => {
  beforeAll(warmUp);
  for (const [name, c] of Object.entries(CASES)) {
    for (const grad of [false, true]) {
      const title = `${name}${grad ? ' with backward' : ''}`;
      (c.known ? it.fails : it)(c.known ? `${title} (KNOWN LEAK: ${c.known})` : title, () => {
        const whole = leftBehind(() => {
          const { leaves, args } = c.setup(grad);
          const inner = leftBehind(() => {
            const r = c.call(...args);
            if (grad) {
              const first = r instanceof torch.Tensor ? r : Array.isArray(r) ? (r[0] as T) : r && typeof r === 'object' ? (Object.values(r)[0] as T) : null;
              if (first?.requiresGrad) {
                const loss = first.sum();
                loss.backward();
                loss.dispose();
              }
            }
            disposeAll(r);
            for (const t of leaves) {
              t.grad?.dispose();
              t.grad = null;
            }
          });
          disposeAll(args);
          disposeAll(leaves);
          expect(inner, 'around the call').toEqual(NOTHING);
        });
        expect(whole, 'around the case').toEqual(NOTHING);
      });
    }
  }
});
