// Statistics and running reductions built on the primitive folds:
// var/std, norms, logsumexp, cumsum/cumprod, flip, softmax/logSoftmax.
import { scopedOp } from '../tensor/lifetime';
import { Scan, Softmax } from '../../assembly/codes';
import { Tensor } from '../tensor/tensor';
import { type DType, isFloating, scalarName, toDType } from '../tensor/dtype';
import { normDim, normDims } from '../tensor/shape';
import * as red from '../devices/wasm/reductions';
import { needsGrad, record } from '../autograd/record';
import { isGradEnabled, noGrad } from '../autograd/grad_mode';
import { tidy } from '../tensor/lifetime';
import { castTo, tensorInput } from './operands';
import { where } from './compare';
import { arange } from './create';
import { reducedDims, expandBack, type Dims, type SumOptions } from './reduce';

const sumDType = (d: DType): DType => (isFloating(d) ? d : 'int64');

export interface VarOptions {
  /** Bessel's correction: 1 (unbiased, the default) or 0. */
  correction?: number;
  unbiased?: boolean;
  keepdim?: boolean;
}

function varianceArgs(args: unknown[]): { dim: Dims; correction: number; keepdim: boolean } {
  let dim: Dims = null;
  let correction = 1;
  let keepdim = false;
  const rest = [...args];
  if (typeof rest[0] === 'boolean') return { dim: null, correction: rest[0] ? 1 : 0, keepdim: false };
  if (rest.length && (typeof rest[0] === 'number' || Array.isArray(rest[0]) || rest[0] === null)) dim = rest.shift() as Dims;
  if (typeof rest[0] === 'boolean') correction = rest.shift() ? 1 : 0;
  if (typeof rest[0] === 'boolean') keepdim = rest.shift() as boolean;
  const o = (rest[0] ?? {}) as VarOptions;
  if (o.unbiased !== undefined) correction = o.unbiased ? 1 : 0;
  if (o.correction !== undefined) correction = o.correction;
  if (o.keepdim !== undefined) keepdim = o.keepdim;
  return { dim, correction, keepdim };
}

/** var(dim?, unbiased = true, keepdim = false) or var(dim, { correction, keepdim }). */
function varianceImpl(x: Tensor, ...args: unknown[]): Tensor {
  tensorInput('var', x);
  const { dims, correction, keepdim, n } = varianceSetup(x, args);
  const out = tidy(() => noGrad(() => centered(x, dims).square().sum(dims, keepdim).div(Math.max(n - correction, 0))));
  if (needsGrad(x)) {
    const shape = x.shape;
    record('VarBackward0', [x], out, [x], (g, [xs]) => [varBackward(expandBack(g, shape, dims, keepdim), xs, dims, n - correction)]);
  }
  return out;
}
export const variance = scopedOp(varianceImpl);

function stdImpl(x: Tensor, ...args: unknown[]): Tensor {
  tensorInput('std', x);
  const { dims, correction, keepdim, n } = varianceSetup(x, args);
  const out = tidy(() => noGrad(() => centered(x, dims).square().sum(dims, keepdim).div(Math.max(n - correction, 0)).sqrt()));
  if (needsGrad(x)) {
    const shape = x.shape;
    // d std = d var / (2 std), and 0 where std is 0 (PyTorch masks it rather than divide by zero)
    record('StdBackward0', [x], out, [x, out], (g, [xs, y]) => {
      const gVar = where(y.eq(0), 0, g.div(y.mul(2)));
      return [varBackward(expandBack(gVar, shape, dims, keepdim), xs, dims, n - correction)];
    });
  }
  return out;
}
export const std = scopedOp(stdImpl);

function varianceSetup(x: Tensor, args: unknown[]): { dims: number[]; correction: number; keepdim: boolean; n: number } {
  if (!isFloating(x.dtype)) throw new Error('std and var only support floating point and complex dtypes');
  const { dim, correction, keepdim } = varianceArgs(args);
  const dims = reducedDims(dim, x.ndim);
  return { dims, correction, keepdim, n: dims.reduce((c, d) => c * x.shape[d], 1) };
}

const centered = (x: Tensor, dims: number[]): Tensor => x.sub(x.mean(dims, true));

/** PyTorch's var_backward: 2 (x - mean) g / (n - correction), g already broadcast to x's shape. */
const varBackward = (g: Tensor, x: Tensor, dims: number[], divisor: number): Tensor => g.mul(centered(x, dims)).mul(2 / divisor);

/** p-norm over dims (p = 2 by default; 'fro', Infinity, -Infinity, 0 and any real p): one NormBackward1 node. */
function normImpl(x: Tensor, p: number | 'fro' | null = 2, dim?: Dims, keepdim = false): Tensor {
  tensorInput('norm', x);
  if (!isFloating(x.dtype)) throw new Error(`norm(): input dtype should be either floating point or complex. Got ${scalarName(x.dtype)} instead.`);
  const pv = p === 'fro' || p === null ? 2 : p;
  const dims = reducedDims(dim, x.ndim);
  const out = tidy(() => noGrad(() => normForward(x, pv, dims, keepdim)));
  if (needsGrad(x)) {
    const shape = x.shape;
    record('NormBackward1', [x], out, [x, out], (g, [xs, y]) => [
      normBackward(expandBack(g, shape, dims, keepdim), xs, expandBack(y, shape, dims, keepdim), pv, dims),
    ]);
  }
  return out;
}
export const norm = scopedOp(normImpl);

function normForward(x: Tensor, p: number, dims: number[], keepdim: boolean): Tensor {
  const a = x.abs();
  if (p === Infinity) return a.amax(dims, keepdim);
  if (p === -Infinity) return a.amin(dims, keepdim);
  if (p === 0) return a.ne(0).to(x.dtype).sum(dims, keepdim);
  if (p === 1) return a.sum(dims, keepdim);
  if (p === 2) return a.square().sum(dims, keepdim).sqrt();
  return a.pow(p).sum(dims, keepdim).pow(1 / p);
}

/**
 * PyTorch's norm_backward, with g and the norm y broadcast to x's shape:
 * 0-norm has no gradient, a zero norm gives 0 rather than NaN, and the
 * infinity norms share g among the tied maxima.
 */
function normBackward(g: Tensor, x: Tensor, y: Tensor, p: number, dims: number[]): Tensor | null {
  if (p === 0) return null;
  if (p === 1) return x.sign().mul(g);
  if (p === 2) return g.mul(where(y.eq(0), 0, x.div(y)));
  if (!Number.isFinite(p)) {
    const a = x.abs();
    const mask = a.eq(y).logicalOr(a.isnan());
    return x.sign().mul(g.div(mask.sum(dims, true)).mul(mask));
  }
  const scale = where(y.eq(0), 0, g.div(y.pow(p - 1)));
  // |x|^(p-1) is infinite at 0 when p < 1; PyTorch takes that term as 0
  const scaled = p < 1 ? where(x.eq(0), 0, x.sign().mul(x.abs().pow(p - 1))) : p < 2 ? x.sign().mul(x.abs().pow(p - 1)) : x.mul(x.abs().pow(p - 2));
  return scaled.mul(scale);
}

/** log(sum(exp(x))) over dims, shifted by the max so large inputs stay finite. */
function logsumexpImpl(x: Tensor, dim: Dims, keepdim = false): Tensor {
  tensorInput('logsumexp', x);
  const src = isFloating(x.dtype) ? x : x.to('float32');
  const dims = reducedDims(dim, src.ndim);
  const out = tidy(() => noGrad(() => {
    // an empty sum is 0, whose log is -inf (amax would refuse the empty dim)
    if (dims.some((d) => src.shape[d] === 0)) return src.sum(dims, keepdim).fill_(-Infinity);
    const m = src.amax(dims, true);
    // infinite maxima would turn x - m into NaN; PyTorch shifts those rows by 0
    const shift = where(m.isinf(), 0, m);
    const s = src.sub(shift).exp().sum(dims, true).log().add(shift);
    return keepdim ? s : s.squeeze(dims);
  }));
  if (needsGrad(src)) {
    const shape = src.shape;
    record('LogsumexpBackward0', [src], out, [src, out], (g, [xs, y]) => [
      expandBack(g, shape, dims, keepdim).mul(xs.sub(expandBack(y, shape, dims, keepdim)).exp()),
    ]);
  }
  return out;
}
export const logsumexp = scopedOp(logsumexpImpl);

export function cumsum(x: Tensor, dim: number, o: SumOptions = {}): Tensor {
  tensorInput('cumsum', x);
  const d = normDim(dim, x.ndim);
  const src = castTo(x, o?.dtype ? toDType(o?.dtype) : sumDType(x.dtype));
  const out = Tensor.empty(src.shape, src.dtype, src.device);
  red.scan(Scan.sum, out, src, d);
  if (src !== x) src.dispose();
  if (needsGrad(x)) {
    // the gradient is the reversed cumulative sum of g
    record('CumsumBackward0', [x], out, [], (g) => [x.ndim === 0 ? g : g.flip([d]).cumsum(d).flip([d])]);
  }
  return out;
}

export function cumprod(x: Tensor, dim: number, o: SumOptions = {}): Tensor {
  tensorInput('cumprod', x);
  const d = normDim(dim, x.ndim);
  const src = castTo(x, o?.dtype ? toDType(o?.dtype) : sumDType(x.dtype));
  const out = Tensor.empty(src.shape, src.dtype, src.device);
  red.scan(Scan.prod, out, src, d);
  if (src !== x) src.dispose();
  if (needsGrad(x)) {
    record('CumprodBackward0', [x], out, [x, out], (g, [xs, y]) => [x.ndim === 0 ? g : cumprodBackward(g, xs, y, d)]);
  }
  return out;
}

const reverseCumsum = (t: Tensor, d: number): Tensor => t.flip([d]).cumsum(d).flip([d]);

/**
 * d(cumprod)/dx without dividing by zero, as PyTorch's cumprod_backward.
 * Before the first zero of a row, sum_{k>=j} g_k y_k / x_j holds (later
 * outputs are 0). At the first zero z, the gradient is the same sum with
 * x_z taken as 1. After it, every output x_j reaches also contains x_z = 0.
 */
function cumprodBackward(g: Tensor, x: Tensor, y: Tensor, d: number): Tensor {
  if (isGradEnabled()) return cumprodBackwardDifferentiable(g, x, d);
  const isZero = x.eq(0);
  const zerosSoFar = isZero.cumsum(d);
  const before = zerosSoFar.eq(0);
  const firstZero = isZero.logicalAnd(zerosSoFar.eq(1));
  const plain = reverseCumsum(g.mul(y), d).div(where(before, x, 1));
  const atZero = reverseCumsum(g.mul(where(firstZero, 1, x).cumprod(d)), d);
  return where(before, plain, where(firstZero, atZero, 0));
}

/**
 * The same gradient in a form that is differentiable everywhere (for
 * createGraph): masking the positions after a zero to 0 loses their
 * derivative with respect to that zero. Row j of an extra leading axis
 * holds x with x_j replaced by 1, so
 * grad_j = sum_{k>=j} g_k * cumprod(row j)_k. O(n^2) along dim.
 */
function cumprodBackwardDifferentiable(g: Tensor, x: Tensor, d: number): Tensor {
  const n = x.shape[d];
  const along = (t: Tensor): Tensor => t.reshape([n, ...x.shape.map((s, i) => (i === d ? n : 1))]);
  const j = arange(n, { device: x.device }).unsqueeze(1), k = arange(n, { device: x.device }).unsqueeze(0);
  const rows = where(along(j.eq(k)), 1, x.unsqueeze(0)).cumprod(d + 1);
  const terms = where(along(k.ge(j)), rows.mul(g.unsqueeze(0)), 0);
  return terms.sum(d + 1).movedim(0, d);
}

/** Reverses the order of elements along dims (a gather; strides stay positive). */
function flipImpl(x: Tensor, dims: readonly number[]): Tensor {
  tensorInput('flip', x);
  let r = x;
  for (const d of normDims(dims, x.ndim)) {
    const n = x.shape[d] ?? 1;
    const idx = arange(n - 1, -1, -1, { device: x.device });
    const next = x.ndim === 0 ? r : r.indexSelect(d, idx);
    idx.dispose();
    r = next;
  }
  return r === x ? x.clone() : r;
}
export const flip = scopedOp(flipImpl);


function softmaxLike(x: Tensor, dim: number, o: SumOptions, op: Softmax): Tensor {
  tensorInput(op === Softmax.softmax ? 'softmax' : 'log_softmax', x);
  const d = normDim(dim, x.ndim);
  const dtype = o?.dtype ? toDType(o?.dtype) : x.dtype;
  if (!isFloating(dtype)) {
    const kernel = d === Math.max(x.ndim - 1, 0) ? (op === Softmax.softmax ? 'softmax_lastdim_kernel_impl' : 'log_softmax_lastdim_kernel_impl') : op === Softmax.softmax ? 'softmax_kernel_impl' : 'log_softmax_kernel_impl';
    throw new Error(`"${kernel}" not implemented for '${scalarName(dtype)}'`);
  }
  const cast = castTo(x, dtype);
  const src = cast.contiguous();
  const out = Tensor.empty(x.shape, dtype, x.device);
  red.softmax(op, out, src, d);
  if (src !== cast) src.dispose();
  if (cast !== x) cast.dispose();
  if (needsGrad(x)) {
    if (op === Softmax.softmax) {
      record('SoftmaxBackward0', [x], out, [out], (g, [y]) => [y.mul(g.sub(g.mul(y).sum(d, true)))]);
    } else {
      record('LogSoftmaxBackward0', [x], out, [out], (g, [y]) => [g.sub(y.exp().mul(g.sum(d, true)))]);
    }
  }
  return out;
}

export const softmax = (x: Tensor, dim: number, o: SumOptions = {}): Tensor => softmaxLike(x, dim, o, Softmax.softmax);
export const logSoftmax = (x: Tensor, dim: number, o: SumOptions = {}): Tensor => softmaxLike(x, dim, o, Softmax.logSoftmax);

declare module '../tensor/tensor' {
  interface Tensor {
    var(dim?: Dims | boolean, unbiased?: boolean | VarOptions, keepdim?: boolean | VarOptions): Tensor;
    std(dim?: Dims | boolean, unbiased?: boolean | VarOptions, keepdim?: boolean | VarOptions): Tensor;
    norm(p?: number | 'fro' | null, dim?: Dims, keepdim?: boolean): Tensor;
    logsumexp(dim: Dims, keepdim?: boolean): Tensor;
    cumsum(dim: number, options?: SumOptions): Tensor;
    cumprod(dim: number, options?: SumOptions): Tensor;
    flip(dims: readonly number[] | number): Tensor;
    softmax(dim: number, options?: SumOptions): Tensor;
    logSoftmax(dim: number, options?: SumOptions): Tensor;
  }
}

const proto = Tensor.prototype;
proto.var = function (...a: unknown[]) { return variance(this, ...a); };
proto.std = function (...a: unknown[]) { return std(this, ...a); };
proto.norm = function (p, d, k) { return norm(this, p, d, k); };
proto.logsumexp = function (d, k) { return logsumexp(this, d, k); };
proto.cumsum = function (d, o) { return cumsum(this, d, o); };
proto.cumprod = function (d, o) { return cumprod(this, d, o); };
proto.flip = function (dims) { return flip(this, typeof dims === 'number' ? [dims] : dims); };
proto.softmax = function (d, o) { return softmax(this, d, o); };
proto.logSoftmax = function (d, o) { return logSoftmax(this, d, o); };
