// Packed, register-tiled GEMM: C[b] (+)= A[b] @ B[b] for every batch b.
// Loop nest after BLIS: B is packed into NR-wide panels per (jc, pc) block,
// A into MR-tall panels per (ic, pc) block (pack.ts), and a micro-kernel
// keeps an MR x NR tile of C in v128 registers while it streams both
// panels: 4 x 8 (eight accumulators), or 5 x 8 in the relaxed build's
// float32 kernel (see mrOf). One-row products skip all that and stream B
// (gemv.ts).
//
// V8 traps to know (x64, TurboFan):
// - it schedules every load of a basic block before the arithmetic, so the
//   loads of one k step and the accumulators are all live at once, and it
//   allocates 15 xmm registers. 4 x 8 with splat loads: 4 splats + 2 B
//   vectors + 8 accumulators + 1 product. 5 x 8 (fused, no product): one
//   vector load of four A values whose lanes are splatted by shuffles (pure
//   operations, which V8 places right before their use) + 1 splat load +
//   2 B vectors + 10 accumulators + 1 shuffled lane. Five splat loads
//   instead spill two accumulators; shuffles in the unfused build cost more
//   than its splat loads (they share ports with the adds). A k loop unrolled
//   within one block spills too: the micro-kernels put each step in its own.
// - a constant added to an address is folded into the instruction only
//   when it is the load's immediate offset, so panel loads use offsets;
//   for splat loads it still costs a register per distinct offset.
//
// meta (i32, element strides): sAb sAm sAk | sBb sBk sBn | sCb sCm sCn
// ws: workspace from TypeScript, gemm_ws_bytes() big, 16-byte aligned.

import { lanes } from './common';
import { gemvRow, vmadd, vadd } from './gemv';
import { gemmScalar } from './gemm_scalar';
import { mrOf, nrOf, mcOf, KC, NC, packA, packB } from './pack';

/** Workspace bytes: one row of a C edge tile, one packed A block and one packed B block. */
@inline function wsBytes<T>(): i32 {
  return (nrOf<T>() + mcOf<T>() * KC + KC * NC) * <i32>sizeof<T>();
}

/** Workspace bytes that serve every dtype's kernel. */
export function gemm_ws_bytes(): i32 {
  return max(wsBytes<f32>(), wsBytes<f64>());
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

/** Lane i of four 32-bit lanes, in every lane. */
@inline function lane0(v: v128): v128 { return i32x4.shuffle(v, v, 0, 0, 0, 0); }
@inline function lane1(v: v128): v128 { return i32x4.shuffle(v, v, 1, 1, 1, 1); }
@inline function lane2(v: v128): v128 { return i32x4.shuffle(v, v, 2, 2, 2, 2); }
@inline function lane3(v: v128): v128 { return i32x4.shuffle(v, v, 3, 3, 3, 3); }

/**
 * Writes one row (two v128 of T) of a C tile at r, `add` keeping what C holds:
 * vector stores for a full contiguous row, else through the workspace `tile`
 * row, copying the `nr` columns that are in range.
 */
@inline function putRow<T>(r: usize, sCn: i32, nr: i32, add: bool, v0: v128, v1: v128, tile: usize): void {
  const sz = <usize>sizeof<T>();
  if (nr == nrOf<T>() && sCn == 1) {
    if (add) {
      v0 = vadd<T>(v0, v128.load(r)); v1 = vadd<T>(v1, v128.load(r, 16));
    }
    v128.store(r, v0); v128.store(r, v1, 16);
    return;
  }
  v128.store(tile, v0); v128.store(tile, v1, 16);
  let j = 0;
  if (sCn == 1 && nr >= lanes<T>()) {
    v128.store(r, add ? vadd<T>(v0, v128.load(r)) : v0);
    j = lanes<T>();
  }
  for (; j < nr; j++) {
    const p = r + <usize>(j * sCn) * sz;
    const v = load<T>(tile + <usize>j * sz);
    store<T>(p, add ? load<T>(p) + v : v);
  }
}

/** One 4 x NR tile of C from packed panels; `add` keeps what C already holds. */
@inline function micro4<T>(kc: i32, ap: usize, bp: usize, c: usize, sCm: i32, sCn: i32, mr: i32, nr: i32, add: bool, tile: usize): void {
  const sz = <usize>sizeof<T>();
  let c00 = i64x2.splat(0), c01 = i64x2.splat(0), c10 = i64x2.splat(0), c11 = i64x2.splat(0);
  let c20 = i64x2.splat(0), c21 = i64x2.splat(0), c30 = i64x2.splat(0), c31 = i64x2.splat(0);
  const aStep = <usize>4 * sz;
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
  const rs = <usize>sCm * sz;
  putRow<T>(c, sCn, nr, add, c00, c01, tile);
  if (mr < 2) return;
  putRow<T>(c += rs, sCn, nr, add, c10, c11, tile);
  if (mr < 3) return;
  putRow<T>(c += rs, sCn, nr, add, c20, c21, tile);
  if (mr < 4) return;
  putRow<T>(c + rs, sCn, nr, add, c30, c31, tile);
}

/** One 5 x 8 float32 tile of C from packed panels (relaxed build); `add` keeps what C already holds. */
@inline function micro5<T>(kc: i32, ap: usize, bp: usize, c: usize, sCm: i32, sCn: i32, mr: i32, nr: i32, add: bool, tile: usize): void {
  let c00 = i64x2.splat(0), c01 = i64x2.splat(0), c10 = i64x2.splat(0), c11 = i64x2.splat(0);
  let c20 = i64x2.splat(0), c21 = i64x2.splat(0), c30 = i64x2.splat(0), c31 = i64x2.splat(0);
  let c40 = i64x2.splat(0), c41 = i64x2.splat(0);
  const aStep = <usize>20;
  const end = ap + <usize>kc * aStep;
  // as micro4: three k steps per trip, one basic block each
  while (true) {
    let b0 = v128.load(bp), b1 = v128.load(bp, 16);
    let av = v128.load(ap), a = lane0(av);
    c00 = vmadd<T>(c00, a, b0); c01 = vmadd<T>(c01, a, b1);
    a = lane1(av); c10 = vmadd<T>(c10, a, b0); c11 = vmadd<T>(c11, a, b1);
    a = lane2(av); c20 = vmadd<T>(c20, a, b0); c21 = vmadd<T>(c21, a, b1);
    a = lane3(av); c30 = vmadd<T>(c30, a, b0); c31 = vmadd<T>(c31, a, b1);
    a = v128.load32_splat(ap, 16); c40 = vmadd<T>(c40, a, b0); c41 = vmadd<T>(c41, a, b1);
    const ap1 = ap + aStep;
    if (ap1 >= end) break;
    b0 = v128.load(bp, 32); b1 = v128.load(bp, 48);
    av = v128.load(ap1); a = lane0(av);
    c00 = vmadd<T>(c00, a, b0); c01 = vmadd<T>(c01, a, b1);
    a = lane1(av); c10 = vmadd<T>(c10, a, b0); c11 = vmadd<T>(c11, a, b1);
    a = lane2(av); c20 = vmadd<T>(c20, a, b0); c21 = vmadd<T>(c21, a, b1);
    a = lane3(av); c30 = vmadd<T>(c30, a, b0); c31 = vmadd<T>(c31, a, b1);
    a = v128.load32_splat(ap1, 16); c40 = vmadd<T>(c40, a, b0); c41 = vmadd<T>(c41, a, b1);
    const ap2 = ap1 + aStep;
    if (ap2 >= end) break;
    b0 = v128.load(bp, 64); b1 = v128.load(bp, 80);
    av = v128.load(ap2); a = lane0(av);
    c00 = vmadd<T>(c00, a, b0); c01 = vmadd<T>(c01, a, b1);
    a = lane1(av); c10 = vmadd<T>(c10, a, b0); c11 = vmadd<T>(c11, a, b1);
    a = lane2(av); c20 = vmadd<T>(c20, a, b0); c21 = vmadd<T>(c21, a, b1);
    a = lane3(av); c30 = vmadd<T>(c30, a, b0); c31 = vmadd<T>(c31, a, b1);
    a = v128.load32_splat(ap2, 16); c40 = vmadd<T>(c40, a, b0); c41 = vmadd<T>(c41, a, b1);
    ap = ap2 + aStep;
    bp += 96;
    if (ap >= end) break;
  }
  const rs = <usize>sCm * 4;
  putRow<T>(c, sCn, nr, add, c00, c01, tile);
  if (mr < 2) return;
  putRow<T>(c += rs, sCn, nr, add, c10, c11, tile);
  if (mr < 3) return;
  putRow<T>(c += rs, sCn, nr, add, c20, c21, tile);
  if (mr < 4) return;
  putRow<T>(c += rs, sCn, nr, add, c30, c31, tile);
  if (mr < 5) return;
  putRow<T>(c + rs, sCn, nr, add, c40, c41, tile);
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
  const MR = mrOf<T>(), NR = nrOf<T>(), MC = mcOf<T>();
  const tile = ws;
  const packedA = ws + <usize>NR * sz;
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
              const ap = packedA + <usize>(ir * kc) * sz;
              if (MR == 5) micro5<T>(kc, ap, bp, cp, sCm, sCn, mr, nr, add, tile);
              else micro4<T>(kc, ap, bp, cp, sCm, sCn, mr, nr, add, tile);
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
