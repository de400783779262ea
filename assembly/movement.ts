// Movement kernels: dtype-converting strided copies (the one kernel behind
// contiguous(), clone(), cat and .to(dtype)), gathers and scatter-adds
// along one dimension.
import { beginRows, nextRow, rowPtr, rowIndex, geti, strideOf } from './common';

/** Converts one value with PyTorch's casting rules (bool is its own type: anything nonzero is true). */
@inline function convert<S, D>(v: S): D {
  if (isBoolean<D>()) return <D>(v != <S>0);
  if (isFloat<S>() && !isFloat<D>()) {
    // PyTorch on x86 truncates with cvttss2si/cvttsd2si: NaN and out-of-range values become
    // the integer minimum (wasm's saturating truncation would give 0 or the maximum instead).
    // uint8 takes the low byte of the int the source's width converts to: int32 for float32
    // (1e10 -> 0), int64 for float64 (1e10 + 5 -> 5).
    const f = <f64>v;
    if (sizeof<D>() == 8 || (sizeof<D>() == 1 && sizeof<S>() == 8)) {
      return <D>(f >= -9223372036854775808.0 && f < 9223372036854775808.0 ? <i64>f : i64.MIN_VALUE);
    }
    return <D>(f > -2147483649.0 && f < 2147483648.0 ? <i32>f : i32.MIN_VALUE);
  }
  return <D>v;
}

/**
 * Rows per band of a transposing copy. Both sides stride by a row (often a
 * power of two apart, so the lines share one cache set): 8 rows keep the
 * band's lines within the L1's 8 ways.
 */
const BAND = 8;

/**
 * Copies BAND rows of a transpose: x runs contiguously down the rows
 * (byte stride of one element), out along them. 4-byte types move in 4x4
 * blocks transposed in registers; the rest element by element in the same order.
 */
@inline function transposeBand<S, D>(n: i32, o: usize, so: i32, so1: i32, px: usize, sx: i32): void {
  let c = 0;
  if (ASC_FEATURE_SIMD) if (sizeof<S>() == 4 && sizeof<D>() == 4 && isFloat<S>() == isFloat<D>() && so == 4) {
    for (; c + 4 <= n; c += 4) {
      const q = px + <usize>(c * sx), d = o + <usize>(c << 2);
      for (let k = 0; k < BAND; k += 4) {
        // vj = x[k..k+3][c+j]; out row k+i gets [v0[i], v1[i], v2[i], v3[i]]
        const v0 = v128.load(q + <usize>(k << 2)), v1 = v128.load(q + <usize>(sx + (k << 2)));
        const v2 = v128.load(q + <usize>(2 * sx + (k << 2))), v3 = v128.load(q + <usize>(3 * sx + (k << 2)));
        const t0 = v128.shuffle<i32>(v0, v1, 0, 4, 1, 5), t1 = v128.shuffle<i32>(v2, v3, 0, 4, 1, 5);
        const t2 = v128.shuffle<i32>(v0, v1, 2, 6, 3, 7), t3 = v128.shuffle<i32>(v2, v3, 2, 6, 3, 7);
        const r = d + <usize>(k * so1);
        v128.store(r, v128.shuffle<i32>(t0, t1, 0, 1, 4, 5));
        v128.store(r + <usize>so1, v128.shuffle<i32>(t0, t1, 2, 3, 6, 7));
        v128.store(r + <usize>(2 * so1), v128.shuffle<i32>(t2, t3, 0, 1, 4, 5));
        v128.store(r + <usize>(3 * so1), v128.shuffle<i32>(t2, t3, 2, 3, 6, 7));
      }
    }
  }
  for (; c < n; c++) {
    const q = px + <usize>(c * sx), d = o + <usize>(c * so);
    for (let k = 0; k < BAND; k++) store<D>(d + <usize>(k * so1), convert<S, D>(load<S>(q + <usize>(k * <i32>sizeof<S>()))));
  }
}

function castWalk<S, D>(nd: i32, meta: usize, out: usize, x: usize): void {
  const rows = beginRows(meta, nd, 2, out, x, 0, 0);
  const last = nd - 1;
  const n = geti(meta, last);
  const so = strideOf(meta, nd, 0, last), sx = strideOf(meta, nd, 1, last);
  const same = sizeof<S>() == sizeof<D>() && isFloat<S>() == isFloat<D>() && isBoolean<S>() == isBoolean<D>();
  // a transpose: row by row, every read of x would land on a new cache line
  const transposed = nd >= 2 && n >= 4 && sx != <i32>sizeof<S>() && strideOf(meta, nd, 1, last - 1) == <i32>sizeof<S>();
  const R = nd >= 2 ? geti(meta, last - 1) : 1;
  const so1 = nd >= 2 ? strideOf(meta, nd, 0, last - 1) : 0;
  for (let r = 0; r < rows; ) {
    const o = rowPtr(meta, nd, 2, 0), px = rowPtr(meta, nd, 2, 1);
    if (transposed && rowIndex(meta, nd, 2, last - 1) + BAND <= R) {
      transposeBand<S, D>(n, o, so, so1, px, sx);
      for (let k = 0; k < BAND; k++) nextRow(meta, nd, 2);
      r += BAND;
      continue;
    }
    if (same && so == <i32>sizeof<D>() && sx == <i32>sizeof<S>()) {
      memory.copy(o, px, <usize>n * sizeof<D>());
    } else {
      for (let i = 0; i < n; i++) store<D>(o + <usize>(i * so), convert<S, D>(load<S>(px + <usize>(i * sx))));
    }
    nextRow(meta, nd, 2);
    r++;
  }
}

// dtype-converting strided copies, cast_<from>_<to>
export function cast_f32_f32(nd: i32, meta: usize, out: usize, x: usize): void { castWalk<f32, f32>(nd, meta, out, x); }
export function cast_f32_f64(nd: i32, meta: usize, out: usize, x: usize): void { castWalk<f32, f64>(nd, meta, out, x); }
export function cast_f32_i32(nd: i32, meta: usize, out: usize, x: usize): void { castWalk<f32, i32>(nd, meta, out, x); }
export function cast_f32_i64(nd: i32, meta: usize, out: usize, x: usize): void { castWalk<f32, i64>(nd, meta, out, x); }
export function cast_f32_u8(nd: i32, meta: usize, out: usize, x: usize): void { castWalk<f32, u8>(nd, meta, out, x); }
export function cast_f32_bool(nd: i32, meta: usize, out: usize, x: usize): void { castWalk<f32, bool>(nd, meta, out, x); }
export function cast_f64_f32(nd: i32, meta: usize, out: usize, x: usize): void { castWalk<f64, f32>(nd, meta, out, x); }
export function cast_f64_f64(nd: i32, meta: usize, out: usize, x: usize): void { castWalk<f64, f64>(nd, meta, out, x); }
export function cast_f64_i32(nd: i32, meta: usize, out: usize, x: usize): void { castWalk<f64, i32>(nd, meta, out, x); }
export function cast_f64_i64(nd: i32, meta: usize, out: usize, x: usize): void { castWalk<f64, i64>(nd, meta, out, x); }
export function cast_f64_u8(nd: i32, meta: usize, out: usize, x: usize): void { castWalk<f64, u8>(nd, meta, out, x); }
export function cast_f64_bool(nd: i32, meta: usize, out: usize, x: usize): void { castWalk<f64, bool>(nd, meta, out, x); }
export function cast_i32_f32(nd: i32, meta: usize, out: usize, x: usize): void { castWalk<i32, f32>(nd, meta, out, x); }
export function cast_i32_f64(nd: i32, meta: usize, out: usize, x: usize): void { castWalk<i32, f64>(nd, meta, out, x); }
export function cast_i32_i32(nd: i32, meta: usize, out: usize, x: usize): void { castWalk<i32, i32>(nd, meta, out, x); }
export function cast_i32_i64(nd: i32, meta: usize, out: usize, x: usize): void { castWalk<i32, i64>(nd, meta, out, x); }
export function cast_i32_u8(nd: i32, meta: usize, out: usize, x: usize): void { castWalk<i32, u8>(nd, meta, out, x); }
export function cast_i32_bool(nd: i32, meta: usize, out: usize, x: usize): void { castWalk<i32, bool>(nd, meta, out, x); }
export function cast_i64_f32(nd: i32, meta: usize, out: usize, x: usize): void { castWalk<i64, f32>(nd, meta, out, x); }
export function cast_i64_f64(nd: i32, meta: usize, out: usize, x: usize): void { castWalk<i64, f64>(nd, meta, out, x); }
export function cast_i64_i32(nd: i32, meta: usize, out: usize, x: usize): void { castWalk<i64, i32>(nd, meta, out, x); }
export function cast_i64_i64(nd: i32, meta: usize, out: usize, x: usize): void { castWalk<i64, i64>(nd, meta, out, x); }
export function cast_i64_u8(nd: i32, meta: usize, out: usize, x: usize): void { castWalk<i64, u8>(nd, meta, out, x); }
export function cast_i64_bool(nd: i32, meta: usize, out: usize, x: usize): void { castWalk<i64, bool>(nd, meta, out, x); }
export function cast_u8_f32(nd: i32, meta: usize, out: usize, x: usize): void { castWalk<u8, f32>(nd, meta, out, x); }
export function cast_u8_f64(nd: i32, meta: usize, out: usize, x: usize): void { castWalk<u8, f64>(nd, meta, out, x); }
export function cast_u8_i32(nd: i32, meta: usize, out: usize, x: usize): void { castWalk<u8, i32>(nd, meta, out, x); }
export function cast_u8_i64(nd: i32, meta: usize, out: usize, x: usize): void { castWalk<u8, i64>(nd, meta, out, x); }
export function cast_u8_u8(nd: i32, meta: usize, out: usize, x: usize): void { castWalk<u8, u8>(nd, meta, out, x); }
export function cast_u8_bool(nd: i32, meta: usize, out: usize, x: usize): void { castWalk<u8, bool>(nd, meta, out, x); }
export function cast_bool_f32(nd: i32, meta: usize, out: usize, x: usize): void { castWalk<bool, f32>(nd, meta, out, x); }
export function cast_bool_f64(nd: i32, meta: usize, out: usize, x: usize): void { castWalk<bool, f64>(nd, meta, out, x); }
export function cast_bool_i32(nd: i32, meta: usize, out: usize, x: usize): void { castWalk<bool, i32>(nd, meta, out, x); }
export function cast_bool_i64(nd: i32, meta: usize, out: usize, x: usize): void { castWalk<bool, i64>(nd, meta, out, x); }
export function cast_bool_u8(nd: i32, meta: usize, out: usize, x: usize): void { castWalk<bool, u8>(nd, meta, out, x); }
export function cast_bool_bool(nd: i32, meta: usize, out: usize, x: usize): void { castWalk<bool, bool>(nd, meta, out, x); }

/**
 * Index checks run before a gather/scatter touches memory: returns the
 * position of the first index outside [0, size), or -1 when all are valid.
 */
export function check_index(idx: usize, n: i32, strideBytes: i32, size: i32): i32 {
  for (let i = 0; i < n; i++) {
    const v = load<i64>(idx + <usize>(i * strideBytes));
    if (v < 0 || v >= <i64>size) return i;
  }
  return -1;
}

/**
 * out = x gathered along `dim`: out[.., j, ..] = x[.., idx[j], ..].
 * meta holds out's shape and the byte strides of out and x, with x's stride
 * along `dim` zeroed; `dimStride` is x's real byte stride along `dim`.
 */
function gatherWalk<T>(nd: i32, meta: usize, out: usize, x: usize, dim: i32, idx: usize, idxStride: i32, dimStride: i32): void {
  const rows = beginRows(meta, nd, 2, out, x, 0, 0);
  const last = nd - 1;
  const n = geti(meta, last);
  const so = strideOf(meta, nd, 0, last), sx = strideOf(meta, nd, 1, last);
  for (let r = 0; r < rows; r++) {
    const o = rowPtr(meta, nd, 2, 0);
    let px = rowPtr(meta, nd, 2, 1);
    if (dim == last) {
      for (let i = 0; i < n; i++) {
        const j = <i32>load<i64>(idx + <usize>(i * idxStride));
        store<T>(o + <usize>(i * so), load<T>(px + <usize>(j * dimStride)));
      }
    } else {
      px += <usize>(<i32>load<i64>(idx + <usize>(rowIndex(meta, nd, 2, dim) * idxStride)) * dimStride);
      for (let i = 0; i < n; i++) store<T>(o + <usize>(i * so), load<T>(px + <usize>(i * sx)));
    }
    nextRow(meta, nd, 2);
  }
}

/** out += v; for bool, out |= v (adding bytes would store 2, which is not a bool). */
@inline function accumulate<T>(p: usize, v: T): void {
  if (isBoolean<T>()) store<u8>(p, load<u8>(p) | <u8>v);
  else store<T>(p, load<T>(p) + v);
}

/**
 * out[.., idx[j], ..] += src[.., j, ..], walking src's shape. meta holds src's
 * shape and the byte strides of out (zeroed along `dim`) and src.
 */
function indexAddWalk<T>(nd: i32, meta: usize, out: usize, src: usize, dim: i32, idx: usize, idxStride: i32, dimStride: i32): void {
  const rows = beginRows(meta, nd, 2, out, src, 0, 0);
  const last = nd - 1;
  const n = geti(meta, last);
  const so = strideOf(meta, nd, 0, last), ss = strideOf(meta, nd, 1, last);
  for (let r = 0; r < rows; r++) {
    let o = rowPtr(meta, nd, 2, 0);
    const ps = rowPtr(meta, nd, 2, 1);
    if (dim == last) {
      for (let i = 0; i < n; i++) {
        accumulate<T>(o + <usize>(<i32>load<i64>(idx + <usize>(i * idxStride)) * dimStride), load<T>(ps + <usize>(i * ss)));
      }
    } else {
      o += <usize>(<i32>load<i64>(idx + <usize>(rowIndex(meta, nd, 2, dim) * idxStride)) * dimStride);
      for (let i = 0; i < n; i++) accumulate<T>(o + <usize>(i * so), load<T>(ps + <usize>(i * ss)));
    }
    nextRow(meta, nd, 2);
  }
}

export function gather_1(nd: i32, meta: usize, out: usize, x: usize, dim: i32, idx: usize, idxStride: i32, dimStride: i32): void { gatherWalk<u8>(nd, meta, out, x, dim, idx, idxStride, dimStride); }
export function gather_4(nd: i32, meta: usize, out: usize, x: usize, dim: i32, idx: usize, idxStride: i32, dimStride: i32): void { gatherWalk<u32>(nd, meta, out, x, dim, idx, idxStride, dimStride); }
export function gather_8(nd: i32, meta: usize, out: usize, x: usize, dim: i32, idx: usize, idxStride: i32, dimStride: i32): void { gatherWalk<u64>(nd, meta, out, x, dim, idx, idxStride, dimStride); }

export function index_add_f32(nd: i32, meta: usize, out: usize, src: usize, dim: i32, idx: usize, idxStride: i32, dimStride: i32): void { indexAddWalk<f32>(nd, meta, out, src, dim, idx, idxStride, dimStride); }
export function index_add_f64(nd: i32, meta: usize, out: usize, src: usize, dim: i32, idx: usize, idxStride: i32, dimStride: i32): void { indexAddWalk<f64>(nd, meta, out, src, dim, idx, idxStride, dimStride); }
export function index_add_i32(nd: i32, meta: usize, out: usize, src: usize, dim: i32, idx: usize, idxStride: i32, dimStride: i32): void { indexAddWalk<i32>(nd, meta, out, src, dim, idx, idxStride, dimStride); }
export function index_add_i64(nd: i32, meta: usize, out: usize, src: usize, dim: i32, idx: usize, idxStride: i32, dimStride: i32): void { indexAddWalk<i64>(nd, meta, out, src, dim, idx, idxStride, dimStride); }
export function index_add_u8(nd: i32, meta: usize, out: usize, src: usize, dim: i32, idx: usize, idxStride: i32, dimStride: i32): void { indexAddWalk<u8>(nd, meta, out, src, dim, idx, idxStride, dimStride); }
export function index_add_bool(nd: i32, meta: usize, out: usize, src: usize, dim: i32, idx: usize, idxStride: i32, dimStride: i32): void { indexAddWalk<bool>(nd, meta, out, src, dim, idx, idxStride, dimStride); }
