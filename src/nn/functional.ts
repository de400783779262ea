// torch.nn.functional: activations, linear, dropout, layer norm, embedding.
// Losses live in ./losses.ts. Composite functions are written with
// differentiable ops; where PyTorch shows a dedicated backward node, the
// composite's top node takes that name so reprs read the same.
import { scopedOp } from '../tensor/lifetime';
import { Tensor } from '../tensor/tensor';
import { checkOperand, pyTypeName, tensorInput } from '../ops/operands';
import { fmtShape } from '../tensor/shape';
import { scalarName } from '../tensor/dtype';
import { PARAM_UNARY, applyUnary } from '../ops/unary';
import { arange, emptyLike } from '../ops/create';
import { needsGrad, record, renameNode } from '../autograd/record';
import { indexSelect } from '../ops/join';

/**
 * y = x @ weight.T + bias, by PyTorch's routes (which decide the gradFn names):
 * addmm for 2-D input with bias, addmm on a flattened view for contiguous 3-D
 * input with bias (so the result is a view), matmul (+ add) otherwise.
 */
function linearImpl(input: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  tensorInput('linear', input);
  checkOperand('linear', weight, 'weight', 2, false);
  if (input.ndim === 0) throw new Error(`both arguments to matmul need to be at least 1D, but they are 0D and ${weight.ndim}D`);
  if (input.shape[input.ndim - 1] !== weight.shape[weight.ndim - 1]) {
    const rows = input.ndim === 1 ? 1 : input.numel() / input.shape[input.ndim - 1];
    throw new Error(`mat1 and mat2 shapes cannot be multiplied (${rows}x${input.shape[input.ndim - 1]} and ${weight.shape[1]}x${weight.shape[0]})`);
  }
  if (bias && input.ndim === 3 && input.isContiguous()) {
    const [a, b, k] = input.shape;
    const flat = input.view([a * b, k]);
    const y = linearImpl(flat, weight, bias);
    const out = y.view([a, b, y.shape[1]]);
    if (flat !== input) flat.dispose();
    if (out !== y) y.dispose();
    return out;
  }
  const y = input.matmul(weight.t());
  if (!bias) return y;
  const out = y.add(bias);
  y.dispose();
  return input.ndim === 2 ? renameNode(out, 'AddmmBackward0') : out;
}
export const linear = scopedOp(linearImpl);

export const relu = (x: Tensor): Tensor => (tensorInput('relu', x), x.relu());
export const sigmoid = (x: Tensor): Tensor => (tensorInput('sigmoid', x), x.sigmoid());
export const tanh = (x: Tensor): Tensor => (tensorInput('tanh', x), x.tanh());
export const silu = (x: Tensor): Tensor => (tensorInput('silu', x), x.silu());

export function gelu(x: Tensor, o: { approximate?: 'none' | 'tanh' } = {}): Tensor {
  tensorInput('gelu', x);
  const mode = o?.approximate ?? 'none';
  if (mode !== 'none' && mode !== 'tanh') throw new Error(`approximate argument must be either none or tanh.`);
  return applyUnary(mode === 'tanh' ? PARAM_UNARY.geluTanh : PARAM_UNARY.gelu, x);
}

export const leakyRelu = (x: Tensor, negativeSlope = 0.01): Tensor => (tensorInput('leaky_relu', x), applyUnary(PARAM_UNARY.leakyRelu, x, negativeSlope));
export const elu = (x: Tensor, alpha = 1): Tensor => (tensorInput('elu', x), applyUnary(PARAM_UNARY.elu, x, alpha));
export const hardtanh = (x: Tensor, minVal = -1, maxVal = 1): Tensor => (tensorInput('hardtanh', x), applyUnary(PARAM_UNARY.hardtanh, x, minVal, maxVal));
export const softplus = (x: Tensor, beta = 1, threshold = 20): Tensor => (tensorInput('softplus', x), applyUnary(PARAM_UNARY.softplus, x, beta, threshold));

export interface DimOptions {
  dim?: number;
}

export const softmax = (x: Tensor, dim: number): Tensor => (tensorInput('softmax', x), x.softmax(dim));
export const logSoftmax = (x: Tensor, dim: number): Tensor => (tensorInput('log_softmax', x), x.logSoftmax(dim));

/** Zeroes each element with probability p and scales the survivors by 1/(1-p) (training only; otherwise x itself). */
function dropoutImpl(x: Tensor, p = 0.5, training = true): Tensor {
  tensorInput('dropout', x);
  if (typeof p !== 'number') throw new TypeError(`dropout(): argument 'p' (position 2) must be float, not ${pyTypeName(p)}`);
  if (!(p >= 0 && p <= 1)) throw new Error(`dropout probability has to be between 0 and 1, but got ${p}`);
  if (p === 0 || !training || x.numel() === 0) return x;
  if (p === 1) return x.mul(0);
  // PyTorch's CPU path: noise.bernoulli_(1 - p).div_(1 - p), then input * noise (MulBackward0);
  // with the same seed the mask is PyTorch's (for builds whose bernoulli_ does not use MKL)
  const noise = emptyLike(x).bernoulli_(1 - p).div_(1 - p);
  return x.mul(noise);
}
export const dropout = scopedOp(dropoutImpl);

/** Normalises over the trailing `normalizedShape` dims (biased variance), then scales and shifts. */
function layerNormImpl(x: Tensor, normalizedShape: readonly number[] | number, weight?: Tensor | null, bias?: Tensor | null, eps = 1e-5): Tensor {
  tensorInput('layer_norm', x);
  if (typeof normalizedShape !== 'number' && !Array.isArray(normalizedShape)) throw new TypeError(`layer_norm(): argument 'normalized_shape' (position 2) must be tuple of ints, not ${typeof normalizedShape}`);
  const shape = typeof normalizedShape === 'number' ? [normalizedShape] : [...normalizedShape];
  const tail = x.shape.slice(x.ndim - shape.length);
  if (shape.length > x.ndim || tail.join() !== shape.join()) {
    throw new Error(`Given normalized_shape=${fmtShape(shape)}, expected input with shape [*, ${shape.join(', ')}], but got input of size${fmtShape(x.shape)}`);
  }
  const dims = shape.map((_, i) => x.ndim - shape.length + i);
  const mean = x.mean(dims, true);
  const centered = x.sub(mean);
  const variance = centered.square().mean(dims, true);
  let y = centered.mul(variance.add(eps).rsqrt());
  if (weight) y = y.mul(weight);
  if (bias) y = y.add(bias);
  return renameNode(y, 'NativeLayerNormBackward0');
}
export const layerNorm = scopedOp(layerNormImpl);

/** Rows of `weight` picked by integer `input`; the paddingIdx row gets no gradient. */
function embeddingImpl(input: Tensor, weight: Tensor, paddingIdx?: number | null): Tensor {
  tensorInput('embedding', input);
  checkOperand('embedding', weight, 'weight', 2, false);
  if (input.dtype !== 'int64' && input.dtype !== 'int32') {
    throw new Error(`Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, Int; but got torch.${scalarName(input.dtype)}Tensor instead (while checking arguments for embedding)`);
  }
  const flat = input.reshape(-1);
  const rows = indexSelect(weight.detach(), 0, flat);
  const out = rows.reshape([...input.shape, weight.shape[1]]);
  if (out !== rows) rows.dispose();
  if (needsGrad(weight)) {
    const num = weight.shape[0];
    const pad = paddingIdx == null ? null : paddingIdx < 0 ? paddingIdx + num : paddingIdx;
    record('EmbeddingBackward0', [weight], out, [flat], (g, [idx]) => {
      let grad = g.newZeros(weight.shape).indexAdd(0, idx, g.reshape(-1, weight.shape[1]));
      if (pad !== null) grad = grad.mul(arange(num, { device: g.device }).ne(pad).unsqueeze(1));
      return [grad];
    });
  }
  return out;
}
export const embedding = scopedOp(embeddingImpl);

/** int64 indices to one-hot rows (numClasses = max + 1 when -1). */
function oneHotImpl(t: Tensor, numClasses = -1): Tensor {
  tensorInput('one_hot', t);
  if (t.dtype !== 'int64') throw new Error('one_hot is only applicable to index tensor.');
  if (t.device !== 'wasm') {
    // the range checks would need a synchronous read of the GPU
    if (numClasses === -1) throw new Error('oneHot of a webgpu tensor needs numClasses (reading the maximum would need await x.max().itemAsync())');
    return t.unsqueeze(-1).eq(arange(numClasses, { device: t.device })).long();
  }
  const n = numClasses === -1 ? (t.numel() ? (t.max().item() as number) + 1 : 0) : numClasses;
  if (t.numel() && (t.min().item() as number) < 0) throw new Error('Class values must be non-negative.');
  if (t.numel() && (t.max().item() as number) >= n) throw new Error('Class values must be smaller than num_classes.');
  return t.unsqueeze(-1).eq(arange(n, { device: t.device })).long();
}
export const oneHot = scopedOp(oneHotImpl);

export * from './losses';
