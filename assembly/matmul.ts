// Packed, register-tiled GEMM: C[b] (+)= A[b] @ B[b] for every batch b.
// Operands are read through element strides, so transposed and sliced
// views cost one packing pass, never a separate copy. Loop nest after
// BLIS: B is packed into NR-wide panels per (jc, pc) block, A into
// MR-tall panels per (ic, pc) block, and a 4 x NR micro-kernel keeps the
// C tile in eight v128 registers while it streams both panels.
//
// meta (i32, element strides): sAb sAm sAk | sBb sBk sBn | sCb sCm sCn
// ws: workspace from TypeScript, WS_BYTES<T>() big, 16-byte aligned.

import { lanes, isF32, isF64 } from './common';

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

@inline function vmadd<T>(acc: v128, a: v128, b: v128): v128 {
  if (isF32<T>()) return f32x4.add(acc, f32x4.mul(a, b));
  if (isF64<T>()) return f64x2.add(acc, f64x2.mul(a, b));
  if (sizeof<T>() == 4) return i32x4.add(acc, i32x4.mul(a, b));
  return i64x2.add(acc, i64x2.mul(a, b));
}

@inline function vadd<T>(a: v128, b: v128): v128 {
  if (isF32<T>()) return f32x4.add(a, b);
  if (isF64<T>()) return f64x2.add(a, b);
  if (sizeof<T>() == 4) return i32x4.add(a, b);
  return i64x2.add(a, b);
}

@inline function splatLoad<T>(p: usize): v128 {
  if (sizeof<T>() == 4) return v128.load32_splat(p);
  return v128.load64_splat(p);
}

/** Packs an mc x kc block of A into MR-row panels: panel[k * MR + i], zero-padded. */
@inline function packA<T>(dst: usize, a: usize, mc: i32, kc: i32, sAm: i32, sAk: i32): void {
  const sz = <usize>sizeof<T>();
  for (let i0 = 0; i0 < mc; i0 += MR) {
    const rows = min(MR, mc - i0);
    const src = a + <usize>(i0 * sAm) * sz;
    if (rows == MR && sAm == 1) {
      // columns of A are contiguous (A is a transposed view): copy MR at a time
      for (let k = 0; k < kc; k++) {
        v128.store(dst, v128.load(src + <usize>(k * sAk) * sz));
        if (sizeof<T>() == 8) v128.store(dst + 16, v128.load(src + <usize>(k * sAk) * sz + 16));
        dst += <usize>MR * sz;
      }
      continue;
    }
    for (let k = 0; k < kc; k++) {
      for (let i = 0; i < MR; i++) {
        store<T>(dst + <usize>i * sz, i < rows ? load<T>(src + <usize>(i * sAm + k * sAk) * sz) : <T>0);
      }
      dst += <usize>MR * sz;
    }
  }
}

/** Packs a kc x nc block of B into NR-column panels: panel[k * NR + j], zero-padded. */
@inline function packB<T>(dst: usize, b: usize, kc: i32, nc: i32, sBk: i32, sBn: i32): void {
  const sz = <usize>sizeof<T>();
  const NR = nrOf<T>();
  for (let j0 = 0; j0 < nc; j0 += NR) {
    const cols = min(NR, nc - j0);
    const src = b + <usize>(j0 * sBn) * sz;
    if (cols == NR && sBn == 1) {
      for (let k = 0; k < kc; k++) {
        const p = src + <usize>(k * sBk) * sz;
        v128.store(dst, v128.load(p));
        v128.store(dst + 16, v128.load(p + 16));
        dst += <usize>NR * sz;
      }
      continue;
    }
    for (let k = 0; k < kc; k++) {
      for (let j = 0; j < NR; j++) {
        store<T>(dst + <usize>j * sz, j < cols ? load<T>(src + <usize>(k * sBk + j * sBn) * sz) : <T>0);
      }
      dst += <usize>NR * sz;
    }
  }
}

/** One MR x NR tile of C from packed panels; `add` keeps what C already holds. */
@inline function micro<T>(kc: i32, ap: usize, bp: usize, c: usize, sCm: i32, sCn: i32, mr: i32, nr: i32, add: bool, tile: usize): void {
  const sz = <usize>sizeof<T>();
  const NR = nrOf<T>();
  let c00 = i64x2.splat(0), c01 = i64x2.splat(0), c10 = i64x2.splat(0), c11 = i64x2.splat(0);
  let c20 = i64x2.splat(0), c21 = i64x2.splat(0), c30 = i64x2.splat(0), c31 = i64x2.splat(0);
  for (let k = 0; k < kc; k++) {
    const b0 = v128.load(bp), b1 = v128.load(bp + 16);
    const a0 = splatLoad<T>(ap), a1 = splatLoad<T>(ap + sz);
    c00 = vmadd<T>(c00, a0, b0);
    c01 = vmadd<T>(c01, a0, b1);
    c10 = vmadd<T>(c10, a1, b0);
    c11 = vmadd<T>(c11, a1, b1);
    const a2 = splatLoad<T>(ap + 2 * sz), a3 = splatLoad<T>(ap + 3 * sz);
    c20 = vmadd<T>(c20, a2, b0);
    c21 = vmadd<T>(c21, a2, b1);
    c30 = vmadd<T>(c30, a3, b0);
    c31 = vmadd<T>(c31, a3, b1);
    ap += <usize>MR * sz;
    bp += <usize>NR * sz;
  }
  if (mr == MR && nr == NR && sCn == 1) {
    const rs = <usize>sCm * sz;
    if (add) {
      c00 = vadd<T>(c00, v128.load(c)); c01 = vadd<T>(c01, v128.load(c + 16));
      c10 = vadd<T>(c10, v128.load(c + rs)); c11 = vadd<T>(c11, v128.load(c + rs + 16));
      c20 = vadd<T>(c20, v128.load(c + 2 * rs)); c21 = vadd<T>(c21, v128.load(c + 2 * rs + 16));
      c30 = vadd<T>(c30, v128.load(c + 3 * rs)); c31 = vadd<T>(c31, v128.load(c + 3 * rs + 16));
    }
    v128.store(c, c00); v128.store(c + 16, c01);
    v128.store(c + rs, c10); v128.store(c + rs + 16, c11);
    v128.store(c + 2 * rs, c20); v128.store(c + 2 * rs + 16, c21);
    v128.store(c + 3 * rs, c30); v128.store(c + 3 * rs + 16, c31);
    return;
  }
  // edge or strided tile: spill to the workspace tile, then copy what is in range
  const row = <usize>NR * sz;
  v128.store(tile, c00); v128.store(tile + 16, c01);
  v128.store(tile + row, c10); v128.store(tile + row + 16, c11);
  v128.store(tile + 2 * row, c20); v128.store(tile + 2 * row + 16, c21);
  v128.store(tile + 3 * row, c30); v128.store(tile + 3 * row + 16, c31);
  for (let i = 0; i < mr; i++) {
    for (let j = 0; j < nr; j++) {
      const p = c + <usize>(i * sCm + j * sCn) * sz;
      const v = load<T>(tile + <usize>(i * NR + j) * sz);
      store<T>(p, add ? load<T>(p) + v : v);
    }
  }
}

function gemmWalk<T>(batch: i32, M: i32, N: i32, K: i32, meta: usize, A: usize, B: usize, C: usize, ws: usize, accumulate: i32): void {
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
