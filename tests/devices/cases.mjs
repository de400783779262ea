// Device cases: each builds its inputs on wasm from a seed, moves them to
// `device`, computes, and returns tensors (or arrays/objects of tensors)
// that the runner reads back with toAsync('wasm'). The same case runs on
// every device and the answers are compared (see webgpu.test.ts).

const rnd = (torch, device, ...shape) => torch.randn(shape).to(device);
const ints = (torch, device, lo, hi, ...shape) => torch.randint(lo, hi, shape).to(device);
// sizes that leave a tail for every workgroup and tile size the kernels use
const SIZES = [1, 3, 5, 17, 33, 65, 1000];

/** @type {{ name: string, run: (torch: any, device: string) => any, tol?: number }[]} */
export const cases = [];
const add = (name, run, tol) => cases.push({ name, run, tol });

// ---- elementwise ------------------------------------------------------------
const UNARY = ['neg', 'abs', 'exp', 'sqrt', 'rsqrt', 'sin', 'cos', 'tanh', 'sigmoid', 'relu', 'square', 'reciprocal',
  'log1p', 'expm1', 'sign', 'floor', 'ceil', 'round', 'trunc', 'erf', 'atan', 'frac'];
// WGSL allows sin and cos an absolute error of 2^-11 (GPUs use fast approximations); asin, acos likewise inexact
const UNARY_TOL = { sin: 1e-3, cos: 1e-3 };
for (const op of UNARY) {
  for (const n of [5, 1000]) add(`unary ${op} [${n}]`, (t, d) => rnd(t, d, n)[op](), UNARY_TOL[op]);
}
add('log sqrt log1p out of domain', (t, d) => { const x = t.tensor([-2, -1, 0, 0.5, 3]).to(d); return [x.log(), x.sqrt(), x.log1p(), x.asin()]; }, 1e-3);
add('log of positive', (t, d) => rnd(t, d, 33).abs().add(0.1).log());
add('unary on a transposed view', (t, d) => rnd(t, d, 17, 5).t().exp());
add('unary on a strided slice', (t, d) => rnd(t, d, 10, 12).narrow(1, 3, 5).sigmoid());
for (const [a, b] of [[[5], [5]], [[4, 1], [1, 3]], [[2, 3, 4], [4]], [[3, 1, 5], [1, 7, 1]], [[65, 17], [17]]]) {
  for (const op of ['add', 'sub', 'mul', 'div', 'maximum', 'minimum', 'atan2']) {
    add(`binary ${op} [${a}] [${b}]`, (t, d) => t[op](rnd(t, d, ...a), rnd(t, d, ...b)));
  }
}
add('add with alpha', (t, d) => rnd(t, d, 7).add(rnd(t, d, 7), { alpha: 2.5 }));
add('pow tensor^scalar', (t, d) => rnd(t, d, 9).pow(3));
add('pow of positive^tensor', (t, d) => rnd(t, d, 9).abs().add(0.5).pow(rnd(t, d, 9)));
add('scalar ops', (t, d) => { const x = rnd(t, d, 17); return [x.add(2), x.sub(0.5), x.mul(-3), x.div(4), t.rsub(x, 1), x.clamp(-0.5, 0.5)]; });
add('fmod remainder', (t, d) => { const x = rnd(t, d, 17).mul(5), y = rnd(t, d, 17).abs().add(1); return [x.fmod(y), x.remainder(y)]; });
add('int32 arithmetic', (t, d) => { const x = ints(t, d, -50, 50, 33).int(), y = ints(t, d, 1, 9, 33).int(); return [x.add(y), x.mul(y), x.sub(y), x.remainder(y), x.abs(), x.neg()]; });
add('int64 arithmetic', (t, d) => { const x = ints(t, d, -50, 50, 17), y = ints(t, d, 1, 9, 17); return [x.add(y), x.mul(y), x.remainder(y), x.maximum(y)]; });
add('int / int is float', (t, d) => ints(t, d, -9, 9, 8).div(ints(t, d, 1, 4, 8)));
add('type promotion int64 + float32', (t, d) => ints(t, d, -9, 9, 6).add(rnd(t, d, 6)));
for (const op of ['eq', 'ne', 'lt', 'le', 'gt', 'ge']) {
  add(`compare ${op}`, (t, d) => { const x = ints(t, d, 0, 3, 5, 7).float(); return [x[op](ints(t, d, 0, 3, 7).float()), x[op](1)]; });
}
add('isnan isinf isfinite', (t, d) => { const x = t.tensor([1, NaN, Infinity, -Infinity, 0, -2]).to(d); return [x.isnan(), x.isinf(), x.isfinite(), x.isposinf(), x.isneginf()]; });
add('logical ops', (t, d) => { const a = rnd(t, d, 33).gt(0), b = rnd(t, d, 33).gt(0); return [a.logicalAnd(b), a.logicalOr(b), a.logicalXor(b), a.logicalNot()]; });
add('where broadcast', (t, d) => t.where(rnd(t, d, 4, 1).gt(0), rnd(t, d, 4, 5), rnd(t, d, 5)));
add('maskedFill', (t, d) => { const x = rnd(t, d, 6, 7); return x.maskedFill(x.lt(0), -1); });
add('casts', (t, d) => { const x = rnd(t, d, 17).mul(10); return [x.int(), x.long(), x.bool(), x.gt(0).float(), x.int().float(), x.to('uint8')]; });
add('contiguous of permute', (t, d) => rnd(t, d, 2, 3, 4, 5).permute(3, 1, 0, 2).contiguous());
add('cat stack', (t, d) => { const a = rnd(t, d, 3, 4), b = rnd(t, d, 2, 4); return [t.cat([a, b]), t.cat([a, a], 1), t.stack([a, a], 2)]; });
add('repeat expand', (t, d) => { const a = rnd(t, d, 3, 1); return [a.repeat(2, 3), a.expand(3, 4).contiguous()]; });
add('in place on a view', (t, d) => { const x = rnd(t, d, 5, 6); x.narrow(1, 1, 3).mul_(2).add_(1); return x; });
add('bool in place writes bytes', (t, d) => { const m = rnd(t, d, 13).gt(0); m.narrow(0, 3, 5).logicalNot_?.(); return m; });
add('factories on device', (t, d) => [t.zeros(3, 4, { device: d }), t.ones([5], { device: d, dtype: 'int64' }), t.full([2, 2], 7.5, { device: d }), t.eye(3, { device: d }), t.arange(6, { device: d }), t.zerosLike(rnd(t, d, 2, 3))]);

// ---- reductions ---------------------------------------------------------------
for (const n of SIZES) add(`sum all [${n}]`, (t, d) => rnd(t, d, n).sum());
for (const [shape, dims] of [[[4, 5, 6], 0], [[4, 5, 6], 1], [[4, 5, 6], 2], [[4, 5, 6], [0, 2]], [[65, 130], 1], [[130, 65], 0], [[3, 1000], -1]]) {
  add(`sum mean amax amin [${shape}] dim ${dims}`, (t, d) => { const x = rnd(t, d, ...shape); return [x.sum(dims), x.mean(dims, true), x.amax(dims), x.amin(dims)]; });
}
add('prod', (t, d) => rnd(t, d, 5, 6).mul(0.5).add(1).prod(1));
add('sum of a transposed view', (t, d) => rnd(t, d, 17, 33).t().sum(1));
add('int sums are int64', (t, d) => ints(t, d, -5, 5, 7, 9).sum(0));
for (const dim of [0, 1, -1]) add(`max min argmax argmin dim ${dim}`, (t, d) => {
  const x = rnd(t, d, 7, 65);
  const mx = x.max(dim), mn = x.min(dim);
  return [mx.values, mx.indices, mn.values, mn.indices, x.argmax(dim), x.argmin(dim, true)];
});
add('argmax ties take the first', (t, d) => t.tensor([[1, 3, 3, 0], [2, 2, 2, 2]]).float().to(d).argmax(1));
add('max all, argmax all', (t, d) => { const x = rnd(t, d, 33, 5); return [x.max(), x.argmax(), x.min()]; });
add('var std norm', (t, d) => { const x = rnd(t, d, 6, 40); return [x.var(1), x.std(0), x.norm()]; }, 1e-4);
add('logsumexp', (t, d) => rnd(t, d, 5, 70).mul(10).logsumexp(1));
add('cumsum cumprod', (t, d) => { const x = rnd(t, d, 4, 9); return [x.cumsum(1), x.cumsum(0), x.mul(0.5).cumprod(1)]; });
for (const dim of [0, 1, -1]) add(`softmax logSoftmax dim ${dim}`, (t, d) => { const x = rnd(t, d, 9, 130).mul(4); return [x.softmax(dim), x.logSoftmax(dim)]; });

// ---- linear algebra -----------------------------------------------------------
for (const [m, k, n] of [[1, 1, 1], [3, 5, 7], [17, 33, 5], [65, 17, 130], [64, 64, 64], [100, 1, 3], [128, 300, 70]]) {
  add(`mm ${m}x${k} @ ${k}x${n}`, (t, d) => rnd(t, d, m, k).mm(rnd(t, d, k, n)), 1e-4);
}
add('mm with transposed operands', (t, d) => [rnd(t, d, 9, 17).t().mm(rnd(t, d, 9, 5)), rnd(t, d, 6, 9).mm(rnd(t, d, 13, 9).t())]);
add('bmm', (t, d) => rnd(t, d, 4, 17, 9).bmm(rnd(t, d, 4, 9, 33)));
add('matmul broadcast batch, vector', (t, d) => [rnd(t, d, 2, 3, 5, 4).matmul(rnd(t, d, 4, 6)), rnd(t, d, 7, 4).matmul(rnd(t, d, 4)), rnd(t, d, 4).dot(rnd(t, d, 4))]);
add('int matmul', (t, d) => ints(t, d, -5, 5, 6, 7).int().mm(ints(t, d, -5, 5, 7, 3).int()));
add('linear', (t, d) => t.nn.functional.linear(rnd(t, d, 8, 20), rnd(t, d, 30, 20), rnd(t, d, 30)));

// ---- indexing -------------------------------------------------------------------
add('indexSelect', (t, d) => rnd(t, d, 6, 7).indexSelect(1, t.tensor([6, 0, 2, 2]).to(d)));
add('gather', (t, d) => rnd(t, d, 5, 9).gather(1, ints(t, d, 0, 9, 5, 4)));
add('scatterAdd with repeats', (t, d) => t.zeros(4, 6, { device: d }).scatterAdd(1, t.tensor([[0, 0, 5], [1, 1, 1], [2, 3, 4], [5, 5, 5]]).to(d), rnd(t, d, 4, 3)));
add('indexAdd', (t, d) => t.zeros(5, 3, { device: d }).indexAdd(0, t.tensor([0, 4, 0, 2]).to(d), rnd(t, d, 4, 3)));
add('oneHot', (t, d) => t.nn.functional.oneHot(t.tensor([0, 3, 1]).to(d), 5));
add('flip and cumprod grad', (t, d) => grads(t, d, [[3, 4]], (a) => a.flip([1]).cumprod(1).sum()));
add('embedding', (t, d) => t.nn.functional.embedding(t.tensor([[1, 3], [0, 3]]).to(d), rnd(t, d, 5, 4)));

// ---- losses and autograd ----------------------------------------------------------
add('crossEntropy', (t, d) => t.nn.functional.crossEntropy(rnd(t, d, 9, 10), ints(t, d, 0, 10, 9)));
add('mse l1 bce losses', (t, d) => {
  const F = t.nn.functional, x = rnd(t, d, 6, 4), y = rnd(t, d, 6, 4);
  return [F.mseLoss(x, y), F.l1Loss(x, y), F.binaryCrossEntropyWithLogits(x, y.sigmoid()), F.binaryCrossEntropy(x.sigmoid(), y.sigmoid())];
});
const grads = (t, d, shapes, f) => {
  const xs = shapes.map((s) => rnd(t, d, ...s).requiresGrad_());
  f(...xs).backward();
  return xs.map((x) => x.grad.detach());
};
add('grad of elementwise chain', (t, d) => grads(t, d, [[4, 5], [5]], (a, b) => a.mul(b).add(b.exp()).tanh().sum()));
add('grad of broadcast div and pow', (t, d) => grads(t, d, [[3, 4], [4]], (a, b) => a.div(b.abs().add(1)).pow(2).mean()));
add('grad of matmul', (t, d) => grads(t, d, [[5, 7], [7, 3]], (a, b) => a.matmul(b).relu().sum()));
add('grad of softmax and logSoftmax', (t, d) => grads(t, d, [[4, 9]], (a) => a.softmax(1).mul(a.logSoftmax(1)).sum()));
add('grad of max and amax', (t, d) => grads(t, d, [[4, 9]], (a) => a.max(1).values.sum().add(a.amax(0).sum())));
add('grad of crossEntropy', (t, d) => grads(t, d, [[8, 10]], (a) => t.nn.functional.crossEntropy(a, t.tensor([0, 1, 2, 3, 4, 5, 6, 9]).to(d))));
add('grad of gather and indexSelect', (t, d) => grads(t, d, [[4, 6]], (a) => a.gather(1, t.tensor([[0, 0], [1, 5], [2, 2], [3, 4]]).to(d)).sum().add(a.indexSelect(1, t.tensor([1, 1, 0]).to(d)).pow(2).sum())));
add('grad through views and cat', (t, d) => grads(t, d, [[4, 6]], (a) => t.cat([a.t(), a.narrow(0, 1, 2).t()], 1).sigmoid().sum()));

// ---- nn and optimizers ---------------------------------------------------------------
for (const [name, make] of [
  ['SGD momentum', (t, p) => new t.optim.SGD(p, { lr: 0.1, momentum: 0.9, weightDecay: 1e-3 })],
  ['Adam', (t, p) => new t.optim.Adam(p, { lr: 0.01 })],
  ['AdamW', (t, p) => new t.optim.AdamW(p, { lr: 0.01, weightDecay: 0.1 })],
  ['RMSprop', (t, p) => new t.optim.RMSprop(p, { lr: 0.01, momentum: 0.5 })],
]) {
  add(`three ${name} steps of a small MLP`, (t, d) => {
    t.manualSeed(3);
    const net = new t.nn.Sequential(new t.nn.Linear(6, 16), new t.nn.ReLU(), new t.nn.Linear(16, 3));
    net.to(d);
    const opt = make(t, net.parameters());
    const x = rnd(t, d, 12, 6), y = ints(t, d, 0, 3, 12);
    const losses = [];
    for (let i = 0; i < 3; i++) {
      opt.zeroGrad();
      const loss = t.nn.functional.crossEntropy(net.forward(x), y);
      loss.backward();
      opt.step();
      losses.push(loss.detach());
    }
    return [...losses, ...net.parameters()];
  }, 1e-4);
}

// ---- random fills: drawn on wasm (PyTorch's streams), uploaded ------------------------
add('seeded factories on device', (t, d) => { t.manualSeed(7); return [t.rand(3, 5, { device: d }), t.randn([17], { device: d }), t.randint(0, 9, [4], { device: d })]; });
add('in-place random fills of device tensors', (t, d) => {
  t.manualSeed(7);
  const a = t.empty(4, 6, { device: d }).uniform_(-1, 1), b = t.empty(33, { device: d }).normal_(2, 3);
  const m = t.zeros(5, 5, { device: d }).bernoulli_(0.5);
  return [a, b, m];
});
add('dropout in training mode', (t, d) => { t.manualSeed(1); return t.nn.functional.dropout(t.ones(8, 8, { device: d }), 0.25, true); });
add('nn.init on device parameters', (t, d) => {
  t.manualSeed(5);
  const lin = new t.nn.Linear(7, 5).to(d);
  t.nn.init.kaimingUniform_(lin.weight, { a: Math.sqrt(5) });
  t.nn.init.zeros_(lin.bias);
  return [lin.weight, lin.bias];
});

// ---- memory: GPU buffers go back to the pool -----------------------------------------
add('a training step inside tidy leaves no buffers behind', (t, d) => {
  const net = new t.nn.Linear(8, 4).to(d);
  const opt = new t.optim.Adam(net.parameters(), { lr: 0.1 });
  const x = rnd(t, d, 16, 8);
  const step = () => t.tidy(() => {
    opt.zeroGrad();
    net.forward(x).relu().sum().backward();
    opt.step();
  });
  step(); // the optimizer's state is created by the first step
  const before = t.webgpu.memory().buffers, live = t.memory().liveTensors;
  for (let i = 0; i < 3; i++) step();
  return t.tensor([t.webgpu.memory().buffers - before, t.memory().liveTensors - live]).to(d);
});
