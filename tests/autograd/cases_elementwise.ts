// Gradcheck cases for elementwise ops: the unary and parametric-unary
// tables, binary arithmetic (tensor/tensor with broadcasting, tensor/scalar,
// scalar/tensor, alpha), where/maskedFill and the three-operand pointwise ops.
import * as torch from 'torchlet';
import { arg, bools, fixed, table, untied, type ArgOptions } from './inputs';

type Tensor = torch.Tensor;
const F = torch.nn.functional;
const { cases, c } = table();
export { cases as elementwiseCases };

/** Where each unary op is smooth. A UNARY key missing here has no case, and the coverage test fails. */
export const UNARY_DOMAINS: Record<string, ArgOptions> = {
  neg: {},
  abs: { minAbs: 0.1 },
  exp: {},
  log: { lo: 0.2, hi: 3 },
  sqrt: { lo: 0.2, hi: 3 },
  rsqrt: { lo: 0.2, hi: 3 },
  sin: { lo: -3, hi: 3 },
  cos: { lo: -3, hi: 3 },
  tan: { lo: -1.2, hi: 1.2 },
  tanh: { lo: -2, hi: 2 },
  sigmoid: { lo: -3, hi: 3 },
  relu: { minAbs: 0.1 },
  square: {},
  reciprocal: { minAbs: 0.3 },
  log1p: { lo: -0.8, hi: 2 },
  expm1: {},
  sign: { minAbs: 0.1 },
  floor: { lo: -3, hi: 3, offGrid: true },
  ceil: { lo: -3, hi: 3, offGrid: true },
  round: { lo: -3, hi: 3, offGrid: true },
  trunc: { lo: -3, hi: 3, offGrid: true },
  frac: { lo: -3, hi: 3, offGrid: true },
  erf: { lo: -2, hi: 2 },
  log2: { lo: 0.2, hi: 3 },
  log10: { lo: 0.2, hi: 3 },
  exp2: {},
  atan: { lo: -3, hi: 3 },
  asin: { lo: -0.9, hi: 0.9 },
  acos: { lo: -0.9, hi: 0.9 },
  sinh: {},
  cosh: {},
  asinh: { lo: -3, hi: 3 },
  acosh: { lo: 1.2, hi: 3 },
  atanh: { lo: -0.9, hi: 0.9 },
  silu: { lo: -3, hi: 3 },
};

type Fn1 = (x: Tensor) => Tensor;
const unaryFn = (name: string): Fn1 => (torch as unknown as Record<string, Fn1>)[name];
const method = (name: string): Fn1 => (x) => (x as unknown as Record<string, () => Tensor>)[name]();

for (const [name, dom] of Object.entries(UNARY_DOMAINS)) {
  c(name, `x.${name}() [3, 4]`, method(name), [arg([3, 4], dom)], { gradgrad: true });
  c(name, `torch.${name}(x.expand(3, 4)) from [1, 4]`, (x) => unaryFn(name)(x.expand(3, 4)), [arg([1, 4], dom)]);
  c(name, `torch.${name}(x.t()) of [4, 3]`, (x) => unaryFn(name)(x.t()), [arg([4, 3], dom)], { layouts: ['contiguous'] });
  c(name, `${name} of a 0-d tensor`, method(name), [arg([], dom)]);
}

// parametric unary ops, each reached through its public function
const away = (...points: number[]): ArgOptions => ({ lo: -2, hi: 2, avoid: points });
c('clamp', 'torch.clamp(x, -0.5, 0.5)', (x) => torch.clamp(x, -0.5, 0.5), [arg([3, 4], away(-0.5, 0.5))], { gradgrad: true });
c('clamp', 'x.clamp(-1, 0.3) on x.t()', (x) => x.t().clamp(-1, 0.3), [arg([4, 3], away(-1, 0.3))]);
c('clamp', 'clamp with min > max', (x) => x.clamp(0.5, -0.5), [arg([5], away(0.5, -0.5))]);
c('clampMin', 'x.clamp(-0.3)', (x) => x.clamp(-0.3), [arg([3, 4], away(-0.3))], { gradgrad: true });
c('clampMin', 'torch.clamp(x.expand, -0.3, null)', (x) => torch.clamp(x.expand(2, 4), -0.3, null), [arg([4], away(-0.3))]);
c('clampMax', 'x.clamp(null, 0.2)', (x) => x.clamp(null, 0.2), [arg([3, 4], away(0.2))], { gradgrad: true });
c('clampMax', 'torch.clamp(x, undefined, 0.2) 0-d', (x) => torch.clamp(x, undefined, 0.2), [arg([], away(0.2))]);
c('leakyRelu', 'F.leakyRelu(x)', (x) => F.leakyRelu(x), [arg([3, 4], { minAbs: 0.1 })], { gradgrad: true });
c('leakyRelu', 'F.leakyRelu(x, 0.2) on x.t()', (x) => F.leakyRelu(x.t(), 0.2), [arg([4, 3], { minAbs: 0.1 })]);
c('gelu', 'F.gelu(x)', (x) => F.gelu(x), [arg([3, 4], { lo: -3, hi: 3 })], { gradgrad: true });
c('gelu', 'F.gelu(x.expand)', (x) => F.gelu(x.expand(3, 4), { approximate: 'none' }), [arg([4], { lo: -3, hi: 3 })]);
c('geluTanh', "F.gelu(x, { approximate: 'tanh' })", (x) => F.gelu(x, { approximate: 'tanh' }), [arg([3, 4], { lo: -3, hi: 3 })], { gradgrad: true });
c('softplus', 'F.softplus(x)', (x) => F.softplus(x), [arg([3, 4], { lo: -3, hi: 3 })], { gradgrad: true });
// beta 2, threshold 5: beta * x above 5 is the identity (x > 2.5)
c('softplus', 'F.softplus(x, 2, 5) across the threshold', (x) => F.softplus(x, 2, 5), [arg([3, 4], { lo: -2, hi: 5, avoid: [2.45, 2.5, 2.55] })]);
c('elu', 'F.elu(x)', (x) => F.elu(x), [arg([3, 4], { minAbs: 0.1, lo: -2, hi: 2 })], { gradgrad: true });
c('elu', 'F.elu(x, 0.5) on x.t()', (x) => F.elu(x.t(), 0.5), [arg([4, 3], { minAbs: 0.1, lo: -2, hi: 2 })]);
c('hardtanh', 'F.hardtanh(x)', (x) => F.hardtanh(x), [arg([3, 4], away(-1, 1))], { gradgrad: true });
c('hardtanh', 'F.hardtanh(x, -0.5, 0.8)', (x) => F.hardtanh(x, -0.5, 0.8), [arg([3, 4], away(-0.5, 0.8))]);

// nn.functional wrappers of unary ops
c('F.relu', 'F.relu(x)', (x) => F.relu(x), [arg([3, 4], { minAbs: 0.1 })]);
c('F.sigmoid', 'F.sigmoid(x)', (x) => F.sigmoid(x), [arg([3, 4], { lo: -3, hi: 3 })]);
c('F.tanh', 'F.tanh(x)', (x) => F.tanh(x), [arg([3, 4])]);
c('F.silu', 'F.silu(x)', (x) => F.silu(x), [arg([3, 4], { lo: -3, hi: 3 })]);

// binary arithmetic
type Fn2 = (a: Tensor | number, b: Tensor | number, o?: { alpha?: number }) => Tensor;
const bin = (name: string): Fn2 => (torch as unknown as Record<string, Fn2>)[name];
const binMethod = (name: string) => (a: Tensor, b: Tensor | number): Tensor => (a as unknown as Record<string, (b: Tensor | number) => Tensor>)[name](b);

interface BinaryDomain {
  a: ArgOptions;
  b: ArgOptions;
  /** A scalar that is a valid right operand; null when there is none worth checking. */
  scalar: number;
  /** A scalar valid on the left (scalar op tensor). */
  rscalar: number | null;
  gradgrad?: boolean;
}

// fmod/remainder jump where a / b is an integer: |a| in [0.3, 1.7] or [4.5, 5.5] with |b| in [2, 2.2] keeps a / b away from them
const dividend: ArgOptions = { lo: -5.5, hi: 5.5, minAbs: 0.3, avoid: [-4.4, -4.2, -4, -3.8, -3.6, -3.4, -3.2, -3, -2.8, -2.6, -2.4, -2.2, -2, -1.8, 1.8, 2, 2.2, 2.4, 2.6, 2.8, 3, 3.2, 3.4, 3.6, 3.8, 4, 4.2, 4.4] };

export const BINARY_DOMAINS: Record<string, BinaryDomain> = {
  add: { a: {}, b: {}, scalar: 1.5, rscalar: 2, gradgrad: true },
  sub: { a: {}, b: {}, scalar: 1.5, rscalar: 2, gradgrad: true },
  mul: { a: {}, b: {}, scalar: -1.5, rscalar: 2.5, gradgrad: true },
  div: { a: {}, b: { minAbs: 0.4 }, scalar: 0.7, rscalar: 2, gradgrad: true },
  pow: { a: { lo: 0.5, hi: 2 }, b: { lo: -2, hi: 2 }, scalar: 2.5, rscalar: 1.7, gradgrad: true },
  maximum: { a: {}, b: {}, scalar: 0.25, rscalar: null },
  minimum: { a: {}, b: {}, scalar: 0.25, rscalar: null },
  fmod: { a: dividend, b: { lo: 2, hi: 2.2 }, scalar: 2.1, rscalar: 5.1 },
  remainder: { a: dividend, b: { lo: -2.2, hi: -2 }, scalar: -2.1, rscalar: 5.1 },
  atan2: { a: { minAbs: 0.2 }, b: { minAbs: 0.2 }, scalar: -0.7, rscalar: 0.8, gradgrad: true },
};

for (const [name, d] of Object.entries(BINARY_DOMAINS)) {
  const f = bin(name);
  const tied = name === 'maximum' || name === 'minimum';
  const pair = (sa: number[], sb: number[]): [Tensor, Tensor] => (tied ? untied(sa, sb) : [arg(sa, d.a), arg(sb, d.b)]);
  c(name, `a.${name}(b) [3, 4]`, binMethod(name), pair([3, 4], [3, 4]), { gradgrad: d.gradgrad });
  c(name, `torch.${name}(a [3, 1], b [1, 4])`, (a, b) => f(a, b), pair([3, 1], [1, 4]), { gradgrad: d.gradgrad });
  c(name, `torch.${name}(a [4], b [2, 3, 4])`, (a, b) => f(a, b), pair([4], [2, 3, 4]));
  c(name, `torch.${name}(a 0-d, b [3])`, (a, b) => f(a, b), pair([], [3]));
  c(name, `torch.${name}(a.t(), b.expand)`, (a, b) => f(a.t(), b.expand(3, 4)), pair([4, 3], [4]), { layouts: ['contiguous'] });
  const selfDomain: ArgOptions = name === 'pow' ? { lo: 0.5, hi: 2 } : name === 'div' || name === 'atan2' ? { minAbs: 0.4 } : {};
  if (name !== 'fmod' && name !== 'remainder') {
    c(name, `torch.${name}(x[:, :2], x[:, 2:]) from one storage`, (x) => f(x.narrow(1, 0, 2), x.narrow(1, 2, 2)), [arg([3, 4], { ...selfDomain, distinct: true })], { layouts: ['contiguous'] });
  }
  if (!tied) c(name, `a.${name}(${d.scalar})`, (a) => binMethod(name)(a, d.scalar), [arg([3, 4], d.a)], { gradgrad: d.gradgrad });
  if (tied) c(name, `a.${name}(b 0-d) vs scalar-like`, (a, b) => f(a, b), untied([3, 4], []));
  if (d.rscalar !== null) c(name, `torch.${name}(${d.rscalar}, b)`, (b) => f(d.rscalar!, b), [arg([3, 4], d.b)], { gradgrad: d.gradgrad });
}

// the same tensor on both sides: both gradients land on one leaf
c('mul', 'x * x (same tensor twice)', (x) => x.mul(x), [arg([3, 4])], { gradgrad: true });
c('div', 'x / x.flip', (x) => x.div(x.flip(0)), [arg([4], { minAbs: 0.4 })]);

// pow: the exponents PyTorch computes without pow(), negative bases with integer exponents
for (const e of [0, 1, 2, 3, 0.5, -0.5, -1, -2, 2.5]) {
  const base = Number.isInteger(e) ? arg([3, 4], { lo: -2, hi: 2, minAbs: 0.3 }) : arg([3, 4], { lo: 0.3, hi: 2 });
  c('pow', `x.pow(${e})`, (x) => x.pow(e), [base], { gradgrad: true });
}
c('pow', 'torch.pow(x.t(), 3)', (x) => torch.pow(x.t(), 3), [arg([4, 3])], { layouts: ['contiguous'] });
c('pow', 'torch.pow(2, x) 0-d base broadcast', (x) => torch.pow(2, x), [arg([])]);
c('pow', 'pow(a 0-d, b [3])', (a, b) => a.pow(b), [arg([], { lo: 0.5, hi: 2 }), arg([3])], { gradgrad: true });

// alpha and rsub
c('add', 'torch.add(a, b, { alpha: 2.5 }) broadcast', (a, b) => torch.add(a, b, { alpha: 2.5 }), [arg([3, 4]), arg([4])], { gradgrad: true });
c('add', 'a.add(3, { alpha: -2 })', (a) => a.add(3, { alpha: -2 }), [arg([3, 4])]);
c('sub', 'a.sub(b, { alpha: -1.5 }) broadcast', (a, b) => a.sub(b, { alpha: -1.5 }), [arg([2, 1, 4]), arg([3, 1])]);
c('sub', 'torch.sub(a, 2, { alpha: 0.5 })', (a) => torch.sub(a, 2, { alpha: 0.5 }), [arg([3, 4])]);
c('rsub', 'torch.rsub(a, b)', (a, b) => torch.rsub(a, b), [arg([3, 4]), arg([3, 4])], { gradgrad: true });
c('rsub', 'a.rsub(2)', (a) => a.rsub(2), [arg([3, 4])]);
c('rsub', 'a.rsub(b, { alpha: 2 }) broadcast', (a, b) => a.rsub(b, { alpha: 2 }), [arg([3, 1]), arg([4])]);
c('rsub', 'torch.rsub(a, 1.5, { alpha: 3 })', (a) => torch.rsub(a, 1.5, { alpha: 3 }), [arg([3, 4])]);

// where and maskedFill: only the selected operand gets the gradient
const cond = bools([true, false, false, true, true, false, true, false, false, true, false, true], [3, 4]);
c('where', 'torch.where(c, a, b)', (a, b) => torch.where(cond, a, b), [arg([3, 4]), arg([3, 4])], { gradgrad: true });
c('where', 'torch.where(c [3, 4], a [4], b [3, 1])', (a, b) => torch.where(cond, a, b), [arg([4]), arg([3, 1])]);
c('where', 'torch.where(c [1, 4], a [3, 1], b 0-d)', (a, b) => torch.where(cond.narrow(0, 0, 1), a, b), [arg([3, 1]), arg([])]);
c('where', 'torch.where(c, a, 2.5)', (a) => torch.where(cond, a, 2.5), [arg([3, 4])]);
c('where', 'torch.where(c, -1, b.t())', (b) => torch.where(cond, -1, b.t()), [arg([4, 3])], { layouts: ['contiguous'] });
c('where', 'a.where(c.t(), b)', (a, b) => a.where(cond.t(), b), [arg([4, 3]), arg([4, 3])]);
const mask = bools([false, true, true, false], [4]);
c('maskedFill', 'x.maskedFill(m [4], 2.5)', (x) => x.maskedFill(mask, 2.5), [arg([3, 4])], { gradgrad: true });
c('maskedFill', 'torch.maskedFill(x.t(), m [3, 4], -1)', (x) => torch.maskedFill(x.t(), cond, -1), [arg([4, 3])], { layouts: ['contiguous'] });
c('maskedFill', 'maskedFill with a 0-d tensor value', (x, v) => x.maskedFill(mask, v), [arg([3, 4]), arg([])]);

// three-operand pointwise ops
c('addcmul', 'torch.addcmul(x, t1, t2)', (x, a, b) => torch.addcmul(x, a, b), [arg([3, 4]), arg([3, 4]), arg([3, 4])], { gradgrad: true });
c('addcmul', 'x.addcmul(t1 [4], t2 [3, 1], { value: -0.5 })', (x, a, b) => x.addcmul(a, b, { value: -0.5 }), [arg([3, 4]), arg([4]), arg([3, 1])]);
c('addcdiv', 'torch.addcdiv(x, t1, t2)', (x, a, b) => torch.addcdiv(x, a, b), [arg([3, 4]), arg([3, 4]), arg([3, 4], { minAbs: 0.4 })], { gradgrad: true });
c('addcdiv', 'x.addcdiv(t1 [3, 1], t2 [4], { value: 2 })', (x, a, b) => x.addcdiv(a, b, { value: 2 }), [arg([3, 4]), arg([3, 1]), arg([4], { minAbs: 0.4 })]);
c('lerp', 'torch.lerp(x, end, 0.3)', (x, e) => torch.lerp(x, e, 0.3), [arg([3, 4]), arg([3, 4])], { gradgrad: true });
c('lerp', 'x.lerp(end [4], weight [3, 1])', (x, e, w) => x.lerp(e, w), [arg([3, 4]), arg([4]), arg([3, 1])], { gradgrad: true });
c('lerp', 'x.lerp(end, weight 0-d) on x.t()', (x, e, w) => x.t().lerp(e, w), [arg([4, 3]), arg([3, 4]), arg([])]);

// fixed values so the relative error of the difference quotient stays small
c('div', 'div by a small divisor', (a, b) => a.div(b), [fixed([1, -2, 3]), fixed([0.5, -0.6, 0.7])]);
