// torch.gather and scatter_add: indexing along one dim with a per-element
// index tensor. Each is the other's gradient.
import { Tensor } from '../tensor/tensor';
import { tensorInput } from './operands';
import { fmtShape, normDim } from '../tensor/shape';
import * as backend from '../devices/wasm/backend';
import { takeAlong, scatterAdd as scatterAddKernel } from '../devices/wasm/indexing';
import { needsGrad, record } from '../autograd/record';
import { checkOperand } from './operands';

function checkIndex(x: Tensor, dim: number, index: Tensor, fn: string, src?: Tensor): number {
  if (!(index instanceof Tensor)) throw new TypeError(`${fn}(): argument 'index' must be Tensor`);
  if (index.dtype !== 'int64') throw new Error(`${fn}(): Expected dtype int64 for index`);
  const d = normDim(dim, x.ndim);
  if (index.ndim !== x.ndim && !(x.ndim === 0 && index.ndim <= 1)) {
    throw new Error('Index tensor must have the same number of dimensions as input tensor');
  }
  for (let k = 0; k < index.ndim; k++) {
    if (k !== d && index.shape[k] > x.shape[k]) {
      throw new Error(`Size does not match at dimension ${k} expected index ${fmtShape(index.shape)} to be smaller than self ${fmtShape(x.shape)} apart from dimension ${d}`);
    }
    if (src && index.shape[k] > src.shape[k]) {
      throw new Error(`Size does not match at dimension ${k} expected index ${fmtShape(index.shape)} to be smaller than src ${fmtShape(src.shape)}`);
    }
  }
  const size = x.ndim === 0 ? 1 : x.shape[d];
  const flat = index.contiguous();
  const bad = backend.checkIndex({ ptr: flat.ptr, shape: [flat.numel()], strides: [1], dtype: 'int64' }, size);
  if (bad >= 0) {
    const value = flat.reshape(-1).select(0, bad).item();
    if (flat !== index) flat.dispose();
    throw new RangeError(`index ${value} is out of bounds for dimension ${d} with size ${size}`);
  }
  if (flat !== index) flat.dispose();
  return d;
}

/** out[i][j] = x[i][index[i][j]] for dim 1 (and likewise for any dim). */
export function gather(x: Tensor, dim: number, index: Tensor): Tensor {
  tensorInput('gather', x);
  const d = checkIndex(x, dim, index, 'gather');
  const out = Tensor.empty(index.shape, x.dtype, x.device);
  takeAlong(out, x, d, index);
  if (needsGrad(x)) {
    const shape = x.shape;
    record('GatherBackward0', [x], out, [index], (g, [i]) => [g.newZeros(shape).scatterAdd(d, i, g)]);
  }
  return out;
}

/** A copy of x with src added at index along dim (duplicates accumulate). */
export function scatterAdd(x: Tensor, dim: number, index: Tensor, src: Tensor): Tensor {
  tensorInput('scatter_add', x);
  checkOperand('scatter_add', src, 'src', 3, false);
  const d = checkIndex(x, dim, index, 'scatter_add', src);
  if (src.dtype !== x.dtype) throw new Error(`scatter_add(): Expected self.dtype to be equal to src.dtype`);
  const out = x.detach().clone();
  scatterAddKernel(out, src, d, index);
  if (needsGrad(x, src)) record('ScatterAddBackward0', [x, src], out, [index], (g, [i]) => [g, g.gather(d, i)]);
  return out;
}

declare module '../tensor/tensor' {
  interface Tensor {
    gather(dim: number, index: Tensor): Tensor;
    scatterAdd(dim: number, index: Tensor, src: Tensor): Tensor;
  }
}

Tensor.prototype.gather = function (dim, index) { return gather(this, dim, index); };
Tensor.prototype.scatterAdd = function (dim, index, src) { return scatterAdd(this, dim, index, src); };
