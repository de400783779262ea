// torchlet: PyTorch's tensor API for JavaScript, computed by WebAssembly SIMD kernels.
// `import * as torch from 'torchlet'` gives this module.
import './tensor/access';
import './ops/unary';
import './ops/binary';
import './ops/compare';
import './ops/views';
import './ops/join';
import './ops/create';
import './ops/reduce';
import './ops/stats';
import './ops/linalg';
import './ops/inplace';
import './ops/random';
import './ops/indexing';
import './ops/pointwise';
import './autograd/api';
import { unaryFns } from './ops/unary';

export { Tensor, isTensor } from './tensor/tensor';
export type { Device } from './tensor/tensor';
export type { DType, Scalar } from './tensor/dtype';
export { promoteTypes, resultType } from './tensor/dtype';
export { ready, backendInfo } from './devices/wasm/module';
export * as webgpu from './devices/webgpu/api';
export { device, TorchDevice } from './tensor/device';
export { setNumThreads, getNumThreads } from './devices/wasm/threads';
export { tidy, keep, memory, type MemoryInfo } from './tensor/lifetime';
export { setPrintOptions, getPrintOptions } from './print/format';

export { tensor, zeros, ones, full, empty, eye, arange, linspace, zerosLike, onesLike, fullLike, emptyLike, type TensorOptions } from './ops/create';
export { clamp, clamp as clip } from './ops/unary';
export { add, sub, sub as subtract, mul, mul as multiply, div, div as divide, powOp as pow, maximum, minimum, fmod, remainder, atan2, rsub } from './ops/binary';
export { eq, ne, lt, le, gt, ge, isnan, isinf, isfinite, isposinf, isneginf, logicalNot, logicalAnd, logicalOr, logicalXor, where, maskedFill, equal, isclose, allclose } from './ops/compare';
export { view, reshape, transpose, transpose as swapaxes, t, permute, unsqueeze, squeeze, flatten, unflatten, expand, narrow, select, unbind, movedim, detach } from './ops/views';
export { clone, contiguous, cat, cat as concat, cat as concatenate, stack, split, chunk, indexSelect, indexAdd } from './ops/join';
export { sum, mean, prod, amax, amin, max, min, argmax, argmin, all, any, type Dims, type ValuesIndices } from './ops/reduce';
export { variance as var, std, norm, logsumexp, cumsum, cumprod, flip, softmax, logSoftmax } from './ops/stats';
export { matmul, mm, bmm, mv, dot, outer } from './ops/linalg';
export { gather, scatterAdd } from './ops/indexing';
export { manualSeed, initialSeed, seed, rand, randn, randint, randperm, randLike, randnLike, randintLike, normal, bernoulli, Generator, getRngState, setRngState, type RandomOptions } from './ops/random';
export { noGrad, enableGrad, isGradEnabled, setGradEnabled } from './autograd/grad_mode';
export * as autograd from './autograd/api';
export * as nn from './nn/index';
export * as optim from './optim/index';
export { addcmul, addcdiv, lerp } from './ops/pointwise';
export { save, load, metadata as loadMetadata } from './io/safetensors';
export { saveFile, loadFile } from './io/files';

export const {
  neg, abs, exp, log, sqrt, rsqrt, sin, cos, tan, tanh, sigmoid, relu, square, reciprocal, log1p, expm1,
  sign, floor, ceil, round, trunc, frac, erf, log2, log10, exp2, atan, asin, acos, sinh, cosh, asinh, acosh, atanh, silu,
} = unaryFns;
export { neg as negative, abs as absolute };

/** dtype names, so `torch.float32` reads as it does in PyTorch. */
export const float32 = 'float32', float = 'float32', float64 = 'float64', double = 'float64';
export const int32 = 'int32', int = 'int32', int64 = 'int64', long = 'int64', uint8 = 'uint8', bool = 'bool';
