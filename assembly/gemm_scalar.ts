// GEMM for the build without SIMD: C (+)= A @ B with a 4x4 block of
// scalar accumulators walking k. Slower than the packed SIMD kernel, but
// every runtime can load it.
@inline function at<T>(p: usize, i: i32): T {
  return load<T>(p + <usize>i * sizeof<T>());
}

export function gemmScalar<T>(batch: i32, M: i32, N: i32, K: i32, meta: usize, A: usize, B: usize, C: usize, accumulate: i32): void {
  const sAb = load<i32>(meta), sAm = load<i32>(meta, 4), sAk = load<i32>(meta, 8);
  const sBb = load<i32>(meta, 12), sBk = load<i32>(meta, 16), sBn = load<i32>(meta, 20);
  const sCb = load<i32>(meta, 24), sCm = load<i32>(meta, 28), sCn = load<i32>(meta, 32);
  const sz = <usize>sizeof<T>();
  for (let b = 0; b < batch; b++) {
    const a = A + <usize>(b * sAb) * sz, bb = B + <usize>(b * sBb) * sz, c = C + <usize>(b * sCb) * sz;
    for (let i0 = 0; i0 < M; i0 += 4) {
      const mi = min(4, M - i0);
      for (let j0 = 0; j0 < N; j0 += 4) {
        const nj = min(4, N - j0);
        if (mi == 4 && nj == 4) {
          let c00 = <T>0, c01 = <T>0, c02 = <T>0, c03 = <T>0, c10 = <T>0, c11 = <T>0, c12 = <T>0, c13 = <T>0;
          let c20 = <T>0, c21 = <T>0, c22 = <T>0, c23 = <T>0, c30 = <T>0, c31 = <T>0, c32 = <T>0, c33 = <T>0;
          for (let k = 0; k < K; k++) {
            const a0 = at<T>(a, i0 * sAm + k * sAk), a1 = at<T>(a, (i0 + 1) * sAm + k * sAk);
            const a2 = at<T>(a, (i0 + 2) * sAm + k * sAk), a3 = at<T>(a, (i0 + 3) * sAm + k * sAk);
            const b0 = at<T>(bb, k * sBk + j0 * sBn), b1 = at<T>(bb, k * sBk + (j0 + 1) * sBn);
            const b2 = at<T>(bb, k * sBk + (j0 + 2) * sBn), b3 = at<T>(bb, k * sBk + (j0 + 3) * sBn);
            c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
            c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
            c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
            c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
          }
          put<T>(c, i0 * sCm + j0 * sCn, sCn, c00, c01, c02, c03, accumulate);
          put<T>(c, (i0 + 1) * sCm + j0 * sCn, sCn, c10, c11, c12, c13, accumulate);
          put<T>(c, (i0 + 2) * sCm + j0 * sCn, sCn, c20, c21, c22, c23, accumulate);
          put<T>(c, (i0 + 3) * sCm + j0 * sCn, sCn, c30, c31, c32, c33, accumulate);
          continue;
        }
        for (let i = i0; i < i0 + mi; i++) {
          for (let j = j0; j < j0 + nj; j++) {
            let s = <T>0;
            for (let k = 0; k < K; k++) s += at<T>(a, i * sAm + k * sAk) * at<T>(bb, k * sBk + j * sBn);
            const p = c + <usize>(i * sCm + j * sCn) * sz;
            store<T>(p, accumulate ? load<T>(p) + s : s);
          }
        }
      }
    }
  }
}

@inline function put<T>(c: usize, off: i32, step: i32, v0: T, v1: T, v2: T, v3: T, accumulate: i32): void {
  const sz = <usize>sizeof<T>();
  const p = c + <usize>off * sz, s = <usize>step * sz;
  if (accumulate) {
    v0 += load<T>(p); v1 += load<T>(p + s); v2 += load<T>(p + 2 * s); v3 += load<T>(p + 3 * s);
  }
  store<T>(p, v0); store<T>(p + s, v1); store<T>(p + 2 * s, v2); store<T>(p + 3 * s, v3);
}
