// Indexing along one dim with a per-element index tensor (torch.gather and
// scatter_add). The walk covers the index's shape; the meta block holds the
// byte strides of three operands (out, index, x) with the indexed
// operand's stride along `dim` zeroed, and `dimStride` is its real stride.
import { beginRows, nextRow, rowPtr, geti, strideOf } from './common';

/** out[p] = x[p with p[dim] = index[p]] */
function takeAlongWalk<T>(nd: i32, meta: usize, out: usize, index: usize, x: usize, dimStride: i32): void {
  const rows = beginRows(meta, nd, 3, out, index, x, 0);
  const last = nd - 1;
  const n = geti(meta, last);
  const so = strideOf(meta, nd, 0, last), si = strideOf(meta, nd, 1, last), sx = strideOf(meta, nd, 2, last);
  for (let r = 0; r < rows; r++) {
    const o = rowPtr(meta, nd, 3, 0), pi = rowPtr(meta, nd, 3, 1), px = rowPtr(meta, nd, 3, 2);
    for (let i = 0; i < n; i++) {
      const j = <i32>load<i64>(pi + <usize>(i * si));
      store<T>(o + <usize>(i * so), load<T>(px + <usize>(i * sx + j * dimStride)));
    }
    nextRow(meta, nd, 3);
  }
}

/** out[p with p[dim] = index[p]] += src[p] */
function scatterAddWalk<T>(nd: i32, meta: usize, out: usize, index: usize, src: usize, dimStride: i32): void {
  const rows = beginRows(meta, nd, 3, out, index, src, 0);
  const last = nd - 1;
  const n = geti(meta, last);
  const so = strideOf(meta, nd, 0, last), si = strideOf(meta, nd, 1, last), ss = strideOf(meta, nd, 2, last);
  for (let r = 0; r < rows; r++) {
    const o = rowPtr(meta, nd, 3, 0), pi = rowPtr(meta, nd, 3, 1), ps = rowPtr(meta, nd, 3, 2);
    for (let i = 0; i < n; i++) {
      const j = <i32>load<i64>(pi + <usize>(i * si));
      const p = o + <usize>(i * so + j * dimStride);
      store<T>(p, load<T>(p) + load<T>(ps + <usize>(i * ss)));
    }
    nextRow(meta, nd, 3);
  }
}

export function take_along_1(nd: i32, meta: usize, out: usize, index: usize, x: usize, dimStride: i32): void { takeAlongWalk<u8>(nd, meta, out, index, x, dimStride); }
export function take_along_4(nd: i32, meta: usize, out: usize, index: usize, x: usize, dimStride: i32): void { takeAlongWalk<u32>(nd, meta, out, index, x, dimStride); }
export function take_along_8(nd: i32, meta: usize, out: usize, index: usize, x: usize, dimStride: i32): void { takeAlongWalk<u64>(nd, meta, out, index, x, dimStride); }

export function scatter_add_f32(nd: i32, meta: usize, out: usize, index: usize, src: usize, dimStride: i32): void { scatterAddWalk<f32>(nd, meta, out, index, src, dimStride); }
export function scatter_add_f64(nd: i32, meta: usize, out: usize, index: usize, src: usize, dimStride: i32): void { scatterAddWalk<f64>(nd, meta, out, index, src, dimStride); }
export function scatter_add_i32(nd: i32, meta: usize, out: usize, index: usize, src: usize, dimStride: i32): void { scatterAddWalk<i32>(nd, meta, out, index, src, dimStride); }
export function scatter_add_i64(nd: i32, meta: usize, out: usize, index: usize, src: usize, dimStride: i32): void { scatterAddWalk<i64>(nd, meta, out, index, src, dimStride); }
export function scatter_add_u8(nd: i32, meta: usize, out: usize, index: usize, src: usize, dimStride: i32): void { scatterAddWalk<u8>(nd, meta, out, index, src, dimStride); }
