// Shared plumbing for kernels: reading the meta block and walking strided
// N-d iterations row by row.
//
// A meta block is an i32 array that TypeScript writes before each call:
//   shape[nd] | strides of operand 0 [nd] | ... | strides of operand k-1 [nd] | idx[nd] | ptr[k]
// Strides are in BYTES so operands of different dtypes share one walker.
// The trailing idx/ptr slots are scratch the walker owns; TypeScript only
// reserves them. The innermost dimension (nd-1) is the row the kernels
// vectorise; everything outside it is stepped by `nextRow`.

@inline export function geti(p: usize, i: i32): i32 {
  return load<i32>(p + (<usize>i << 2));
}

@inline export function seti(p: usize, i: i32, v: i32): void {
  store<i32>(p + (<usize>i << 2), v);
}

/** Byte stride of operand `op` along dimension `d`. */
@inline export function strideOf(meta: usize, nd: i32, op: i32, d: i32): i32 {
  return geti(meta, nd * (1 + op) + d);
}

@inline function idxBase(meta: usize, nd: i32, nops: i32): usize {
  return meta + (<usize>(nd * (1 + nops)) << 2);
}

@inline function ptrBase(meta: usize, nd: i32, nops: i32): usize {
  return idxBase(meta, nd, nops) + (<usize>nd << 2);
}

/** The current row's base pointer of operand `op`. */
@inline export function rowPtr(meta: usize, nd: i32, nops: i32, op: i32): usize {
  return <usize>geti(ptrBase(meta, nd, nops), op);
}

/** Prepares the walk and returns the number of rows (product of all but the last dim). */
export function beginRows(meta: usize, nd: i32, nops: i32, p0: usize, p1: usize, p2: usize, p3: usize): i32 {
  const idx = idxBase(meta, nd, nops);
  let rows = 1;
  for (let d = 0; d < nd - 1; d++) {
    rows *= geti(meta, d);
    seti(idx, d, 0);
  }
  const ptr = ptrBase(meta, nd, nops);
  seti(ptr, 0, <i32>p0);
  if (nops > 1) seti(ptr, 1, <i32>p1);
  if (nops > 2) seti(ptr, 2, <i32>p2);
  if (nops > 3) seti(ptr, 3, <i32>p3);
  return rows;
}

/** Advances the odometer over dims [0, nd-1) by one row, moving every operand's pointer. */
export function nextRow(meta: usize, nd: i32, nops: i32): void {
  const idx = idxBase(meta, nd, nops);
  const ptr = ptrBase(meta, nd, nops);
  for (let d = nd - 2; d >= 0; d--) {
    const i = geti(idx, d) + 1;
    const size = geti(meta, d);
    if (i < size) {
      seti(idx, d, i);
      for (let op = 0; op < nops; op++) seti(ptr, op, geti(ptr, op) + strideOf(meta, nd, op, d));
      return;
    }
    seti(idx, d, 0);
    // rewind this dimension: size-1 steps were taken along it
    for (let op = 0; op < nops; op++) seti(ptr, op, geti(ptr, op) - strideOf(meta, nd, op, d) * (size - 1));
  }
}

/** Elements in one v128 for T. */
@inline export function lanes<T>(): i32 {
  return 16 / sizeof<T>();
}

@inline export function at<T>(p: usize, i: i32): usize {
  return p + (<usize>i) * sizeof<T>();
}

@inline export function splat<T>(x: T): v128 {
  if (isFloat<T>()) {
    if (sizeof<T>() == 4) return f32x4.splat(<f32>x);
    return f64x2.splat(<f64>x);
  }
  if (sizeof<T>() == 8) return i64x2.splat(<i64>x);
  if (sizeof<T>() == 4) return i32x4.splat(<i32>x);
  return i8x16.splat(<i8>x);
}

/** Converts a kernel parameter (always passed as f64) to T the way PyTorch casts a scalar. */
@inline export function fromF64<T>(x: f64): T {
  if (isFloat<T>()) return <T>x;
  // PyTorch holds integer scalars as int64 and wraps them into narrower dtypes
  // (int32 + 3e9 wraps); converting f64 straight to i32 would saturate instead
  return <T>(<i64>x);
}

@inline export function isF32<T>(): bool {
  return isFloat<T>() && sizeof<T>() == 4;
}

@inline export function isF64<T>(): bool {
  return isFloat<T>() && sizeof<T>() == 8;
}

/** The current odometer index of outer dimension d (d < nd-1) during a row walk. */
@inline export function rowIndex(meta: usize, nd: i32, nops: i32, d: i32): i32 {
  return geti(idxBase(meta, nd, nops), d);
}
