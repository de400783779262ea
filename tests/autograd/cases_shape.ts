// Gradcheck cases for views (their backward rebuilds the input's shape),
// joins and copies (cat/stack/split/chunk/repeat/index ops/flip/dtype casts).
import * as torch from 'torchlet';
import { arg, long, table } from './inputs';

const { cases, c } = table();
export { cases as shapeCases };

// views
// view() refuses the strided layouts; views of strided tensors are covered where viewable
const contiguousOnly = { layouts: ['contiguous' as const] };
c('view', 'x.view(4, 3)', (x) => x.view(4, 3), [arg([3, 4])], { ...contiguousOnly, gradgrad: true });
c('view', 'x.view(-1) then mul', (x) => x.view(-1).mul(x.view(-1)), [arg([2, 3])], contiguousOnly);
c('view', 'x.view([2, 1, 6])', (x) => x.view([2, 1, 6]), [arg([3, 4])], contiguousOnly);
c('view', 'x.t().view(2, 2, 3) splits a dim of a transposed tensor', (x) => x.t().view(2, 2, 3), [arg([3, 4])], contiguousOnly);
c('viewAs', 'x.viewAs(y)', (x) => x.viewAs(torch.zeros(6, 2)), [arg([3, 4])], contiguousOnly);
c('reshape', 'x.reshape(2, 6)', (x) => x.reshape(2, 6), [arg([3, 4])]);
c('reshape', 'x.t().reshape(-1) copies', (x) => x.t().reshape(-1), [arg([3, 4])]);
c('reshape', 'torch.reshape(x, []) of one element', (x) => torch.reshape(x, []), [arg([1, 1])]);
c('reshapeAs', 'x.reshapeAs(y) of x.t()', (x) => x.t().reshapeAs(torch.zeros(2, 6)), [arg([3, 4])]);
c('transpose', 'x.transpose(0, 1)', (x) => x.transpose(0, 1), [arg([3, 4])], { gradgrad: true });
c('transpose', 'torch.transpose(x, 0, 2) 3-d', (x) => torch.transpose(x, 0, 2).mul(torch.arange(2)), [arg([2, 3, 2])]);
c('transpose', 'x.transpose(-1, -1) of 1-d', (x) => x.transpose(-1, -1), [arg([4])]);
c('t', 'x.t() 2-d', (x) => torch.t(x).mul(torch.arange(3)), [arg([3, 4])]);
c('t', 'x.t() 1-d', (x) => x.t(), [arg([4])]);
c('T', 'x.T 3-d', (x) => x.T.mul(torch.arange(2)), [arg([2, 3, 4])]);
c('mT', 'x.mT 3-d', (x) => x.mT.mul(torch.arange(3)), [arg([2, 3, 4])]);
c('permute', 'x.permute(2, 0, 1)', (x) => x.permute(2, 0, 1).mul(torch.arange(3)), [arg([2, 3, 4])]);
c('permute', 'torch.permute(x, [1, 0])', (x) => torch.permute(x, [1, 0]), [arg([3, 4])]);
c('unsqueeze', 'x.unsqueeze(1)', (x) => x.unsqueeze(1).expand(3, 2, 4), [arg([3, 4])]);
c('unsqueeze', 'torch.unsqueeze(x, -1) of 0-d', (x) => torch.unsqueeze(x, -1), [arg([])]);
c('squeeze', 'x.squeeze()', (x) => x.squeeze(), [arg([3, 1, 4, 1])]);
c('squeeze', 'torch.squeeze(x, 1)', (x) => torch.squeeze(x, 1), [arg([3, 1, 4])]);
c('squeeze', 'x.squeeze(0) of a non-1 dim', (x) => x.squeeze(0), [arg([3, 4])]);
c('flatten', 'x.flatten()', (x) => x.flatten(), [arg([2, 3, 2])]);
c('flatten', 'torch.flatten(x, 1) of x.transpose', (x) => torch.flatten(x.transpose(0, 2), 1), [arg([2, 3, 2])]);
c('flatten', 'x.flatten() of 0-d', (x) => x.flatten(), [arg([])]);
c('unflatten', 'x.unflatten(1, [2, 2])', (x) => x.unflatten(1, [2, 2]), [arg([3, 4])]);
c('unflatten', 'torch.unflatten(x, 0, [-1, 3])', (x) => torch.unflatten(x, 0, [-1, 3]), [arg([6])]);
c('expand', 'x.expand(2, 3, 4) from [3, 1]', (x) => x.expand(2, 3, 4), [arg([3, 1])], { gradgrad: true });
c('expand', 'torch.expand(x, [-1, 4]) then mul', (x) => torch.expand(x, [-1, 4]).mul(torch.arange(4)), [arg([3, 1])]);
c('expand', 'x.expand of 0-d', (x) => x.expand(3), [arg([])]);
c('expandAs', 'x.expandAs(y)', (x) => x.expandAs(torch.zeros(3, 4)), [arg([4])]);
c('narrow', 'x.narrow(1, 1, 2)', (x) => x.narrow(1, 1, 2), [arg([3, 4])], { gradgrad: true });
c('narrow', 'torch.narrow(x, 0, -2, 2)', (x) => torch.narrow(x, 0, -2, 2), [arg([3, 4])]);
c('narrow', 'x.narrow twice', (x) => x.narrow(0, 1, 2).narrow(1, 2, 2), [arg([3, 4])]);
c('select', 'x.select(0, 1)', (x) => x.select(0, 1), [arg([3, 4])], { gradgrad: true });
c('select', 'torch.select(x, -1, -1)', (x) => torch.select(x, -1, -1), [arg([3, 4])]);
c('select', 'x.select twice, summed with x', (x) => x.select(1, 0).select(0, 2).add(x.sum()), [arg([3, 4])]);
c('unbind', 'x.unbind(1)', (x) => x.unbind(1), [arg([3, 4])]);
c('unbind', 'torch.unbind(x) some pieces used twice', (x) => {
  const [a, b] = torch.unbind(x);
  return a.mul(b).add(a);
}, [arg([2, 3])]);
c('movedim', 'x.movedim(0, 2)', (x) => x.movedim(0, 2).mul(torch.arange(2)), [arg([2, 3, 2])]);
c('movedim', 'torch.movedim(x, -1, 0)', (x) => torch.movedim(x, -1, 0), [arg([2, 3, 4])]);

// copies and joins
c('clone', 'x.clone()', (x) => x.clone(), [arg([3, 4])], { gradgrad: true });
c('clone', 'torch.clone(x.expand)', (x) => torch.clone(x.expand(3, 4)), [arg([4])]);
c('contiguous', 'x.t().contiguous()', (x) => x.t().contiguous(), [arg([3, 4])]);
c('contiguous', 'torch.contiguous(x) already contiguous', (x) => torch.contiguous(x).mul(2), [arg([3, 4])]);
// a float32 round trip loses digits: difference over a large step, looser tolerance
const f32 = { eps: 1e-2, atol: 1e-4, rtol: 1e-4 };
c('to', "x.to('float32').to('float64')", (x) => x.to('float32').to('float64'), [arg([3, 4])], f32);
c('to', "x.to({ dtype: 'float64' }) is x", (x) => x.to({ dtype: 'float64' }).mul(x), [arg([3, 4])]);
c('to', 'float32 result checked directly', (x) => x.to('float32').mul(2), [arg([3, 4])], f32);
c('type', "x.type('float32').type('float64')", (x) => x.type('float32').type('float64'), [arg([3, 4])], f32);
c('float', 'x.float().double()', (x) => x.float().double(), [arg([3, 4])], f32);
c('double', 'x.double() of float64', (x) => x.double().mul(3), [arg([3, 4])]);

c('cat', 'torch.cat([a, b]) dim 0', (a, b) => torch.cat([a, b]), [arg([2, 3]), arg([1, 3])], { gradgrad: true });
c('cat', 'torch.cat([a, b, a], 1)', (a, b) => torch.cat([a, b, a], 1), [arg([2, 3]), arg([2, 1])]);
c('cat', 'torch.cat([a.t(), b], -1)', (a, b) => torch.cat([a.t(), b], -1), [arg([3, 2]), arg([2, 2])]);
c('cat', 'torch.cat with a legacy empty input', (a, e) => torch.cat([e, a, e]), [arg([2, 2]), arg([0])]);
c('cat', 'torch.concat / concatenate', (a, b) => torch.concatenate([a, b], 0).add(torch.concat([b, a])), [arg([2, 3]), arg([2, 3])]);
c('stack', 'torch.stack([a, b])', (a, b) => torch.stack([a, b]), [arg([3, 4]), arg([3, 4])], { gradgrad: true });
c('stack', 'torch.stack([a, b, a], -1)', (a, b) => torch.stack([a, b, a], -1), [arg([2, 3]), arg([2, 3])]);
c('stack', 'torch.stack of 0-d', (a, b) => torch.stack([a, b, a]).mul(b), [arg([]), arg([])]);
c('split', 'x.split(2, 1)', (x) => x.split(2, 1), [arg([3, 5])]);
c('split', 'torch.split(x, [1, 3], 1)', (x) => torch.split(x, [1, 3], 1), [arg([3, 4])]);
c('split', 'pieces recombined', (x) => {
  const [a, b] = x.split(2);
  return a.mul(b);
}, [arg([4, 3])]);
c('chunk', 'x.chunk(3, 1)', (x) => x.chunk(3, 1), [arg([3, 5])]);
c('chunk', 'torch.chunk(x, 2) uneven', (x) => torch.chunk(x, 2), [arg([3, 4])]);
c('repeat', 'x.repeat(2, 1)', (x) => x.repeat(2, 1), [arg([3, 4])], { gradgrad: true });
c('repeat', 'x.repeat(2, 1, 3) adds a dim', (x) => x.repeat(2, 1, 3), [arg([3, 2])]);
c('repeat', 'x.repeat([2]) of 0-d', (x) => x.repeat([2]), [arg([])]);
c('indexSelect', 'x.indexSelect(1, [2, 0, 2])', (x) => x.indexSelect(1, long([2, 0, 2])), [arg([3, 4])], { gradgrad: true });
c('indexSelect', 'torch.indexSelect(x, 0, int32 index)', (x) => torch.indexSelect(x, 0, torch.tensor([1, 1], { dtype: 'int32' })), [arg([3, 4])]);
c('indexSelect', 'x.indexSelect(0, 0-d index) of 0-d', (x) => x.indexSelect(0, long([0], [])), [arg([])]);
c('indexAdd', 'x.indexAdd(0, [0, 2, 0], src)', (x, s) => x.indexAdd(0, long([0, 2, 0]), s), [arg([3, 4]), arg([3, 4])], { gradgrad: true });
c('indexAdd', 'torch.indexAdd(x, 1, idx, src, { alpha: -2 })', (x, s) => torch.indexAdd(x, 1, long([3, 1]), s, { alpha: -2 }), [arg([3, 4]), arg([3, 2])]);
c('gather', 'x.gather(1, idx) with repeats', (x) => x.gather(1, long([0, 0, 3, 1, 2, 1], [3, 2])), [arg([3, 4])], { gradgrad: true });
c('gather', 'torch.gather(x, 0, idx) smaller index', (x) => torch.gather(x, 0, long([2, 0, 1], [1, 3])), [arg([3, 4])]);
c('scatterAdd', 'x.scatterAdd(1, idx, src)', (x, s) => x.scatterAdd(1, long([0, 0, 3, 1, 2, 1], [3, 2]), s), [arg([3, 4]), arg([3, 2])], { gradgrad: true });
c('scatterAdd', 'torch.scatterAdd(x, 0, idx [1, 3], src [1, 3])', (x, s) => torch.scatterAdd(x, 0, long([2, 2, 0], [1, 3]), s), [arg([3, 4]), arg([1, 3])]);
c('flip', 'x.flip(0)', (x) => x.flip(0), [arg([3, 4])], { gradgrad: true });
c('flip', 'torch.flip(x, [0, 1])', (x) => torch.flip(x, [0, 1]), [arg([3, 4])]);
c('flip', 'x.flip([-1]) of x.t()', (x) => x.t().flip([-1]), [arg([3, 4])]);
