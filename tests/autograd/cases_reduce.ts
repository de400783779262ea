// Gradcheck cases for reductions, scans, softmax, norms and statistics, and
// for the matrix products in every rank combination matmul accepts.
import * as torch from 'torchlet';
import { arg, fixed, table } from './inputs';

const { cases, c } = table();
export { cases as reduceCases };

const distinct = { distinct: true, lo: -2, hi: 2 };

c('sum', 'x.sum()', (x) => x.sum(), [arg([3, 4])], { gradgrad: true });
c('sum', 'x.sum(1)', (x) => x.sum(1), [arg([3, 4])], { gradgrad: true });
c('sum', 'torch.sum(x, [0, 2], true)', (x) => torch.sum(x, [0, 2], true), [arg([2, 3, 2])]);
c('sum', "x.sum({ dtype: 'float64' }) of x.expand", (x) => x.expand(3, 4).sum({ dtype: 'float64' }), [arg([4])]);
c('sum', 'x.sum(-1) of 0-d', (x) => x.sum(-1), [arg([])]);
c('mean', 'x.mean()', (x) => x.mean(), [arg([3, 4])], { gradgrad: true });
c('mean', 'torch.mean(x, 0, true)', (x) => torch.mean(x, 0, true), [arg([3, 4])], { gradgrad: true });
c('mean', 'x.mean([1, 2]) of x.permute', (x) => x.permute(2, 0, 1).mean([1, 2]), [arg([2, 3, 2])]);
c('prod', 'x.prod()', (x) => x.prod(), [arg([3, 3], { lo: 0.5, hi: 1.5 })], { gradgrad: true });
c('prod', 'torch.prod(x, 1)', (x) => torch.prod(x, 1), [arg([3, 4])], { gradgrad: true });
c('prod', 'x.prod(0, true)', (x) => x.prod(0, true), [arg([3, 4])]);
// products are polynomials: finite differences are exact at zeros too
c('prod', 'x.prod() with one zero', (x) => x.prod(), [fixed([1.5, 0, -2, 0.5])], { gradgrad: true });
c('prod', 'x.prod() with two zeros', (x) => x.prod(), [fixed([1.5, 0, -2, 0])]);
c('prod', 'x.prod(1) rows with zero, one and two zeros', (x) => x.prod(1), [fixed([1.5, 0.5, -2, 0, 2, 3, 0, 1.5, 0], [3, 3])], { gradgrad: true });
c('prod', 'x.prod(1, true) with zeros', (x) => x.prod(1, true), [fixed([0, 0.5, -2, 1, 2, 0], [2, 3])]);
c('amax', 'x.amax(1)', (x) => x.amax(1), [arg([3, 4], distinct)]);
c('amax', 'torch.amax(x, [0, 1], true)', (x) => torch.amax(x, [0, 1], true), [arg([3, 4], distinct)]);
c('amax', 'x.amax() of x.t()', (x) => x.t().amax(), [arg([3, 4], distinct)]);
c('amin', 'x.amin(0)', (x) => x.amin(0), [arg([3, 4], distinct)]);
c('amin', 'torch.amin(x, -1, true)', (x) => torch.amin(x, -1, true), [arg([3, 4], distinct)]);
c('max', 'x.max()', (x) => x.max(), [arg([3, 4], distinct)]);
c('max', 'x.max(1) values and indices', (x) => x.max(1), [arg([3, 4], distinct)]);
c('max', 'torch.max(x, 0, true).values', (x) => torch.max(x, 0, true).values, [arg([3, 4], distinct)]);
c('max', 'x.max(other) elementwise', (x) => x.max(x.flip(1)), [arg([3, 4], distinct)]);
c('max', 'x.max(0) of 0-d', (x) => x.max(0).values, [arg([])]);
c('min', 'x.min()', (x) => torch.min(x), [arg([3, 4], distinct)]);
c('min', 'x.min(-1)', (x) => x.min(-1), [arg([3, 4], distinct)]);
c('min', 'torch.min(x, 1, true) of x.t()', (x) => torch.min(x.t(), 1, true).values, [arg([3, 4], distinct)]);
c('min', 'torch.min(x, other)', (x) => torch.min(x, x.flip(0)), [arg([3, 4], distinct)]);

c('var', 'x.var()', (x) => x.var(), [arg([3, 4])], { gradgrad: true });
c('var', 'x.var(1)', (x) => x.var(1), [arg([3, 4])]);
c('var', 'torch.var(x, 0, false, true)', (x) => torch.var(x, 0, false, true), [arg([3, 4])]);
c('var', 'x.var([0, 2], { correction: 0, keepdim: true })', (x) => x.var([0, 2], { correction: 0, keepdim: true }), [arg([2, 3, 2])]);
c('var', 'x.var(false)', (x) => x.var(false), [arg([5])]);
c('std', 'x.std()', (x) => x.std(), [arg([3, 4])], { gradgrad: true });
c('std', 'torch.std(x, 1, true, true)', (x) => torch.std(x, 1, true, true), [arg([3, 4])]);
c('std', 'x.std(0, { unbiased: false })', (x) => x.std(0, { unbiased: false }), [arg([3, 4])]);
c('std', 'x.std(-1) of x.expand', (x) => x.expand(2, 3, 4).std(-1), [arg([3, 4])]);
c('norm', 'x.norm()', (x) => x.norm(), [arg([3, 4])], { gradgrad: true });
c('norm', 'x.norm(2, 1)', (x) => x.norm(2, 1), [arg([3, 4])]);
c('norm', 'x.norm(1)', (x) => x.norm(1), [arg([3, 4], { minAbs: 0.1 })]);
c('norm', 'torch.norm(x, 1, 0, true)', (x) => torch.norm(x, 1, 0, true), [arg([3, 4], { minAbs: 0.1 })]);
c('norm', 'x.norm(3)', (x) => x.norm(3), [arg([3, 4])], { gradgrad: true });
c('norm', 'x.norm(3, [0, 1], true)', (x) => x.norm(3, [0, 1], true), [arg([3, 4])]);
c('norm', 'x.norm(0.5, 1)', (x) => x.norm(0.5, 1), [arg([3, 4], { minAbs: 0.1 })]);
c('norm', 'x.norm(1.5)', (x) => x.norm(1.5), [arg([3, 4], { minAbs: 0.1 })]);
c('norm', 'x.norm(Infinity)', (x) => x.norm(Infinity), [arg([3, 4], { ...distinct, minAbs: 0.1 })]);
c('norm', 'x.norm(Infinity, 1)', (x) => x.norm(Infinity, 1), [arg([3, 4], { ...distinct, minAbs: 0.1 })]);
c('norm', 'x.norm(-Infinity, 0)', (x) => x.norm(-Infinity, 0), [arg([3, 4], { ...distinct, minAbs: 0.1 })]);
c('norm', "x.norm('fro')", (x) => x.norm('fro'), [arg([3, 4])]);
c('norm', "x.norm('fro', [0, 1]) of x.t()", (x) => x.t().norm('fro', [0, 1]), [arg([3, 4])]);
c('norm', 'x.norm(0) has no gradient', (x) => x.norm(0).add(x.sum()), [arg([3, 4], { minAbs: 0.1 })]);
c('logsumexp', 'x.logsumexp(1)', (x) => x.logsumexp(1), [arg([3, 4], { lo: -3, hi: 3 })], { gradgrad: true });
c('logsumexp', 'torch.logsumexp(x, [0, 1], true)', (x) => torch.logsumexp(x, [0, 1], true), [arg([3, 4])]);
c('logsumexp', 'x.logsumexp(0) of large values', (x) => x.logsumexp(0), [fixed([100, 101, 99.5, 100.2], [4])]);
c('cumsum', 'x.cumsum(1)', (x) => x.cumsum(1), [arg([3, 4])], { gradgrad: true });
c('cumsum', 'torch.cumsum(x, 0)', (x) => torch.cumsum(x, 0), [arg([3, 4])]);
c('cumsum', 'x.cumsum(-1) 3-d', (x) => x.cumsum(-1), [arg([2, 2, 3])]);
c('cumsum', 'x.cumsum(0) of 0-d', (x) => x.cumsum(0), [arg([])]);
c('cumprod', 'x.cumprod(1)', (x) => x.cumprod(1), [arg([3, 4], { minAbs: 0.2 })], { gradgrad: true });
c('cumprod', 'torch.cumprod(x, 0)', (x) => torch.cumprod(x, 0), [arg([3, 4], { minAbs: 0.2 })]);
c('cumprod', 'x.cumprod(0) with a zero', (x) => x.cumprod(0), [fixed([1.5, 0, -2, 0.5])]);
c('cumprod', 'x.cumprod(1) with zeros', (x) => x.cumprod(1), [fixed([1.5, 0, -2, 0, 2, 3, 0, 1.5, 0, 0.5, 2, 1], [3, 4])], { gradgrad: true });
c('softmax', 'x.softmax(1)', (x) => x.softmax(1), [arg([3, 4], { lo: -2, hi: 2 })], { gradgrad: true });
c('softmax', 'torch.softmax(x, 0)', (x) => torch.softmax(x, 0), [arg([3, 4])]);
c('softmax', "x.softmax(-1, { dtype: 'float64' }) 3-d", (x) => x.softmax(-1, { dtype: 'float64' }), [arg([2, 2, 3])]);
c('logSoftmax', 'x.logSoftmax(1)', (x) => x.logSoftmax(1), [arg([3, 4], { lo: -2, hi: 2 })], { gradgrad: true });
c('logSoftmax', 'torch.logSoftmax(x, 0)', (x) => torch.logSoftmax(x, 0), [arg([3, 4])]);
c('logSoftmax', 'x.logSoftmax(1) 3-d middle dim', (x) => x.logSoftmax(1), [arg([2, 3, 2])]);
c('logSoftmax', 'x.logSoftmax(0) 0-d', (x) => x.logSoftmax(0), [arg([])]);

// matrix products
c('dot', 'torch.dot(a, b)', (a, b) => torch.dot(a, b), [arg([5]), arg([5])], { gradgrad: true });
c('dot', 'a.dot(a) same tensor', (a) => a.dot(a), [arg([4])]);
c('dot', 'a.dot(b) strided', (a, b) => a.select(1, 1).dot(b.expand(3)), [arg([3, 2]), arg([1])]);
c('mv', 'torch.mv(m, v)', (m, v) => torch.mv(m, v), [arg([3, 4]), arg([4])], { gradgrad: true });
c('mv', 'm.t().mv(v)', (m, v) => m.t().mv(v), [arg([4, 3]), arg([4])]);
c('mm', 'torch.mm(a, b)', (a, b) => torch.mm(a, b), [arg([2, 3]), arg([3, 4])], { gradgrad: true });
c('mm', 'a.t().mm(b.t())', (a, b) => a.t().mm(b.t()), [arg([3, 2]), arg([4, 3])]);
c('mm', 'a.mm(a.t())', (a) => a.mm(a.t()), [arg([2, 3])]);
c('bmm', 'torch.bmm(a, b)', (a, b) => torch.bmm(a, b), [arg([2, 2, 3]), arg([2, 3, 2])], { gradgrad: true });
c('bmm', 'a.bmm(b.transpose(1, 2)) of b.expand', (a, b) => a.bmm(b.expand(2, 2, 3).transpose(1, 2)), [arg([2, 3, 3]), arg([1, 2, 3])]);
c('outer', 'torch.outer(a, b)', (a, b) => torch.outer(a, b), [arg([3]), arg([4])], { gradgrad: true });
c('outer', 'a.outer(a)', (a) => a.outer(a), [arg([3])]);

const ranks: [number[], number[]][] = [
  [[4], [4]],
  [[3, 4], [4]],
  [[4], [4, 3]],
  [[2, 4], [4, 3]],
  [[2, 3, 4], [4]],
  [[4], [2, 4, 3]],
  [[2, 3, 4], [4, 2]],
  [[3, 4], [2, 4, 2]],
  [[2, 3, 4], [2, 4, 2]],
  [[2, 1, 2, 3], [3, 3, 2]],
  [[1, 2, 3], [2, 3, 2]],
  [[2, 2, 3], [1, 3, 2]],
];
for (const [sa, sb] of ranks) {
  c('matmul', `torch.matmul(a [${sa}], b [${sb}])`, (a, b) => torch.matmul(a, b), [arg(sa), arg(sb)], { gradgrad: sa.length + sb.length <= 5 });
}
c('matmul', 'a.mT.matmul(b) batched, transposed', (a, b) => a.mT.matmul(b), [arg([2, 4, 3]), arg([2, 4, 2])]);
c('matmul', 'a.matmul(a.mT)', (a) => a.matmul(a.mT), [arg([2, 2, 3])]);
