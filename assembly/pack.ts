// Packing for the GEMM kernel (matmul.ts): copies blocks of A and B into
// the panel layouts its micro-kernels stream. Operands are read through
// element strides, so transposed and sliced views cost this one pass,
// never a separate copy. Not a module entry: matmul.ts imports it.

import { lanes, isF32 } from './common';

/**
 * Rows of the register tile. The relaxed build's float32 kernel keeps a
 * 5 x 8 tile (ten accumulators): with fused multiply-adds of 4-cycle latency
 * issued two a cycle, eight accumulators leave the FMA units idle part of the
 * time and ten keep them busy. Everywhere else the tile is 4 rows.
 */
@inline export function mrOf<T>(): i32 {
  return ASC_FEATURE_RELAXED_SIMD && isF32<T>() ? 5 : 4;
}

/** Columns of the register tile: two v128 of T. */
@inline export function nrOf<T>(): i32 {
  return 2 * lanes<T>();
}

export const KC = 256;
export const NC = 1024;

/** Rows of A packed per block: 16 register tiles. */
@inline export function mcOf<T>(): i32 {
  return 16 * mrOf<T>();
}

/** 4x4 transpose of 32-bit lanes: rows r0..r3 in, columns stored at dst, dst+step, ... */
@inline function transpose4x4Store(dst: usize, step: usize, r0: v128, r1: v128, r2: v128, r3: v128): void {
  const t0 = i32x4.shuffle(r0, r1, 0, 4, 1, 5), t1 = i32x4.shuffle(r0, r1, 2, 6, 3, 7);
  const t2 = i32x4.shuffle(r2, r3, 0, 4, 1, 5), t3 = i32x4.shuffle(r2, r3, 2, 6, 3, 7);
  v128.store(dst, i64x2.shuffle(t0, t2, 0, 2));
  v128.store(dst + step, i64x2.shuffle(t0, t2, 1, 3));
  v128.store(dst + 2 * step, i64x2.shuffle(t1, t3, 0, 2));
  v128.store(dst + 3 * step, i64x2.shuffle(t1, t3, 1, 3));
}

/**
 * Gathers `count` (= one v128 of T) strided lines into interleaved rows:
 * dst[k * rowBytes + i] = line_i[k] for k < kc, where line i starts at
 * src + i * lineStep and steps by one element. This is the transpose that
 * packing a row-major A or a column-major (transposed) B needs.
 */
@inline function gatherLines<T>(dst: usize, rowBytes: usize, src: usize, lineStep: usize, kc: i32): void {
  const sz = <usize>sizeof<T>();
  let k = 0;
  if (sizeof<T>() == 4) {
    for (; k + 4 <= kc; k += 4) {
      const p = src + <usize>k * sz;
      transpose4x4Store(dst, rowBytes, v128.load(p), v128.load(p + lineStep), v128.load(p + 2 * lineStep), v128.load(p + 3 * lineStep));
      dst += 4 * rowBytes;
    }
  } else {
    for (; k + 2 <= kc; k += 2) {
      const p = src + <usize>k * sz;
      const r0 = v128.load(p), r1 = v128.load(p + lineStep);
      v128.store(dst, i64x2.shuffle(r0, r1, 0, 2));
      v128.store(dst + rowBytes, i64x2.shuffle(r0, r1, 1, 3));
      dst += 2 * rowBytes;
    }
  }
  for (; k < kc; k++) {
    for (let i = 0; i < lanes<T>(); i++) store<T>(dst + <usize>i * sz, load<T>(src + <usize>i * lineStep + <usize>k * sz));
    dst += rowBytes;
  }
}

/** dst[k * rowBytes] = src[k * step] for k < kc: one line of a panel. */
@inline function copyLine<T>(dst: usize, rowBytes: usize, src: usize, step: usize, kc: i32): void {
  for (let k = 0; k < kc; k++) {
    store<T>(dst, load<T>(src));
    dst += rowBytes;
    src += step;
  }
}

/** Packs an mc x kc block of A into MR-row panels: panel[k * MR + i], zero-padded. */
export function packA<T>(dst: usize, a: usize, mc: i32, kc: i32, sAm: i32, sAk: i32): void {
  const sz = <usize>sizeof<T>();
  const MR = mrOf<T>();
  const row = <usize>MR * sz;
  for (let i0 = 0; i0 < mc; i0 += MR) {
    const rows = min(MR, mc - i0);
    const src = a + <usize>(i0 * sAm) * sz;
    if (rows == MR && sAm == 1) {
      // columns of A are contiguous (A is a transposed view): copy MR at a time
      for (let k = 0; k < kc; k++) {
        const p = src + <usize>(k * sAk) * sz;
        v128.store(dst, v128.load(p));
        if (sizeof<T>() == 8) v128.store(dst, v128.load(p, 16), 16);
        else if (MR == 5) store<T>(dst, load<T>(p, 16), 16);
        dst += row;
      }
      continue;
    }
    if (rows == MR && sAk == 1) {
      // rows of A are contiguous: transpose them into the panel, one v128 of rows at a time
      const lineStep = <usize>sAm * sz;
      gatherLines<T>(dst, row, src, lineStep, kc);
      if (sizeof<T>() == 8) gatherLines<T>(dst + 16, row, src + 2 * lineStep, lineStep, kc);
      else if (MR == 5) copyLine<T>(dst + 16, row, src + 4 * lineStep, sz, kc);
      dst += <usize>kc * row;
      continue;
    }
    // ragged or doubly strided: zero the panel, then copy the rows that exist
    packScalar<T>(dst, row, kc, src, <usize>sAk * sz, rows, <usize>sAm * sz);
    dst += <usize>kc * row;
  }
}

/** Packs a kc x nc block of B into NR-column panels: panel[k * NR + j], zero-padded. */
export function packB<T>(dst: usize, b: usize, kc: i32, nc: i32, sBk: i32, sBn: i32): void {
  const sz = <usize>sizeof<T>();
  const NR = nrOf<T>();
  const row = <usize>NR * sz;
  for (let j0 = 0; j0 < nc; j0 += NR) {
    const cols = min(NR, nc - j0);
    const src = b + <usize>(j0 * sBn) * sz;
    if (cols == NR && sBn == 1) {
      for (let k = 0; k < kc; k++) {
        const p = src + <usize>(k * sBk) * sz;
        v128.store(dst, v128.load(p));
        v128.store(dst, v128.load(p, 16), 16);
        dst += row;
      }
      continue;
    }
    if (cols == NR && sBk == 1) {
      // columns of B are contiguous (B is a transposed view): transpose half a panel at a time
      const lineStep = <usize>sBn * sz;
      gatherLines<T>(dst, row, src, lineStep, kc);
      gatherLines<T>(dst + 16, row, src + <usize>lanes<T>() * lineStep, lineStep, kc);
      dst += <usize>kc * row;
      continue;
    }
    packScalar<T>(dst, row, kc, src, <usize>sBk * sz, cols, <usize>sBn * sz);
    dst += <usize>kc * row;
  }
}

/**
 * The general packing case: a panel of `kc` rows of `row` bytes (a multiple
 * of 4), zeroed, then `lines` lines of the source (`lineStep` bytes apart,
 * stepping `kStep` bytes per k) written into the first `lines` slots of each row.
 */
@inline function packScalar<T>(dst: usize, row: usize, kc: i32, src: usize, kStep: usize, lines: i32, lineStep: usize): void {
  const sz = <usize>sizeof<T>();
  const bytes = <usize>kc * row;
  let o: usize = 0;
  for (; o + 16 <= bytes; o += 16) v128.store(dst + o, i64x2.splat(0));
  for (; o < bytes; o += 4) store<u32>(dst + o, 0);
  let i = 0;
  if (lineStep == sz && lines >= lanes<T>()) {
    // the lines are neighbours (the ragged end of a row-major B): one v128 of them per row
    for (let k = 0; k < kc; k++) v128.store(dst + <usize>k * row, v128.load(src + <usize>k * kStep));
    i = lanes<T>();
  }
  for (; i < lines; i++) copyLine<T>(dst + <usize>i * sz, row, src + <usize>i * lineStep, kStep, kc);
}
