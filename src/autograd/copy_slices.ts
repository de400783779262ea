// In-place ops on views, as PyTorch's CopySlices: writing into a view changes
// its base, so after `v.op_(...)` the base's history becomes "the old base
// with v's region replaced by the op's result", and v becomes a region of
// that new base. Without this the base would keep its old grad_fn and the
// gradient of everything the op used would be lost.
import { Tensor } from '../tensor/tensor';
import { Storage } from '../tensor/storage';
import { itemSize } from '../tensor/dtype';
import * as backend from '../devices/wasm/backend';
import { record } from './record';

/**
 * g (shaped like base) copied into fresh memory laid out exactly as base is
 * in its storage, so a view's own offset and strides select its region.
 */
function likeBase(base: Tensor, g: Tensor | null): Tensor {
  let span = base.numel() === 0 ? 0 : base.offset + 1;
  if (span) base.shape.forEach((s, d) => (span += (s - 1) * base.strides[d]));
  const out = new Tensor(Storage.allocate(span * itemSize(base.dtype)), base.shape, base.strides, base.offset, base.dtype);
  if (g) backend.cast(out, g);
  else backend.fill(out, 0);
  return out;
}

const regionOf = (buf: Tensor, view: Tensor): Tensor => buf._view(view.shape, view.strides, view.offset);

/**
 * After an in-place op wrote `result` into `view` (a view of `base`): base
 * gets a CopySlices node over [old base, result], and the view an
 * AsStridedBackward0 node reading its region of the new base.
 */
export function rebaseView(base: Tensor, view: Tensor, result: Tensor): void {
  record('CopySlices', [base, result], base, [], (g) => {
    const buf = likeBase(base, g);
    const region = regionOf(buf, view);
    const toResult = region.clone();
    // the old base's values under the view were overwritten: they get no gradient
    backend.fill(region, 0);
    region.dispose();
    return [buf, toResult];
  });
  record('AsStridedBackward0', [base], view, [], (g) => {
    const buf = likeBase(base, null);
    const region = regionOf(buf, view);
    backend.cast(region, g);
    region.dispose();
    return [buf];
  });
}
