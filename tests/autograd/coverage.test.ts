// Every differentiable op must have a gradcheck case. The op tables of
// src/ops/unary.ts and src/ops/binary.ts are walked key by key; the other
// differentiable ops are listed below. Every public function and Tensor
// method must be one of them, an alias of one, or explicitly not
// differentiable, so a new public op cannot slip past without a case.
import { describe, expect, it, vi } from 'vitest';
import * as torch from 'torchlet';

// the tables live in src, which imports the kernel modules' bytes the way esbuild inlines them
vi.mock('../../dist/wasm/torchlet.simd.wasm', async () => {
  const fs = await import('node:fs');
  return { default: new Uint8Array(fs.readFileSync(new URL('../../dist/wasm/torchlet.simd.wasm', import.meta.url))) };
});
vi.mock('../../dist/wasm/torchlet.relaxed.wasm', async () => {
  const fs = await import('node:fs');
  return { default: new Uint8Array(fs.readFileSync(new URL('../../dist/wasm/torchlet.relaxed.wasm', import.meta.url))) };
});
import { UNARY, PARAM_UNARY } from '../../src/ops/unary';
import { BINARY } from '../../src/ops/binary';
import { ALL_CASES } from './cases';

/** Differentiable public ops outside the three tables (F.* for torch.nn.functional). */
const OTHER_OPS = `
  rsub where maskedFill addcmul addcdiv lerp
  view viewAs reshape reshapeAs transpose t T mT permute unsqueeze squeeze flatten unflatten expand expandAs narrow select unbind movedim
  clone contiguous to type float double cat stack split chunk repeat indexSelect indexAdd gather scatterAdd flip
  sum mean prod amax amin max min var std norm logsumexp cumsum cumprod softmax logSoftmax
  dot mv mm bmm matmul outer
  add_ sub_ mul_ div_ pow_ clamp_ fill_ zero_ copy_ addcmul_ addcdiv_ lerp_
  neg_ abs_ exp_ log_ sqrt_ relu_ sigmoid_ tanh_ square_ reciprocal_ floor_ ceil_ round_ sign_
  F.linear F.relu F.sigmoid F.tanh F.silu F.softmax F.logSoftmax F.dropout F.layerNorm F.embedding
  F.mseLoss F.l1Loss F.nllLoss F.crossEntropy F.binaryCrossEntropy F.binaryCrossEntropyWithLogits
`.split(/\s+/).filter(Boolean);

/** Public names that reach a covered op under another name: [public name, op key]. */
const ALIASES: Record<string, string> = {
  clip: 'clamp',
  absolute: 'abs',
  negative: 'neg',
  subtract: 'sub',
  multiply: 'mul',
  divide: 'div',
  trueDivide: 'div',
  swapaxes: 'transpose',
  swapdims: 'transpose',
  concat: 'cat',
  concatenate: 'cat',
  'F.gelu': 'gelu',
  'F.leakyRelu': 'leakyRelu',
  'F.elu': 'elu',
  'F.hardtanh': 'hardtanh',
  'F.softplus': 'softplus',
};

/** The aliases that are literally the same function as their target. */
const SAME_FUNCTION: [string, () => unknown, () => unknown][] = [
  ['torch.clip', () => torch.clip, () => torch.clamp],
  ['torch.absolute', () => torch.absolute, () => torch.abs],
  ['torch.negative', () => torch.negative, () => torch.neg],
  ['torch.subtract', () => torch.subtract, () => torch.sub],
  ['torch.multiply', () => torch.multiply, () => torch.mul],
  ['torch.divide', () => torch.divide, () => torch.div],
  ['torch.swapaxes', () => torch.swapaxes, () => torch.transpose],
  ['torch.concat', () => torch.concat, () => torch.cat],
  ['torch.concatenate', () => torch.concatenate, () => torch.cat],
  ['Tensor.clip', () => torch.Tensor.prototype.clip, () => torch.Tensor.prototype.clamp],
  ['Tensor.subtract', () => torch.Tensor.prototype.subtract, () => torch.Tensor.prototype.sub],
  ['Tensor.multiply', () => torch.Tensor.prototype.multiply, () => torch.Tensor.prototype.mul],
  ['Tensor.divide', () => torch.Tensor.prototype.divide, () => torch.Tensor.prototype.div],
  ['Tensor.trueDivide', () => torch.Tensor.prototype.trueDivide, () => torch.Tensor.prototype.div],
  ['Tensor.swapaxes', () => torch.Tensor.prototype.swapaxes, () => torch.Tensor.prototype.transpose],
  ['Tensor.swapdims', () => torch.Tensor.prototype.swapdims, () => torch.Tensor.prototype.transpose],
];

/** Public names that carry no gradient, with the reason. */
const NOT_DIFFERENTIABLE: Record<string, string> = {};
const nd = (names: string, why: string): void => {
  for (const n of names.split(/\s+/).filter(Boolean)) NOT_DIFFERENTIABLE[n] = why;
};
nd('eq ne lt le gt ge isnan isinf isfinite isposinf isneginf logicalNot logicalAnd logicalOr logicalXor equal isclose allclose', 'comparisons and predicates give bool results');
nd('argmax argmin all any', 'integer or bool results');
nd('int long bool byte', 'casts to non-floating dtypes (no gradient in PyTorch either)');
nd('tensor zeros ones full empty eye arange linspace zerosLike onesLike fullLike emptyLike newZeros newOnes newEmpty newFull newTensor', 'creation: results are leaves');
nd('rand randn randint randperm randLike randnLike randintLike normal bernoulli uniform_ normal_ bernoulli_ random_ manualSeed initialSeed seed getRngState setRngState Generator', 'random sampling (PyTorch gives these no or zero gradient)');
nd('detach detach_ requiresGrad_ retainGrad backward', 'autograd control, not ops');
nd('noGrad enableGrad isGradEnabled setGradEnabled', 'grad mode');
nd('tidy keep memory dispose ready', 'memory management');
nd('backendInfo setNumThreads getNumThreads', 'runtime controls: kernel build and thread pool');
nd('item tolist toTypedArray toString itemAsync tolistAsync', 'reading values out');
nd('device TorchDevice toAsync', 'devices: moves are not differentiable (refused for tensors that require grad)');
nd('dim size stride numel elementSize isContiguous isFloatingPoint storageOffset cpu', 'metadata; cpu() returns the tensor itself');
nd('setPrintOptions getPrintOptions', 'printing');
nd('save load loadMetadata saveFile loadFile', 'serialization');
nd('promoteTypes resultType isTensor Tensor', 'dtype rules and type checks');
nd('F.oneHot', 'integer result');

const TABLE_KEYS = [...Object.keys(UNARY), ...Object.keys(PARAM_UNARY), ...Object.keys(BINARY)];
const REQUIRED = [...TABLE_KEYS, ...OTHER_OPS];
const covered = new Set(ALL_CASES.map((k) => k.op));

/** Every public function of torch and torch.nn.functional, and every public Tensor method or property. */
function publicNames(): string[] {
  const names = new Set<string>();
  for (const [k, v] of Object.entries(torch)) if (typeof v === 'function') names.add(k);
  for (const k of Object.keys(torch.nn.functional)) names.add(`F.${k}`);
  for (const k of Object.getOwnPropertyNames(torch.Tensor.prototype)) {
    if (k === 'constructor' || k.startsWith('_')) continue;
    const desc = Object.getOwnPropertyDescriptor(torch.Tensor.prototype, k)!;
    // plain getters that are not views (storage, ptr, ndim, ...) are metadata
    if (desc.get && !['T', 'mT'].includes(k)) continue;
    names.add(k);
  }
  return [...names].sort();
}

describe('gradcheck coverage', () => {
  it('walks non-empty op tables', () => {
    expect(Object.keys(UNARY).length).toBeGreaterThan(30);
    expect(Object.keys(PARAM_UNARY).length).toBeGreaterThan(5);
    expect(Object.keys(BINARY).length).toBeGreaterThan(5);
  });

  it.each(REQUIRED)('%s has a gradcheck case', (op) => {
    expect(covered.has(op), `no gradcheck case for the differentiable op '${op}'`).toBe(true);
  });

  it('every case names a known op', () => {
    const unknown = [...covered].filter((op) => !REQUIRED.includes(op));
    expect(unknown).toEqual([]);
  });

  it('every public function and Tensor method is covered, an alias, or not differentiable', () => {
    const unclassified = publicNames().filter((n) => !REQUIRED.includes(n) && !(n in ALIASES) && !(n in NOT_DIFFERENTIABLE));
    expect(unclassified, 'classify these: give them a gradcheck case (OTHER_OPS) or a reason (NOT_DIFFERENTIABLE)').toEqual([]);
  });

  it('lists no stale names', () => {
    const pub = new Set(publicNames());
    const stale = [...OTHER_OPS, ...Object.keys(ALIASES), ...Object.keys(NOT_DIFFERENTIABLE)].filter((n) => !pub.has(n));
    expect(stale).toEqual([]);
    for (const target of Object.values(ALIASES)) expect(REQUIRED).toContain(target);
  });

  it.each(SAME_FUNCTION)('%s is the function it aliases', (_name, alias, target) => {
    expect(alias()).toBe(target());
  });

  it('has gradgradcheck cases for the ops PyTorch double-differentiates', () => {
    const twice = new Set(ALL_CASES.filter((k) => k.gradgrad).map((k) => k.op));
    const expected = 'pow mul div exp log tanh sigmoid softmax logSoftmax matmul mm bmm sum mean F.crossEntropy F.mseLoss F.nllLoss F.binaryCrossEntropy F.layerNorm'.split(' ');
    expect(expected.filter((op) => !twice.has(op))).toEqual([]);
  });
});
