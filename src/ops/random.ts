// Random tensors that match PyTorch number for number: after
// torch.manualSeed(s) every function here consumes the generator exactly as
// PyTorch 1.13 on CPU does (see assembly/random.ts for the draw contract).
// Argument checks and their messages follow ATen's DistributionTemplates.
import { Tensor } from '../tensor/tensor';
import { type DType, isFloating, scalarName } from '../tensor/dtype';
import { sizeArgs, checkSize, broadcastShapes } from '../tensor/shape';
import { isGradEnabled, noGrad } from '../autograd/grad_mode';
import { needsGrad, record } from '../autograd/record';
import { applyRequiresGrad, onDevice, optDevice, optDType, splitOptions, type TensorOptions, tensorInput } from './operands';
import { Generator, defaultGenerator, manualSeedDefault } from './generator';
import { fillUniform, fillNormal, fillBernoulli, fillRandom, permutation, checkWritable } from './random_fill';
import { cppNumber, randomRange, randomDefault } from './random_range';

export { Generator };

export interface RandomOptions extends TensorOptions {
  generator?: Generator;
}

const genOf = (o?: { generator?: Generator }): Generator => o?.generator ?? defaultGenerator();

/** torch.manual_seed: reseeds the global generator and returns it. */
export function manualSeed(seed: number | bigint): Generator {
  return manualSeedDefault(seed);
}

export const initialSeed = (): number => defaultGenerator().initialSeed();
export const seed = (): number => defaultGenerator().seed();
export const getRngState = (): Tensor => defaultGenerator().getState();
export const setRngState = (state: Tensor): void => void defaultGenerator().setState(state);

// ---- in-place fills --------------------------------------------------------

/** In-place random fills are not differentiable: a recorded graph sees a node with zero gradient. */
function inplaceRandom(self: Tensor, name: string, fill: () => void): Tensor {
  if (isGradEnabled() && self.requiresGrad && self.isLeaf) {
    throw new Error('a leaf Variable that requires grad is being used in an in-place operation.');
  }
  const tracked = needsGrad(self);
  checkWritable(self);
  fill();
  self.storage.version++;
  if (tracked) record(name, [self], self, [], (g) => [g.zerosLike()]);
  return self;
}

const notImplemented = (op: string, d: DType): Error => new Error(`"${op}" not implemented for '${scalarName(d)}'`);

export function uniform_(self: Tensor, from = 0, to = 1, o: RandomOptions = {}): Tensor {
  return inplaceRandom(self, 'UniformBackward0', () => {
    if (self.numel() === 0) return;
    if (!isFloating(self.dtype)) throw notImplemented('check_uniform_bounds', self.dtype);
    const max = self.dtype === 'float32' ? 3.4028234663852886e38 : Number.MAX_VALUE;
    const ctype = self.dtype === 'float32' ? 'float' : 'double';
    if (!(from >= -max && from <= max)) throw new Error(`from is out of bounds for ${ctype}`);
    if (!(to >= -max && to <= max)) throw new Error(`to is out of bounds for ${ctype}`);
    if (!(from <= to)) throw new Error(`uniform_ expects to return a [from, to) range, but found from=${cppNumber(from)} > to=${cppNumber(to)}`);
    if (!(to - from <= max)) {
      throw new Error(
        `uniform_ expects to-from <= std::numeric_limits<${scalarName(self.dtype)}>::max(), but found to=${cppNumber(to)} and from=${cppNumber(from)} which result in to-from to exceed the limit`,
      );
    }
    fillUniform(self, from, to, genOf(o));
  });
}

function checkStd(std: number): void {
  if (!(std >= 0)) throw new Error(`normal expects std >= 0.0, but found std ${cppNumber(std)}`);
}

export function normal_(self: Tensor, mean = 0, std = 1, o: RandomOptions = {}): Tensor {
  checkStd(std);
  return inplaceRandom(self, 'NormalBackward0', () => {
    if (!isFloating(self.dtype)) throw notImplemented('normal_kernel_cpu', self.dtype);
    fillNormal(self, mean, std, genOf(o));
  });
}

export function bernoulli_(self: Tensor, p: number | Tensor = 0.5, o: RandomOptions = {}): Tensor {
  if (typeof p === 'number') {
    if (!(p >= 0 && p <= 1)) throw new Error(`bernoulli_ expects p to be in [0, 1], but got p=${cppNumber(p)}`);
    return inplaceRandom(self, 'BernoulliBackward1', () => void fillBernoulli(self, p, genOf(o)));
  }
  if (!(p instanceof Tensor)) throw new TypeError(`bernoulli_(): argument 'p' must be float or Tensor, not ${typeof p}`);
  if (!isFloating(p.dtype)) throw notImplemented('bernoulli_tensor_cpu_p_', p.dtype);
  return inplaceRandom(self, 'BernoulliBackward2', () => {
    const pv = p.detach().expand(self.shape);
    try {
      if (fillBernoulli(self, pv, genOf(o)) >= 0) {
        throw new Error('Expected p_in >= 0 && p_in <= 1 to be true, but got false.  (Could this error message be improved?  If so, please report an enhancement request to PyTorch.)');
      }
    } finally {
      pv.dispose();
    }
  });
}

/** random_() / random_(to) / random_(from, to) / random_(from, null) as in PyTorch. */
export function random_(self: Tensor, ...args: unknown[]): Tensor {
  const [nums, o] = splitOptions<RandomOptions>(args);
  return inplaceRandom(self, 'RandomBackward0', () => {
    if (nums.length === 0) return randomDefault(self, genOf(o));
    const [from, to] = nums.length === 1 ? [0, nums[0]] : [nums[0], nums[1]];
    const [range, base] = randomRange(self, from, to ?? null);
    fillRandom(self, range, base, genOf(o));
  });
}

// ---- factories ---------------------------------------------------------------

// random streams are drawn on wasm (PyTorch's generator) and the result moved to the asked device
function finish(t: Tensor, o: TensorOptions): Tensor {
  return applyRequiresGrad(onDevice(t, o), o);
}

function fresh(shape: number[], o: RandomOptions, fallback: DType): Tensor {
  optDevice(o);
  return Tensor.empty(shape, optDType(o, fallback));
}

/** Runs fill on t; disposes t if the fill throws. */
function filled(t: Tensor, fill: (t: Tensor) => void, o: TensorOptions): Tensor {
  try {
    noGrad(() => fill(t));
  } catch (e) {
    t.dispose();
    throw e;
  }
  return finish(t, o);
}

function sized(args: readonly unknown[], fn: string): [number[], RandomOptions] {
  const [sizes, o] = splitOptions<RandomOptions>(args);
  return [sizeArgs(sizes, fn), o];
}

/** torch.rand: uniform on [0, 1). */
export function rand(...args: unknown[]): Tensor {
  const [shape, o] = sized(args, 'rand');
  return filled(fresh(shape, o, 'float32'), (t) => uniform_(t, 0, 1, o), o);
}

/** torch.randn: standard normal. */
export function randn(...args: unknown[]): Tensor {
  const [shape, o] = sized(args, 'randn');
  return filled(fresh(shape, o, 'float32'), (t) => normal_(t, 0, 1, o), o);
}

type Int = number | bigint;

/** torch.randint(high, size) / randint(low, high, size): integers in [low, high), int64 by default. */
export function randint(...args: unknown[]): Tensor {
  const [rest, o] = splitOptions<RandomOptions>(args);
  const size = rest[rest.length - 1];
  if (!Array.isArray(size) || rest.length < 2 || rest.length > 3) {
    throw new TypeError('randint(): expected (high, size) or (low, high, size) with size an array of ints');
  }
  const [low, high] = rest.length === 2 ? [0, rest[0] as Int] : [rest[0] as Int, rest[1] as Int];
  const shape = checkSize(size, 'randint');
  return filled(fresh(shape, o, 'int64'), (t) => random_(t, low, high, o), o);
}

export function randperm(n: number, o: RandomOptions = {}): Tensor {
  checkSize([n], 'randperm');
  optDevice(o);
  const dtype = optDType(o, 'int64');
  if (dtype === 'bool') throw notImplemented('randperm', dtype);
  if (dtype === 'float32' && n > 2 ** 24 + 1) throw new Error('n cannot be greater than 2^24+1 for Float type.');
  if (dtype === 'uint8' && n > 256) throw new Error('value cannot be converted to type uint8_t without overflow');
  const perm = permutation(n, genOf(o));
  if (dtype === 'int64') return finish(perm, o);
  const out = perm.to(dtype);
  perm.dispose();
  return finish(out, o);
}

// null options count as none, as everywhere else
const likeOptions = (x: Tensor, o: RandomOptions | null): RandomOptions => {
  const opts = o ?? {};
  return { ...opts, dtype: optDType(opts, x.dtype), device: opts.device ?? x.device };
};

export function randLike(x: Tensor, o: RandomOptions = {}): Tensor {
  tensorInput('rand_like', x);
  return rand(x.shape, likeOptions(x, o));
}

export function randnLike(x: Tensor, o: RandomOptions = {}): Tensor {
  tensorInput('randn_like', x);
  return randn(x.shape, likeOptions(x, o));
}

/** randintLike(x, high) / randintLike(x, low, high): x's shape and dtype. */
export function randintLike(x: Tensor, ...args: unknown[]): Tensor {
  tensorInput('randint_like', x);
  const [nums, o] = splitOptions<RandomOptions>(args);
  return randint(...nums, [...x.shape], likeOptions(x, o));
}

/**
 * torch.normal(mean, std, size) with numbers, or with tensors:
 * normal(meanT, stdT), normal(meanT, std = 1), normal(mean, stdT). The
 * tensor forms draw standard normals and scale them (out * std + mean in
 * two rounded steps, as PyTorch does); their gradient is zero, as in PyTorch.
 */
export function normal(...args: unknown[]): Tensor {
  const [rest, o] = splitOptions<RandomOptions>(args);
  const [mean, std = 1, size] = rest as [number | Tensor, number | Tensor | undefined, unknown];
  if (typeof mean === 'number' && typeof std === 'number') {
    if (size === undefined) throw new TypeError('normal(): with number mean and std, a size is required');
    const shape = sizeArgs(rest.slice(2), 'normal');
    return filled(fresh(shape, o, 'float32'), (t) => normal_(t, mean, std, o), o);
  }
  const mt = mean instanceof Tensor ? mean : null;
  const st = std instanceof Tensor ? std : null;
  if (st && st.numel() > 0 && !noGrad(() => st.ge(0).all().item())) throw new Error('normal expects all elements of std >= 0.0');
  if (!st) checkStd(std as number);
  if (!mt && !st) throw new TypeError(`normal(): expected a number or Tensor mean and std, got ${mean === null ? 'null' : typeof mean} and ${std === null ? 'null' : typeof std}`);
  const like = (mt ?? st)!;
  const out = noGrad(() => {
    const shape = mt && st ? broadcastShapes(mt.shape, st.shape) : like.shape;
    const eps = normal_(Tensor.empty(shape, like.dtype), 0, 1, o);
    const scaled = eps.mul_(st ? st.detach() : (std as number));
    return scaled.add_(mt ? mt.detach() : (mean as number));
  });
  if (needsGrad(mt, st)) {
    const name = mt && st ? 'NormalBackward3' : mt ? 'NormalBackward1' : 'NormalBackward2';
    const inputs = mt && st ? [mt, st] : [like];
    record(name, inputs, out, [], (g) => inputs.map(() => g.zerosLike()));
  }
  return out;
}

/** torch.bernoulli(p): 0/1 draws with probabilities p (p's dtype); bernoulli(x, p) uses one probability. */
export function bernoulli(input: Tensor, p?: number | RandomOptions, o: RandomOptions = {}): Tensor {
  tensorInput('bernoulli', input);
  if (typeof p === 'object') [p, o] = [undefined, p];
  const out = Tensor.empty(input.shape, input.dtype, input.device);
  try {
    noGrad(() => bernoulli_(out, p ?? input, o));
  } catch (e) {
    out.dispose();
    throw e;
  }
  if (needsGrad(input)) record(p === undefined ? 'BernoulliBackward0' : 'BernoulliBackward1', [input], out, [], (g) => [g.zerosLike()]);
  return out;
}

declare module '../tensor/tensor' {
  interface Tensor {
    uniform_(from?: number, to?: number, options?: RandomOptions): this;
    normal_(mean?: number, std?: number, options?: RandomOptions): this;
    bernoulli_(p?: number | Tensor, options?: RandomOptions): this;
    random_(...args: (number | bigint | null | RandomOptions)[]): this;
    bernoulli(p?: number | RandomOptions, options?: RandomOptions): Tensor;
  }
}

const proto = Tensor.prototype;
proto.uniform_ = function (from, to, o) { return uniform_(this, from, to, o) as never; };
proto.normal_ = function (mean, std, o) { return normal_(this, mean, std, o) as never; };
proto.bernoulli_ = function (p, o) { return bernoulli_(this, p, o) as never; };
proto.random_ = function (...args) { return random_(this, ...args) as never; };
proto.bernoulli = function (p, o) { return bernoulli(this, p, o); };
