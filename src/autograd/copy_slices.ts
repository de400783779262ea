// In-place ops on views, as PyTorch's CopySlices: writing into a view changes
// its base, so after `v.op_(...)` the base's history becomes "the old base
// with v's region replaced by the op's result", and v becomes a region of
// that new base. Without this the base would keep its old grad_fn and the
// gradient of everything the op used would be lost.
//
// The backward formulas are three linear maps between base-shaped and
// view-shaped gradients. Each records its own adjoint when its input
// requires grad, so a backward run with createGraph stays differentiable.
import { Tensor } from '../tensor/tensor';
import { Storage } from '../tensor/storage';
import { itemSize, type DType } from '../tensor/dtype';
import * as backend from '../devices/wasm/backend';
import { needsGrad, record } from './record';

/** Where a tensor sits in its storage: plain numbers, so closures keep no tensor alive. */
interface Geometry {
  shape: readonly number[];
  strides: readonly number[];
  offset: number;
  dtype: DType;
}

const geometry = (t: Tensor): Geometry => ({ shape: t.shape, strides: t.strides, offset: t.offset, dtype: t.dtype });

/**
 * g (shaped like base) copied into fresh memory laid out exactly as base is
 * in its storage, so a view's own offset and strides select its region.
 */
function likeBase(base: Geometry, g: Tensor | null): Tensor {
  const empty = base.shape.some((s) => s === 0);
  let span = empty ? 0 : base.offset + 1;
  if (span) base.shape.forEach((s, d) => (span += (s - 1) * base.strides[d]));
  const out = new Tensor(Storage.allocate(span * itemSize(base.dtype)), base.shape, base.strides, base.offset, base.dtype);
  if (g) backend.cast(out, g);
  else backend.fill(out, 0);
  return out;
}

const regionOf = (buf: Tensor, view: Geometry): Tensor => buf._view(view.shape, view.strides, view.offset);

/** g (base-shaped) with the view's region set to 0. Its own adjoint. */
function zeroRegion(base: Geometry, view: Geometry, g: Tensor): Tensor {
  const buf = likeBase(base, g);
  const region = regionOf(buf, view);
  backend.fill(region, 0);
  region.dispose();
  if (needsGrad(g)) record('CopySlices', [g], buf, [], (gg) => [zeroRegion(base, view, gg)]);
  return buf;
}

/** The view's region of g (base-shaped), as a view-shaped tensor. Adjoint of placeRegion. */
function takeRegion(base: Geometry, view: Geometry, g: Tensor): Tensor {
  const buf = likeBase(base, g);
  const region = regionOf(buf, view);
  const out = Tensor.empty(view.shape, view.dtype, g.device);
  backend.cast(out, region);
  region.dispose();
  buf.dispose();
  if (needsGrad(g)) record('AsStridedBackward0', [g], out, [], (gg) => [placeRegion(base, view, gg)]);
  return out;
}

/** h (view-shaped) placed into zeros shaped like base. Adjoint of takeRegion. */
function placeRegion(base: Geometry, view: Geometry, h: Tensor): Tensor {
  const buf = likeBase(base, null);
  const region = regionOf(buf, view);
  backend.cast(region, h);
  region.dispose();
  if (needsGrad(h)) record('AsStridedScatterBackward0', [h], buf, [], (gg) => [takeRegion(base, view, gg)]);
  return buf;
}

/**
 * After an in-place op wrote `result` into `view` (a view of `base`): base
 * gets a CopySlices node over [old base, result], and the view an
 * AsStridedBackward0 node reading its region of the new base.
 */
export function rebaseView(base: Tensor, view: Tensor, result: Tensor): void {
  const b = geometry(base), v = geometry(view);
  // the old base's values under the view were overwritten: they get no gradient
  record('CopySlices', [base, result], base, [], (g) => [zeroRegion(b, v, g), takeRegion(b, v, g)]);
  record('AsStridedBackward0', [base], view, [], (g) => [placeRegion(b, v, g)]);
}
