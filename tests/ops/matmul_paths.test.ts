// The GEMM kernel against a plain-JS triple loop, for every dtype it serves,
// across sizes that straddle the SIMD width, the register tile and the cache
// blocks, with contiguous, transposed, strided and broadcast operands.
import { describe, expect, it } from 'vitest';
import * as torch from 'torchlet';

type NumDType = 'float32' | 'float64' | 'int32' | 'int64';
type Layout = 'contig' | 'T' | 'step2' | 'rowpad';

const SIZES = [0, 1, 3, 4, 5, 15, 16, 17, 33, 100, 257];
const LAYOUTS: Layout[] = ['contig', 'T', 'step2', 'rowpad'];
const DTYPES: NumDType[] = ['float32', 'float64', 'int32', 'int64'];

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Row-major values of a rows x cols matrix: small integers for int dtypes, so sums stay exact. */
function values(n: number, dtype: NumDType, seed: number, big = false): number[] {
  const r = rng(seed);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    if (dtype === 'float32') out[i] = Math.fround(r() * 2 - 1);
    else if (dtype === 'float64') out[i] = r() * 2 - 1;
    else out[i] = big ? Math.floor(r() * 2 ** 31) - 2 ** 30 : Math.floor(r() * 7) - 3;
  }
  return out;
}

function fromFlat(vals: number[], shape: number[], dtype: NumDType): torch.Tensor {
  const data =
    dtype === 'float32' ? Float32Array.from(vals)
    : dtype === 'float64' ? Float64Array.from(vals)
    : dtype === 'int32' ? Int32Array.from(vals)
    : BigInt64Array.from(vals.map((v) => BigInt(v)));
  return torch.tensor(data, { dtype }).reshape(shape);
}

/** A rows x cols tensor holding `vals` (row-major) laid out in memory as `layout` says. */
function matrix(vals: number[], rows: number, cols: number, dtype: NumDType, layout: Layout): torch.Tensor {
  const at = (i: number, j: number) => vals[i * cols + j];
  const build = (r: number, c: number, f: (i: number, j: number) => number) => {
    const flat: number[] = [];
    for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) flat.push(f(i, j));
    return fromFlat(flat, [r, c], dtype);
  };
  switch (layout) {
    case 'contig':
      return fromFlat(vals, [rows, cols], dtype);
    case 'T':
      return build(cols, rows, (j, i) => at(i, j)).t();
    case 'step2': // every other element of each row: inner stride 2
      return build(rows, 2 * cols, (i, j) => (j % 2 ? -7 : at(i, j >> 1))).reshape(rows, cols, 2).select(2, 0);
    case 'rowpad': // a window into a wider matrix: row stride cols + 3, nonzero offset
      return build(rows, cols + 3, (i, j) => (j >= 1 && j <= cols ? at(i, j - 1) : 99)).narrow(1, 1, cols);
  }
}

/** The row-major values of the transpose of a rows x cols matrix. */
function transposeFlat(v: number[], rows: number, cols: number): number[] {
  return Array.from({ length: rows * cols }, (_, i) => v[(i % rows) * cols + Math.floor(i / rows)]);
}

function toNumbers(t: torch.Tensor): number[] {
  return Array.from(t.contiguous().toTypedArray() as ArrayLike<number | bigint>, (v) => Number(v));
}

/** C = A @ B in float64 (exact for the small int64 values used), or with int32 wrap-around. */
function reference(a: number[], b: number[], M: number, N: number, K: number, dtype: NumDType): number[] {
  const c = new Array<number>(M * N).fill(0);
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      if (dtype === 'int32') {
        let s = 0;
        for (let k = 0; k < K; k++) s = (s + Math.imul(a[i * K + k], b[k * N + j])) | 0;
        c[i * N + j] = s;
      } else {
        let s = 0;
        for (let k = 0; k < K; k++) s += a[i * K + k] * b[k * N + j];
        c[i * N + j] = s;
      }
    }
  }
  return c;
}

/** Per-element error bound: rounding in a length-K sum of |a||b| (zero for integer dtypes). */
function check(got: number[], want: number[], a: number[], b: number[], M: number, N: number, K: number, dtype: NumDType): void {
  expect(got.length).toBe(want.length);
  const eps = dtype === 'float32' ? 2 ** -23 : dtype === 'float64' ? 2 ** -52 : 0;
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      const g = got[i * N + j], w = want[i * N + j];
      if (eps === 0) {
        if (g !== w) expect(g, `C[${i},${j}]`).toBe(w);
        continue;
      }
      let mag = 0;
      for (let k = 0; k < K; k++) mag += Math.abs(a[i * K + k] * b[k * N + j]);
      const tol = 2 * (K + 2) * eps * mag + 1e-30;
      if (!(Math.abs(g - w) <= tol)) expect(Math.abs(g - w), `C[${i},${j}] = ${g}, want ${w}`).toBeLessThanOrEqual(tol);
    }
  }
}

function runCase(M: number, N: number, K: number, dtype: NumDType, la: Layout, lb: Layout, seed: number): void {
  const av = values(M * K, dtype, seed), bv = values(K * N, dtype, seed + 1);
  const A = matrix(av, M, K, dtype, la), B = matrix(bv, K, N, dtype, lb);
  const C = A.matmul(B);
  expect(C.shape).toEqual([M, N]);
  expect(C.dtype).toBe(dtype);
  check(toNumbers(C), reference(av, bv, M, N, K, dtype), av, bv, M, N, K, dtype);
  for (const t of [A, B, C]) t.dispose();
}

// Keep this first in the file: only a dtype's first few kernel calls are cut into row chunks
// (see src/devices/wasm/gemm.ts), and these products are big enough to be cut.
describe('gemm: the first, chunked calls', () => {
  for (const dtype of DTYPES) {
    it(`${dtype}: big first products split by rows`, () => {
      runCase(300, 300, 300, dtype, 'contig', 'T', 11);
      runCase(260, 301, 257, dtype, 'T', 'rowpad', 12);
      const Bt = 3, M = 300, K = 200, N = 300;
      const av = values(Bt * M * K, dtype, 13), bv = values(Bt * K * N, dtype, 14);
      const got = toNumbers(fromFlat(av, [Bt, M, K], dtype).bmm(fromFlat(bv, [Bt, K, N], dtype)));
      for (let b = 0; b < Bt; b++) {
        const ab = av.slice(b * M * K, (b + 1) * M * K), bb = bv.slice(b * K * N, (b + 1) * K * N);
        check(got.slice(b * M * N, (b + 1) * M * N), reference(ab, bb, M, N, K, dtype), ab, bb, M, N, K, dtype);
      }
    });
  }
});

describe('gemm: square sizes x operand layouts', () => {
  for (const dtype of DTYPES) {
    it(dtype, () => {
      let seed = 1;
      for (const n of SIZES) {
        // every layout pair at the small sizes, the contiguous/transposed pairs at the big ones
        const pairs = n <= 33 ? LAYOUTS.flatMap((a) => LAYOUTS.map((b) => [a, b] as const)) : LAYOUTS.map((l, i) => [l, LAYOUTS[(i + 1) % 4]] as const).concat([['T', 'T']]);
        for (const [la, lb] of pairs) runCase(n, n, n, dtype, la, lb, seed++);
      }
    });
  }
});

describe('gemm: rectangular shapes', () => {
  const small = [0, 1, 3, 4, 5, 15, 16, 17, 33];
  for (const dtype of DTYPES) {
    it(`${dtype}: every M x N x K from ${small.join(',')}`, () => {
      let seed = 100;
      for (const M of small) for (const N of small) for (const K of small) {
        const l = LAYOUTS[seed % 4], r = LAYOUTS[(seed >> 2) % 4];
        runCase(M, N, K, dtype, l, r, seed++);
      }
    });
  }

  it('shapes that cross the cache blocks in one dimension', () => {
    const shapes: [number, number, number][] = [[3, 1100, 7], [70, 9, 600], [600, 5, 3], [257, 100, 17], [1, 2100, 300], [130, 1, 520]];
    let seed = 500;
    for (const dtype of ['float32', 'float64'] as const) {
      for (const [M, N, K] of shapes) for (const [la, lb] of [['contig', 'contig'], ['T', 'T'], ['step2', 'rowpad']] as const) runCase(M, N, K, dtype, la, lb, seed++);
    }
  });
});

describe('gemm: integer wrap-around', () => {
  it('int32 products and sums wrap like PyTorch', () => {
    for (const n of [1, 5, 17, 33]) {
      const av = values(n * n, 'int32', n, true), bv = values(n * n, 'int32', n + 7, true);
      const C = fromFlat(av, [n, n], 'int32').matmul(fromFlat(bv, [n, n], 'int32'));
      check(toNumbers(C), reference(av, bv, n, n, n, 'int32'), av, bv, n, n, n, 'int32');
    }
  });

  it('int64 keeps products beyond 2^32 exact', () => {
    const n = 9;
    const av = values(n * n, 'int64', 3, true).map((v) => v * 1024), bv = values(n * n, 'int64', 4, true);
    const C = fromFlat(av, [n, n], 'int64').matmul(fromFlat(bv, [n, n], 'int64'));
    const want = new BigInt64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      let s = 0n;
      for (let k = 0; k < n; k++) s += BigInt(av[i * n + k]) * BigInt(bv[k * n + j]);
      want[i * n + j] = BigInt.asIntN(64, s);
    }
    expect(Array.from(C.toTypedArray() as BigInt64Array)).toEqual(Array.from(want));
  });
});

describe('gemm: batched operands', () => {
  const shapes: [number, number, number, number][] = [[32, 10, 20, 30], [3, 17, 5, 33], [2, 100, 33, 15], [5, 1, 16, 1], [4, 0, 3, 2], [0, 3, 3, 3]];
  for (const dtype of ['float32', 'float64', 'int32', 'int64'] as const) {
    it(`${dtype}: bmm with contiguous, transposed and broadcast operands`, () => {
      let seed = 900;
      for (const [Bt, M, N, K] of shapes) {
        const av = values(Bt * M * K, dtype, seed++), bv = values(Bt * K * N, dtype, seed++);
        const a3 = fromFlat(av, [Bt, M, K], dtype), b3 = fromFlat(bv, [Bt, K, N], dtype);
        const aT = fromFlat(av, [Bt, M, K], dtype).transpose(1, 2).contiguous().transpose(1, 2);
        const bT = fromFlat(bv, [Bt, K, N], dtype).transpose(1, 2).contiguous().transpose(1, 2);
        const bv0 = values(K * N, dtype, seed++);
        const b0 = fromFlat(bv0, [1, K, N], dtype).expand(Bt, K, N); // batch stride 0
        for (const [A, B, shared] of [[a3, b3, false], [aT, bT, false], [a3, b0, true], [aT, b0, true]] as const) {
          const got = toNumbers(A.bmm(B));
          for (let b = 0; b < Bt; b++) {
            const ab = av.slice(b * M * K, (b + 1) * M * K), bb = shared ? bv0 : bv.slice(b * K * N, (b + 1) * K * N);
            check(got.slice(b * M * N, (b + 1) * M * N), reference(ab, bb, M, N, K, dtype), ab, bb, M, N, K, dtype);
          }
        }
      }
    });
  }

  it('matmul broadcasts batch dims that do not collapse into one', () => {
    const [M, N, K] = [5, 7, 9];
    const av = values(2 * M * K, 'float32', 1), bv = values(3 * K * N, 'float32', 2);
    const got = toNumbers(fromFlat(av, [2, 1, M, K], 'float32').matmul(fromFlat(bv, [3, K, N], 'float32')));
    for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) {
      const ab = av.slice(i * M * K, (i + 1) * M * K), bb = bv.slice(j * K * N, (j + 1) * K * N);
      const off = (i * 3 + j) * M * N;
      check(got.slice(off, off + M * N), reference(ab, bb, M, N, K, 'float32'), ab, bb, M, N, K, 'float32');
    }
  });
});

describe('gemm: one-row products (the streaming vector forms)', () => {
  for (const dtype of DTYPES) {
    it(`${dtype}: row @ matrix and matrix @ column for every B layout`, () => {
      let seed = 700;
      for (const [K, N] of [[1, 1], [3, 5], [4, 16], [17, 33], [33, 15], [1000, 7], [5, 1000], [257, 100]] as const) {
        for (const lb of LAYOUTS) {
          runCase(1, N, K, dtype, 'contig', lb, seed++); // row @ matrix: M = 1
          runCase(N, 1, K, dtype, lb, 'contig', seed++); // matrix @ column: computed transposed, M' = 1
          runCase(1, N, K, dtype, 'step2', lb, seed++); // strided row: copied before the dot form
        }
      }
    });
  }
});

describe('gemm: stride-0 (expanded) matrix dims', () => {
  for (const dtype of DTYPES) {
    it(`${dtype}: a row repeated as A, a column repeated as B`, () => {
      for (const [M, N, K] of [[5, 3, 4], [17, 33, 15], [100, 9, 257], [1, 40, 33], [33, 1, 100]] as const) {
        const rv = values(K, dtype, M), cv = values(K, dtype, N);
        const A = fromFlat(rv, [1, K], dtype).expand(M, K), B = fromFlat(cv, [K, 1], dtype).expand(K, N);
        const av = Array.from({ length: M * K }, (_, i) => rv[i % K]), bv = Array.from({ length: K * N }, (_, i) => cv[Math.floor(i / N)]);
        check(toNumbers(A.matmul(B)), reference(av, bv, M, N, K, dtype), av, bv, M, N, K, dtype);
        const bt = transposeFlat(bv, K, N), at = transposeFlat(av, M, K);
        check(toNumbers(B.t().matmul(A.t())), reference(bt, at, N, M, K, dtype), bt, at, N, M, K, dtype);
      }
    });
  }
});

describe('gemm: vector products', () => {
  for (const dtype of DTYPES) {
    it(`${dtype}: mv and dot with strided vectors`, () => {
      for (const n of SIZES) {
        const mvv = values(n * n, dtype, n), vv = values(n, dtype, n + 1), wv = values(n, dtype, n + 2);
        const m = matrix(mvv, n, n, dtype, n % 2 ? 'T' : 'contig');
        const v = matrix(vv, 1, n, dtype, 'step2').select(0, 0);
        const w = matrix(wv, n, 1, dtype, 'rowpad').select(1, 0);
        check(toNumbers(m.mv(v)), reference(mvv, vv, n, 1, n, dtype), mvv, vv, n, 1, n, dtype);
        check(toNumbers(v.dot(w)), reference(vv, wv, 1, 1, n, dtype), vv, wv, 1, 1, n, dtype);
      }
    });
  }
});
