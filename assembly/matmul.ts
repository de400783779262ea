// Packed, register-tiled GEMM: C[b] (+)= A[b] @ B[b] for every batch b.
// Operands are read through element strides, so transposed and sliced
// views cost one packing pass, never a separate copy. Loop nest after
// BLIS: B is packed into NR-wide panels per (jc, pc) block, A into
// MR-tall panels per (ic, pc) block, and a 4 x NR micro-kernel keeps the
// C tile in eight v128 registers while it streams both panels. One-row
// products skip all that and stream B (gemv.ts).
//
// V8 traps to know (x64, TurboFan):
// - it schedules every load of a basic block before the arithmetic, so the
//   loads of one k step and the eight accumulators are all live at once:
//   4 splats + 2 B vectors + 8 accumulators + 1 product fill the 15 xmm
//   registers it allocates. Bigger tiles spill, and so does a k loop
//   unrolled within one block: the micro-kernel puts each step in its own.
// - a constant added to an address is folded into the instruction only
//   when it is the load's immediate offset, so panel loads use offsets;
//   for splat loads it still costs a register per distinct offset.
//
// meta (i32, element strides): sAb sAm sAk | sBb sBk sBn | sCb sCm sCn
// ws: workspace from TypeScript, WS_BYTES<T>() big, 16-byte aligned.

import { lanes } from './common';
import { gemvRow, vmadd, vadd } from './gemv';
import { gemmScalar } from './gemm_scalar';

const MR = 4;
const KC = 256;
const MC = 64;
const NC = 1024;

@inline function nrOf<T>(): i32 {
  return 2 * lanes<T>();
}

/** Workspace bytes: the C edge tile, one packed A block and one packed B block. */
@inline function wsBytes<T>(): i32 {
  return (MR * nrOf<T>() + MC * KC + KC * NC) * <i32>sizeof<T>();
}

export function gemm_ws_bytes(itemSize: i32): i32 {
  if (itemSize == 8) return wsBytes<f64>();
  return wsBytes<f32>();
}

/** Element i of a packed A row, splatted; the offset is the load's immediate. */
@inline function splat0<T>(p: usize): v128 {
  return sizeof<T>() == 4 ? v128.load32_splat(p) : v128.load64_splat(p);
}
@inline function splat1<T>(p: usize): v128 {
  return sizeof<T>() == 4 ? v128.load32_splat(p, 4) : v128.load64_splat(p, 8);
}
@inline function splat2<T>(p: usize): v128 {
  return sizeof<T>() == 4 ? v128.load32_splat(p, 8) : v128.load64_splat(p, 16);
}
@inline function splat3<T>(p: usize): v128 {
  return sizeof<T>() == 4 ? v128.load32_splat(p, 12) : v128.load64_splat(p, 24);
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

/** Packs an mc x kc block of A into MR-row panels: panel[k * MR + i], zero-padded. */
@inline function packA<T>(dst: usize, a: usize, mc: i32, kc: i32, sAm: i32, sAk: i32): void {
  const sz = <usize>sizeof<T>();
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
        dst += row;
      }
      continue;
    }
    if (rows == MR && sAk == 1) {
      // rows of A are contiguous: transpose them into the panel, one v128 of rows at a time
      const lineStep = <usize>sAm * sz;
      gatherLines<T>(dst, row, src, lineStep, kc);
      if (sizeof<T>() == 8) gatherLines<T>(dst + 16, row, src + 2 * lineStep, lineStep, kc);
      dst += <usize>kc * row;
      continue;
    }
    // ragged or doubly strided: zero the panel, then copy the rows that exist
    packScalar<T>(dst, row, kc, src, <usize>sAk * sz, rows, <usize>sAm * sz);
    dst += <usize>kc * row;
  }
}

/** Packs a kc x nc block of B into NR-column panels: panel[k * NR + j], zero-padded. */
@inline function packB<T>(dst: usize, b: usize, kc: i32, nc: i32, sBk: i32, sBn: i32): void {
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
 * The general packing case: a panel of `kc` rows of `row` (16 or 32) bytes,
 * zeroed, then `lines` lines of the source (`lineStep` bytes apart,
 * stepping `kStep` bytes per k) written into the first `lines` slots of each row.
 */
@inline function packScalar<T>(dst: usize, row: usize, kc: i32, src: usize, kStep: usize, lines: i32, lineStep: usize): void {
  const sz = <usize>sizeof<T>();
  const zero = i64x2.splat(0);
  for (let k = 0; k < kc; k++) {
    v128.store(dst + <usize>k * row, zero);
    if (row == 32) v128.store(dst + <usize>k * row, zero, 16);
  }
  let i = 0;
  if (lineStep == sz && lines >= lanes<T>()) {
    // the lines are neighbours (the ragged end of a row-major B): one v128 of them per row
    for (let k = 0; k < kc; k++) v128.store(dst + <usize>k * row, v128.load(src + <usize>k * kStep));
    i = lanes<T>();
  }
  for (; i < lines; i++) {
    let d = dst + <usize>i * sz, p = src + <usize>i * lineStep;
    for (let k = 0; k < kc; k++) {
      store<T>(d, load<T>(p));
      d += row;
      p += kStep;
    }
  }
}

/** One MR x NR tile of C from packed panels; `add` keeps what C already holds. */
@inline function micro<T>(kc: i32, ap: usize, bp: usize, c: usize, sCm: i32, sCn: i32, mr: i32, nr: i32, add: bool, tile: usize): void {
  const sz = <usize>sizeof<T>();
  const NR = nrOf<T>();
  let c00 = i64x2.splat(0), c01 = i64x2.splat(0), c10 = i64x2.splat(0), c11 = i64x2.splat(0);
  let c20 = i64x2.splat(0), c21 = i64x2.splat(0), c30 = i64x2.splat(0), c31 = i64x2.splat(0);
  const aStep = <usize>MR * sz;
  const end = ap + <usize>kc * aStep;
  // Three k steps per trip, each its own basic block (the exits between them),
  // so V8 cannot hoist all their loads to the top and spill. Each step reads A
  // through its own pointer with the same splat offsets, which V8 folds into
  // three hoisted bases; B offsets fold into the loads themselves.
  while (true) {
    let b0 = v128.load(bp), b1 = v128.load(bp, 16);
    let a = splat0<T>(ap);
    c00 = vmadd<T>(c00, a, b0); c01 = vmadd<T>(c01, a, b1);
    a = splat1<T>(ap);
    c10 = vmadd<T>(c10, a, b0); c11 = vmadd<T>(c11, a, b1);
    a = splat2<T>(ap);
    c20 = vmadd<T>(c20, a, b0); c21 = vmadd<T>(c21, a, b1);
    a = splat3<T>(ap);
    c30 = vmadd<T>(c30, a, b0); c31 = vmadd<T>(c31, a, b1);
    const ap1 = ap + aStep;
    if (ap1 >= end) break;
    b0 = v128.load(bp, 32); b1 = v128.load(bp, 48);
    a = splat0<T>(ap1);
    c00 = vmadd<T>(c00, a, b0); c01 = vmadd<T>(c01, a, b1);
    a = splat1<T>(ap1);
    c10 = vmadd<T>(c10, a, b0); c11 = vmadd<T>(c11, a, b1);
    a = splat2<T>(ap1);
    c20 = vmadd<T>(c20, a, b0); c21 = vmadd<T>(c21, a, b1);
    a = splat3<T>(ap1);
    c30 = vmadd<T>(c30, a, b0); c31 = vmadd<T>(c31, a, b1);
    const ap2 = ap1 + aStep;
    if (ap2 >= end) break;
    b0 = v128.load(bp, 64); b1 = v128.load(bp, 80);
    a = splat0<T>(ap2);
    c00 = vmadd<T>(c00, a, b0); c01 = vmadd<T>(c01, a, b1);
    a = splat1<T>(ap2);
    c10 = vmadd<T>(c10, a, b0); c11 = vmadd<T>(c11, a, b1);
    a = splat2<T>(ap2);
    c20 = vmadd<T>(c20, a, b0); c21 = vmadd<T>(c21, a, b1);
    a = splat3<T>(ap2);
    c30 = vmadd<T>(c30, a, b0); c31 = vmadd<T>(c31, a, b1);
    ap = ap2 + aStep;
    bp += 96;
    if (ap >= end) break;
  }
  if (nr == NR && sCn == 1) {
    // full-width rows: vector stores for the rows that exist
    const rs = <usize>sCm * sz;
    if (add) {
      c00 = vadd<T>(c00, v128.load(c)); c01 = vadd<T>(c01, v128.load(c, 16));
    }
    v128.store(c, c00); v128.store(c, c01, 16);
    if (mr < 2) return;
    c += rs;
    if (add) {
      c10 = vadd<T>(c10, v128.load(c)); c11 = vadd<T>(c11, v128.load(c, 16));
    }
    v128.store(c, c10); v128.store(c, c11, 16);
    if (mr < 3) return;
    c += rs;
    if (add) {
      c20 = vadd<T>(c20, v128.load(c)); c21 = vadd<T>(c21, v128.load(c, 16));
    }
    v128.store(c, c20); v128.store(c, c21, 16);
    if (mr < 4) return;
    c += rs;
    if (add) {
      c30 = vadd<T>(c30, v128.load(c)); c31 = vadd<T>(c31, v128.load(c, 16));
    }
    v128.store(c, c30); v128.store(c, c31, 16);
    return;
  }
  // edge or strided tile: spill to the workspace tile, then copy what is in range
  const row = <usize>NR * sz;
  v128.store(tile, c00); v128.store(tile, c01, 16);
  v128.store(tile + row, c10); v128.store(tile + row, c11, 16);
  v128.store(tile + 2 * row, c20); v128.store(tile + 2 * row, c21, 16);
  v128.store(tile + 3 * row, c30); v128.store(tile + 3 * row, c31, 16);
  for (let i = 0; i < mr; i++) {
    const t = tile + <usize>i * row, r = c + <usize>(i * sCm) * sz;
    let j = 0;
    if (sCn == 1 && nr >= lanes<T>()) {
      const v = v128.load(t);
      v128.store(r, add ? vadd<T>(v, v128.load(r)) : v);
      j = lanes<T>();
    }
    for (; j < nr; j++) {
      const p = r + <usize>(j * sCn) * sz;
      const v = load<T>(t + <usize>j * sz);
      store<T>(p, add ? load<T>(p) + v : v);
    }
  }
}

function gemmWalk<T>(batch: i32, M: i32, N: i32, K: i32, meta: usize, A: usize, B: usize, C: usize, ws: usize, accumulate: i32): void {
  if (ASC_FEATURE_SIMD) gemmSimd<T>(batch, M, N, K, meta, A, B, C, ws, accumulate);
  else gemmScalar<T>(batch, M, N, K, meta, A, B, C, accumulate);
}

function gemmSimd<T>(batch: i32, M: i32, N: i32, K: i32, meta: usize, A: usize, B: usize, C: usize, ws: usize, accumulate: i32): void {
  const sz = <usize>sizeof<T>();
  const sAb = load<i32>(meta), sAm = load<i32>(meta, 4), sAk = load<i32>(meta, 8);
  const sBb = load<i32>(meta, 12), sBk = load<i32>(meta, 16), sBn = load<i32>(meta, 20);
  const sCb = load<i32>(meta, 24), sCm = load<i32>(meta, 28), sCn = load<i32>(meta, 32);
  const NR = nrOf<T>();
  const tile = ws;
  const packedA = ws + <usize>(MR * NR) * sz;
  const packedB = packedA + <usize>(MC * KC) * sz;
  for (let b = 0; b < batch; b++) {
    const a = A + <usize>(b * sAb) * sz, bb = B + <usize>(b * sBb) * sz, c = C + <usize>(b * sCb) * sz;
    if (K == 0) {
      // an empty inner dimension still defines C: zeros (or C unchanged when accumulating)
      if (!accumulate) for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) store<T>(c + <usize>(i * sCm + j * sCn) * sz, <T>0);
      continue;
    }
    if (M == 1 && gemvRow<T>(N, K, a, sAk, bb, sBk, sBn, c, sCn, accumulate != 0, packedA, MC * KC + KC * NC)) continue;
    for (let jc = 0; jc < N; jc += NC) {
      const nc = min(NC, N - jc);
      for (let pc = 0; pc < K; pc += KC) {
        const kc = min(KC, K - pc);
        packB<T>(packedB, bb + <usize>(pc * sBk + jc * sBn) * sz, kc, nc, sBk, sBn);
        const add = accumulate != 0 || pc > 0;
        for (let ic = 0; ic < M; ic += MC) {
          const mc = min(MC, M - ic);
          packA<T>(packedA, a + <usize>(ic * sAm + pc * sAk) * sz, mc, kc, sAm, sAk);
          for (let jr = 0; jr < nc; jr += NR) {
            const nr = min(NR, nc - jr);
            const bp = packedB + <usize>(jr * kc) * sz;
            for (let ir = 0; ir < mc; ir += MR) {
              const mr = min(MR, mc - ir);
              const cp = c + <usize>((ic + ir) * sCm + (jc + jr) * sCn) * sz;
              micro<T>(kc, packedA + <usize>(ir * kc) * sz, bp, cp, sCm, sCn, mr, nr, add, tile);
            }
          }
        }
      }
    }
  }
}

export function gemm_f32(batch: i32, M: i32, N: i32, K: i32, meta: usize, A: usize, B: usize, C: usize, ws: usize, acc: i32): void { gemmWalk<f32>(batch, M, N, K, meta, A, B, C, ws, acc); }
export function gemm_f64(batch: i32, M: i32, N: i32, K: i32, meta: usize, A: usize, B: usize, C: usize, ws: usize, acc: i32): void { gemmWalk<f64>(batch, M, N, K, meta, A, B, C, ws, acc); }
export function gemm_i32(batch: i32, M: i32, N: i32, K: i32, meta: usize, A: usize, B: usize, C: usize, ws: usize, acc: i32): void { gemmWalk<i32>(batch, M, N, K, meta, A, B, C, ws, acc); }
export function gemm_i64(batch: i32, M: i32, N: i32, K: i32, meta: usize, A: usize, B: usize, C: usize, ws: usize, acc: i32): void { gemmWalk<i64>(batch, M, N, K, meta, A, B, C, ws, acc); }
