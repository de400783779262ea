// Hostile arguments, one by one: each call must throw an Error whose message
// is PyTorch's (checked against PyTorch's own where it words the case the
// same), and leave no tensor or byte behind. The random counterpart is
// tests/properties/fuzz.test.ts.
import { beforeAll, describe, expect, it } from 'vitest';
import * as torch from 'torchlet';
import { NOTHING, leftBehindThrowing, warmUp } from '../memory/helpers';

const nn = torch.nn;
type Call = () => unknown;
const bool = (n: number) => torch.ones([n], { dtype: 'bool' });
const junk = (v: unknown) => v as torch.Tensor;
/** Modules are made before the measurements: their parameters belong to no scope. */
let modules: ReturnType<typeof makeModules> | null = null;
const makeModules = () => ({
  lin: new nn.Linear(4, 3),
  small: new nn.Linear(2, 2),
  emb: new nn.Embedding(3, 2),
  ln: new nn.LayerNorm(4),
  seq: new nn.Sequential(new nn.Linear(4, 3), new nn.Linear(4, 2)),
});
const m = () => (modules ??= makeModules());

const CASES: [string, Call, RegExp][] = [
  // sizes
  ['zeros: a string size', () => torch.zeros(junk('a')), /argument 'size' must be tuple of ints, but found element of type string at pos 0/],
  ['zeros: a negative size', () => torch.zeros(-1), /negative dimension -1/],
  ['zeros: a fractional size', () => torch.zeros(2.5), /argument 'size' must be tuple of ints, but found element of type float/],
  ['zeros: a NaN size', () => torch.zeros(NaN), /must be tuple of ints, but found element of type NaN/],
  ['zeros: an infinite size', () => torch.zeros(Infinity), /must be tuple of ints/],
  ['zeros: null in the sizes', () => torch.ones([junk(null)]), /element of type null/],
  ['zeros: more elements than the kernels index', () => torch.zeros(65536, 65536), /has 4294967296 elements, more than the 2147483647/],
  ['empty: 2^53 elements', () => torch.empty(2 ** 53), /more than the 2147483647/],
  ['rand: a negative size', () => torch.rand(-2), /negative dimension -2/],
  ['randint: a fractional size', () => torch.randint(0, 5, [2.5]), /must be tuple of ints/],
  ['eye: a negative size', () => torch.eye(-1), /n must be greater or equal to 0, got -1/],
  ['linspace: negative steps', () => torch.linspace(0, 1, -1), /number of steps must be non-negative/],
  ['arange: a NaN end', () => torch.arange(NaN), /unsupported range/],
  ['arange: 10^12 elements', () => torch.arange(0, 1e12), /more than the 2147483647/],
  ['chunk: 2^40 pieces of an empty dim', () => torch.zeros(0, 2).chunk(2 ** 40), /1099511627776 empty chunks would not fit in memory/],
  ['full: a string fill value', () => torch.full([2], junk('x')), /full\(\): argument 'fill_value' \(position 2\) must be Number, not str/],
  ['view: two inferred dims', () => torch.ones(4).view(-1, -1), /only one dimension can be inferred/],
  ['view: a fractional size', () => torch.ones(4).view(2.5), /must be tuple of ints, but found element of type float/],
  ['reshape: wrong numel', () => torch.ones(4).reshape(3), /shape '\[3\]' is invalid for input of size 4/],
  ['reshape: a NaN size', () => torch.ones(4).reshape(NaN), /must be tuple of ints/],
  ['expand: size does not match', () => torch.ones(2).expand(3), /The expanded size of the tensor \(3\) must match the existing size \(2\) at non-singleton dimension 0/],
  ['expand: a view of more elements than the kernels count', () => torch.ones(1).expand(2 ** 40), /expand\(\): a tensor of size \[1099511627776\] has 1099511627776 elements, more than the 2147483647/],
  ['expand: the same over two dims', () => torch.ones(1, 1).expand(2 ** 20, 2 ** 20), /more than the 2147483647 torchlet supports/],
  ['repeat: a fractional count', () => torch.ones(1).repeat(1.5), /argument 'repeats' must be tuple of ints/],
  ['Linear: a negative feature count', () => new nn.Linear(-1, 3), /negative dimension -1/],
  ['Linear: a fractional feature count', () => new nn.Linear(2.5, 3), /must be tuple of ints/],
  // data
  ['tensor: ragged', () => torch.tensor([[1, 2], [3]]), /expected sequence of length 2 at dim 1 \(got 1\)/],
  ['tensor: ragged, deeper', () => torch.tensor([[1, [2]], [3, 4]]), /expected sequence of length 2 at dim 1/],
  ['tensor: strings', () => torch.tensor(['a']), /invalid data type 'string'/],
  ['tensor: null inside', () => torch.tensor([1, null]), /invalid data type 'null'/],
  ['tensor: NaN into int64', () => torch.tensor([NaN], { dtype: 'int64' }), /value cannot be converted to type int64 without overflow/],
  ['tensor: 300 into uint8', () => torch.tensor([300], { dtype: 'uint8' }), /value cannot be converted to type uint8 without overflow/],
  ['tensor: an unknown dtype', () => torch.tensor([1], { dtype: 'float16' }), /unsupported dtype "float16"/],
  // dims and indices
  ['sum: dim out of range', () => torch.ones(2, 3).sum(2), /Dimension out of range \(expected to be in range of \[-2, 1\], but got 2\)/],
  ['sum: a repeated dim', () => torch.ones(2).sum([0, 0]), /dim 0 appears multiple times in the list of dims/],
  ['mean: a string dim', () => torch.ones(2).mean(junk('a')), /dim must be an int/],
  ['unsqueeze: dim out of range', () => torch.ones(2).unsqueeze(3), /Dimension out of range \(expected to be in range of \[-2, 1\], but got 3\)/],
  ['flip: a repeated dim', () => torch.ones(2, 2).flip([0, 0]), /dim 0 appears multiple times in the list of dims/],
  ['flip: the same dim twice, once negative', () => torch.ones(2, 2).flip([0, -2]), /dim 0 appears multiple times in the list of dims/],
  ['narrow: a fractional start', () => torch.ones(4).narrow(0, 1.5, 1), /narrow\(\): argument 'start' must be int, not float/],
  ['narrow: a fractional length', () => torch.ones(4).narrow(0, 1, 1.5), /narrow\(\): argument 'length' must be int, not float/],
  ['narrow: a NaN start', () => torch.ones(4).narrow(0, NaN, 1), /argument 'start' must be int/],
  ['select: index out of range', () => torch.ones(2, 3).select(1, 3), /select\(\): index 3 out of range for tensor of size \[2, 3\] at dimension 1/],
  ['select: a fractional index', () => torch.ones(3).select(0, 1.5), /select\(\): argument 'index' \(position 2\) must be int, not float/],
  ['permute: a repeated dim', () => torch.ones(2, 3).permute(0, 0), /repeated dim|duplicate dims/],
  ['movedim: out of range', () => torch.ones(2, 2).movedim(0, 5), /Dimension out of range/],
  ['indexSelect: index out of range', () => torch.ones(3).indexSelect(0, torch.tensor([3])), /index out of range in self/],
  ['indexSelect: a negative index', () => torch.ones(3).indexSelect(0, torch.tensor([-1])), /index out of range in self/],
  ['indexSelect: a float index', () => torch.ones(3).indexSelect(0, torch.tensor([0], { dtype: 'float32' })), /index_select\(\): Expected dtype int32 or int64 for index/],
  ['indexSelect: a 0-d tensor and two indices', () => torch.tensor(1.5).indexSelect(0, torch.tensor([0, 0])), /Index to scalar can have only 1 value, got 2 value\(s\)/],
  ['gather: index out of range', () => torch.ones(2, 2).gather(1, torch.tensor([[0, 5], [0, 0]])), /index 5 is out of bounds for dimension 1 with size 2/],
  ['scatterAdd: index out of range', () => torch.zeros(2, 2).scatterAdd(1, torch.tensor([[0, 5], [0, 0]]), torch.ones(2, 2)), /index 5 is out of bounds/],
  ['Embedding: index out of range', () => m().emb.forward(torch.tensor([3])), /index out of range in self/],
  ['crossEntropy: target out of range', () => nn.functional.crossEntropy(torch.zeros(2, 3), torch.tensor([0, 3])), /Target 3 is out of bounds/],
  ['nllLoss: negative target', () => nn.functional.nllLoss(torch.zeros(2, 3), torch.tensor([0, -5])), /Target -5 is out of bounds/],
  // operands and dtypes
  ['add: a string', () => torch.ones(2).add(junk('a')), /add\(\): argument 'other' \(position 1\) must be Tensor, not str/],
  ['add: undefined', () => torch.ones(2).add(junk(undefined)), /add\(\): argument 'other' \(position 1\) must be Tensor, not NoneType/],
  ['mul: a plain object', () => torch.ones(2).mul(junk({})), /mul\(\): argument 'other' .* must be Tensor, not dict/],
  ['eq: an array', () => torch.ones(2).eq(junk([1, 2, 3])), /eq\(\): argument 'other' .* must be Tensor, not list/],
  ['lt: null', () => torch.lt(junk(null), torch.ones(2)), /lt\(\): argument 'input' .* must be Tensor, not NoneType/],
  ['logicalAnd: a string', () => torch.ones(2).logicalAnd(junk('a')), /must be Tensor, not str/],
  ['cat: a number among the tensors', () => torch.cat([torch.ones(2), junk(0)]), /expected Tensor as element 1 in argument 0, but got int/],
  ['cat: a tensor instead of a list', () => torch.cat(junk(torch.ones(2))), /cat\(\): argument 'tensors' \(position 1\) must be tuple of Tensors, not Tensor/],
  ['stack: a string among the tensors', () => torch.stack([torch.ones(2), junk('a')]), /expected Tensor as element 1 in argument 0, but got str/],
  ['matmul: null', () => torch.ones(2).matmul(junk(null)), /matmul\(\): argument 'other' \(position 1\) must be Tensor, not NoneType/],
  ['matmul: a number', () => torch.ones(2).matmul(junk(2.5)), /must be Tensor, not float/],
  ['where: a string branch', () => torch.where(bool(2), junk('a'), 1), /where\(\): argument 'input' .* must be Tensor, not str/],
  ['maskedFill: a string value', () => torch.ones(2).maskedFill(bool(2), junk('x')), /masked_fill\(\): argument 'value' .* must be Number, not str/],
  ['clamp: a string bound', () => torch.ones(3).clamp(junk('a')), /clamp\(\): argument 'min' must be Number, not str/],
  ['pow: a string exponent', () => torch.ones(3).pow(junk('a')), /pow\(\): argument 'other' .* must be Tensor, not str/],
  ['add_: a string', () => torch.ones(2).add_(junk('a')), /add_\(\): argument 'other' \(position 1\) must be Tensor, not str/],
  ['fill_: a string', () => torch.ones(2).fill_(junk('x')), /fill_\(\): argument 'value' \(position 1\) must be Number, not str/],
  ['softmax: an integer tensor', () => torch.ones([2], { dtype: 'int64' }).softmax(0), /"softmax_lastdim_kernel_impl" not implemented for 'Long'/],
  ['mean: an integer tensor', () => torch.ones([2], { dtype: 'int64' }).mean(), /mean\(\): could not infer output dtype.*Got: Long/],
  ['sub: two bools', () => bool(2).sub(bool(2)), /Subtraction, the `-` operator, with two bool tensors is not supported/],
  ['neg: a bool tensor', () => bool(2).neg(), /Negation, the `-` operator, on a bool tensor is not supported/],
  ['exp_: an integer tensor', () => torch.ones([2], { dtype: 'int64' }).exp_(), /result type Float can't be cast to the desired output type Long/],
  ['to: an unknown dtype', () => torch.ones(2).to('float16'), /unsupported dtype "float16"/],
  ['item: two elements', () => torch.ones(2).item(), /only one element tensors can be converted to Python scalars/],
  ['requiresGrad on int64', () => torch.ones([2], { dtype: 'int64', requiresGrad: true }), /Only Tensors of floating point and complex dtype can require gradients/],
  ['backward: options in place of the gradient', () => torch.ones([3], { requiresGrad: true }).mul(2).sum().backward(junk({ retainGraph: true })), /backward\(\): argument 'gradient' must be Tensor or None, not dict/],
  // modules fed the wrong thing
  ['Linear: wrong feature size', () => m().lin.forward(torch.ones(2, 5)), /mat1 and mat2 shapes cannot be multiplied \(2x5 and 4x3\)/],
  ['Linear: a 1-d input of the wrong size', () => m().lin.forward(torch.ones(5)), /mat1 and mat2 shapes cannot be multiplied \(1x5 and 4x3\)/],
  ['Linear: a batched input of the wrong size', () => m().lin.forward(torch.ones(2, 3, 5)), /mat1 and mat2 shapes cannot be multiplied \(6x5 and 4x3\)/],
  ['Sequential: layers that do not chain', () => m().seq.forward(torch.ones(1, 4)), /mat1 and mat2 shapes cannot be multiplied \(1x3 and 4x2\)/],
  ['Linear: an int64 input', () => m().lin.forward(torch.ones([2, 4], { dtype: 'int64' })), /expected scalar type|must have the same dtype/],
  ['LayerNorm: wrong normalized size', () => m().ln.forward(torch.ones(2, 5)), /Given normalized_shape=\[4\], expected input with shape \[\*, 4\], but got input of size\[2, 5\]/],
  // state dicts
  ['loadStateDict: a missing entry', () => m().small.loadStateDict({ weight: torch.ones(2, 2) }), /Error\(s\) in loading state_dict for Linear:\n\tMissing key\(s\) in state_dict: "bias"\./],
  ['loadStateDict: an extra entry', () => m().small.loadStateDict({ weight: torch.ones(2, 2), bias: torch.ones(2), foo: torch.ones(1) }), /Unexpected key\(s\) in state_dict: "foo"\./],
  ['loadStateDict: a misshapen entry', () => m().small.loadStateDict({ weight: torch.ones(3, 2), bias: torch.ones(2) }), /size mismatch for weight: copying a param with shape torch\.Size\(\[3, 2\]\) from checkpoint, the shape in current model is torch\.Size\(\[2, 2\]\)\./],
  ['loadStateDict: a list instead of a tensor', () => m().small.loadStateDict({ weight: junk([1, 2]), bias: torch.ones(2) }), /While copying the parameter named "weight", expected torch\.Tensor or Tensor-like object from checkpoint but received <class 'list'>/],
  ['loadStateDict: null', () => m().small.loadStateDict(junk(null)), /Expected state_dict to be dict-like, got <class 'NoneType'>\./],
  // optimizers and the rest
  ['SGD: a negative learning rate', () => new torch.optim.SGD(m().small.parameters(), { lr: -1 }), /Invalid learning rate: -1/],
  ['SGD: a NaN learning rate', () => new torch.optim.SGD(m().small.parameters(), { lr: NaN }), /Invalid learning rate: NaN/],
  ['SGD: no parameters', () => new torch.optim.SGD([], { lr: 0.1 }), /optimizer got an empty parameter list/],
  ['dropout: p out of range', () => nn.functional.dropout(torch.ones(2), 2), /dropout probability has to be between 0 and 1, but got 2/],
  ['save: null', () => torch.save(junk(null) as never), /save\(\): expected an object mapping names to tensors, got null/],
  ['load: a string', () => torch.load(junk('abc') as never), /load\(\): expected the file's bytes \(a Uint8Array or ArrayBuffer\), got string/],
  ['load: a plain array', () => torch.load(junk([1, 2, 3]) as never), /got an array/],
  ['load: three bytes', () => torch.load(new Uint8Array([1, 2, 3])), /too short for the 8-byte header length/],
  ['setNumThreads: NaN', () => torch.setNumThreads(NaN), /expected a positive integer, got NaN/],
];

describe('hostile arguments are refused with PyTorch-like messages and leave nothing behind', () => {
  beforeAll(() => {
    warmUp();
    m();
  });
  for (const [name, call, message] of CASES) {
    it(name, () => {
      const d = leftBehindThrowing(() => torch.tidy(call));
      expect(d.error, 'the call must throw').toBeInstanceOf(Error);
      expect((d.error as Error).message).toMatch(message);
      expect({ tensors: d.tensors, bytes: d.bytes }).toEqual(NOTHING);
    });
  }
});

describe('optimizer state dicts', () => {
  function trained() {
    const lin = new nn.Linear(2, 2);
    const opt = new torch.optim.Adam(lin.parameters(), { lr: 0.1 });
    const step = () =>
      torch.tidy(() => {
        opt.zeroGrad();
        lin.forward(torch.ones(1, 2)).sum().backward();
        opt.step();
      });
    step();
    return { lin, opt, step };
  }
  type Sd = ReturnType<torch.optim.Adam['stateDict']>;
  const BAD: [string, (sd: Sd) => unknown, RegExp][] = [
    ['null', () => null, /must be an object with "state" and "param_groups"/],
    ['no param_groups', () => ({ state: {} }), /must be an object with "state" and "param_groups"/],
    ['fewer groups', (sd) => ({ ...sd, param_groups: [] }), /different number of parameter groups/],
    ['a group of another size', (sd) => ({ ...sd, param_groups: [{ ...sd.param_groups[0], params: [0] }] }), /doesn't match the size of optimizer's group/],
    ['state for a parameter that is not there', (sd) => ({ ...sd, state: { ...sd.state, 7: sd.state[0] } }), /state for parameter 7, but the optimizer has 2 parameters/],
    ['misshapen state', (sd) => ({ ...sd, state: { ...sd.state, 0: { ...sd.state[0], exp_avg: torch.ones(5) } } }), /state "exp_avg" of parameter 0 has shape \[5\], but the parameter has shape \[2, 2\]/],
  ];
  for (const [name, make, message] of BAD) {
    it(`refuses ${name} and keeps working`, () => {
      const { lin, opt, step } = trained();
      const bad = torch.tidy(() => make(opt.stateDict()));
      expect(() => opt.loadStateDict(bad as Sd)).toThrow(message);
      step();
      expect(lin.weight.isfinite().all().item()).toBe(true);
      opt.dispose();
      lin.weight.dispose();
      lin.bias!.dispose();
    });
  }
  it('loading a state dict frees the state it replaces', () => {
    const { opt, step } = trained();
    // (the first loads settle which free blocks the copies land in: liveBytes counts whole blocks)
    for (let i = 0; i < 5; i++) opt.loadStateDict(opt.stateDict());
    step();
    const before = torch.memory();
    for (let i = 0; i < 20; i++) opt.loadStateDict(opt.stateDict());
    step();
    expect(torch.memory().liveBytes).toBe(before.liveBytes);
    expect(torch.memory().liveTensors).toBe(before.liveTensors);
    opt.dispose();
  });
});
