// torch.nn.init: in-place initialisers, run without recording gradients.
// Fan computations and gains follow PyTorch, so a seeded init draws the
// same numbers as PyTorch's.
import type { Tensor } from '../tensor/tensor';
import { noGrad } from '../autograd/grad_mode';
import { tensorInput } from '../ops/operands';

export type Nonlinearity =
  | 'linear' | 'conv1d' | 'conv2d' | 'conv3d' | 'conv_transpose1d' | 'conv_transpose2d' | 'conv_transpose3d'
  | 'sigmoid' | 'tanh' | 'relu' | 'leaky_relu' | 'selu';

const LINEAR_FNS = ['linear', 'conv1d', 'conv2d', 'conv3d', 'conv_transpose1d', 'conv_transpose2d', 'conv_transpose3d', 'sigmoid'];

/** How Python prints a value in calculate_gain's message. */
const pyStr = (v: unknown): string => (v === true ? 'True' : v === false ? 'False' : String(v));

export function calculateGain(nonlinearity: Nonlinearity, param?: number | null): number {
  if (LINEAR_FNS.includes(nonlinearity)) return 1;
  switch (nonlinearity) {
    case 'tanh': return 5 / 3;
    case 'relu': return Math.sqrt(2);
    case 'leaky_relu': {
      if (param !== undefined && param !== null && typeof param !== 'number') throw new Error(`negative_slope ${pyStr(param)} not a valid number`);
      const slope = param ?? 0.01;
      return Math.sqrt(2 / (1 + slope ** 2));
    }
    case 'selu': return 3 / 4;
  }
  throw new Error(`Unsupported nonlinearity ${typeof nonlinearity === 'string' ? nonlinearity : JSON.stringify(nonlinearity) ?? String(nonlinearity)}`);
}

/** PyTorch's initializers leave zero-element tensors alone before looking at their fans. */
const isEmpty = (t: Tensor): boolean => t.shape.includes(0);

/** Python's float division refuses a zero divisor (xavier on a tensor with no fans). */
function divide(a: number, b: number): number {
  if (b === 0) throw new Error('float division by zero');
  return a / b;
}

/** [fanIn, fanOut] of a weight tensor: dims 1 and 0 times the receptive field. */
export function calculateFanInAndFanOut(t: Tensor): [number, number] {
  tensorInput('calculate_fan_in_and_fan_out', t);
  if (t.ndim < 2) throw new Error('Fan in and fan out can not be computed for tensor with fewer than 2 dimensions');
  const receptive = t.shape.slice(2).reduce((a, b) => a * b, 1);
  return [t.shape[1] * receptive, t.shape[0] * receptive];
}

export const uniform_ = (t: Tensor, a = 0, b = 1): Tensor => (tensorInput('uniform_', t), noGrad(() => t.uniform_(a, b)));
export const normal_ = (t: Tensor, mean = 0, std = 1): Tensor => (tensorInput('normal_', t), noGrad(() => t.normal_(mean, std)));
export const constant_ = (t: Tensor, value: number): Tensor => (tensorInput('constant_', t), noGrad(() => t.fill_(value)));
export const zeros_ = (t: Tensor): Tensor => constant_(t, 0);
export const ones_ = (t: Tensor): Tensor => constant_(t, 1);

export function xavierUniform_(t: Tensor, gain = 1): Tensor {
  tensorInput('xavier_uniform_', t);
  const [fanIn, fanOut] = calculateFanInAndFanOut(t);
  const a = gain * Math.sqrt(divide(6, fanIn + fanOut));
  return uniform_(t, -a, a);
}

export function xavierNormal_(t: Tensor, gain = 1): Tensor {
  tensorInput('xavier_normal_', t);
  const [fanIn, fanOut] = calculateFanInAndFanOut(t);
  return normal_(t, 0, gain * Math.sqrt(divide(2, fanIn + fanOut)));
}

export interface KaimingOptions {
  a?: number;
  mode?: 'fan_in' | 'fan_out';
  nonlinearity?: Nonlinearity;
}

function kaimingStd(t: Tensor, o: KaimingOptions): number {
  o ??= {};
  const [fanIn, fanOut] = calculateFanInAndFanOut(t);
  const mode = o?.mode ?? 'fan_in';
  if (mode !== 'fan_in' && mode !== 'fan_out') throw new Error(`Mode ${mode} not supported, please use one of ['fan_in', 'fan_out']`);
  const fan = mode === 'fan_in' ? fanIn : fanOut;
  return calculateGain(o.nonlinearity ?? 'leaky_relu', o.a ?? 0) / Math.sqrt(fan);
}

export function kaimingUniform_(t: Tensor, o: KaimingOptions = {}): Tensor {
  tensorInput('kaiming_uniform_', t);
  if (isEmpty(t)) return t;
  const bound = Math.sqrt(3) * kaimingStd(t, o);
  return uniform_(t, -bound, bound);
}

export function kaimingNormal_(t: Tensor, o: KaimingOptions = {}): Tensor {
  tensorInput('kaiming_normal_', t);
  if (isEmpty(t)) return t;
  return normal_(t, 0, kaimingStd(t, o));
}
