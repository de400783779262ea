// gemm_* (assembly/matmul.ts) against a plain-JS triple loop: every
// combination of small M, N, K (edges of the 4- and 5-row micro-tiles), sizes past the MC/KC/NC
// blocking, transposed/gapped/broadcast operands, strided outputs and the
// accumulate flag. The workspace sits between guards like every buffer.
import { describe, expect, it } from 'vitest';
import { GEMM_BUILDS, bench, summary, type Bench, type KDType, type Val, type View, forEachIndex } from './harness';
import { fround, judge, sampler, type Domain } from './values';

type Lay = 'n' | 't' | 'g' | 'b';

/** Element strides and offset of a [batch, rows, cols] operand in layout `l`. */
function layout(l: Lay, rows: number, cols: number): { strides: number[]; offset: number } {
  switch (l) {
    case 'n': return { strides: [rows * cols, cols, 1], offset: 0 };
    case 't': return { strides: [rows * cols, 1, rows], offset: 2 };
    case 'g': return { strides: [2 * rows * cols + 3, 2 * cols, 2], offset: 1 };
    case 'b': return { strides: [0, cols, 1], offset: 0 };
  }
}

interface GemmCase {
  batch: number;
  M: number;
  N: number;
  K: number;
  a?: Lay;
  b?: Lay;
  c?: Exclude<Lay, 'b'>;
  acc?: boolean;
  domain?: Domain | 'special';
}

const SMALL = [0, 1, 3, 4, 5, 15, 16, 17, 33];

function cases(dt: KDType): GemmCase[] {
  const out: GemmCase[] = [];
  for (const M of SMALL) for (const N of SMALL) for (const K of SMALL) out.push({ batch: 1, M, N, K });
  for (const a of ['n', 't', 'g', 'b'] as const) {
    for (const b of ['n', 't', 'g', 'b'] as const) {
      for (const c of ['n', 't', 'g'] as const) {
        out.push({ batch: 3, M: 9, N: 17, K: 5, a, b, c });
        out.push({ batch: 2, M: 4, N: 8, K: 33, a, b, c, acc: true });
      }
    }
  }
  const big = dt === 'i64' ? 'int-small' : 'small';
  // every remainder of the 4- and 5-row register tiles, past the 64/80-row A blocks
  for (const M of [6, 7, 8, 9, 10, 11, 19, 20, 21]) out.push({ batch: 1, M, N: 9, K: 7 }, { batch: 1, M, N: 8, K: 6, a: 't' });
  out.push({ batch: 1, M: 70, N: 19, K: 300, domain: big });
  out.push({ batch: 1, M: 83, N: 21, K: 260, a: 't', domain: big });
  out.push({ batch: 1, M: 166, N: 17, K: 31, c: 't', acc: true, domain: big });
  out.push({ batch: 1, M: 5, N: 1030, K: 3, domain: big });
  out.push({ batch: 2, M: 67, N: 1027, K: 9, a: 't', b: 't', domain: big });
  out.push({ batch: 1, M: 65, N: 33, K: 513, a: 'g', c: 'g', acc: true, domain: big });
  out.push({ batch: 0, M: 3, N: 3, K: 3 });
  out.push({ batch: 2, M: 3, N: 4, K: 0, acc: true });
  if (dt === 'f32' || dt === 'f64') out.push({ batch: 2, M: 6, N: 9, K: 7, domain: 'special' }, { batch: 1, M: 17, N: 33, K: 16, a: 't', domain: 'special' });
  return out;
}

function operand(bb: Bench, dt: KDType, batch: number, rows: number, cols: number, l: Lay, fill: (i: number) => Val): View {
  const { strides, offset } = layout(l, rows, cols);
  return bb.input(dt, [batch, rows, cols], strides, offset, fill);
}

const specials = (dt: KDType, seed: number) => {
  const s = sampler(dt, seed, 'small');
  return (i: number): Val => (i % 13 === 5 ? [Infinity, -Infinity, NaN][i % 3] : s(i));
};

function runCase(bb: Bench, dt: KDType, c: GemmCase): string | null {
  bb.reset();
  const { batch, M, N, K } = c;
  const domain = c.domain ?? (dt === 'i64' || dt === 'i32' ? 'any' : 'small');
  const fill = (seed: number) => (domain === 'special' ? specials(dt, seed) : sampler(dt, seed, domain));
  const A = operand(bb, dt, batch, M, K, c.a ?? 'n', fill(1));
  const B = operand(bb, dt, batch, K, N, c.b ?? 'n', fill(2));
  const cl = layout(c.c ?? 'n', M, N);
  const C = c.acc ? bb.input(dt, [batch, M, N], cl.strides, cl.offset, fill(3)) : bb.output(dt, [batch, M, N], cl.strides, cl.offset);
  const before = bb.values(C);
  const ws = bb.alloc(bb.fn('gemm_ws_bytes')());
  const meta = bb.meta([...A.strides, ...B.strides, ...C.strides]);
  bb.fn(`gemm_${dt}`)(batch, M, N, K, meta, bb.addr(A), bb.addr(B), bb.addr(C), ws, c.acc ? 1 : 0);
  bb.checkGuards();
  const a = bb.values(A), b = bb.values(B), got = bb.values(C);
  const eps = dt === 'f32' ? 2 ** -24 : 2 ** -53;
  let bad: string | null = null;
  forEachIndex([batch, M, N], ([p, i, j], linear) => {
    if (bad) return;
    let want: Val;
    let mag = 0;
    if (dt === 'i64') {
      let s = c.acc ? (before[linear] as bigint) : 0n;
      for (let k = 0; k < K; k++) s += (a[(p * M + i) * K + k] as bigint) * (b[(p * K + k) * N + j] as bigint);
      want = BigInt.asIntN(64, s);
    } else if (dt === 'i32') {
      let s = c.acc ? (before[linear] as number) : 0;
      for (let k = 0; k < K; k++) s = (s + Math.imul(a[(p * M + i) * K + k] as number, b[(p * K + k) * N + j] as number)) | 0;
      want = s;
    } else {
      let s = c.acc ? (before[linear] as number) : 0;
      mag = Math.abs(s);
      for (let k = 0; k < K; k++) {
        const t = (a[(p * M + i) * K + k] as number) * (b[(p * K + k) * N + j] as number);
        s += t;
        mag += Math.abs(t);
      }
      want = dt === 'f32' ? fround(s) : s;
    }
    const m = judge(got[linear], want, dt, { ulps: 1, atol: 2 * eps * Math.sqrt(K + 1) * mag });
    if (m) bad = `C[${p}][${i}][${j}]: ${m}`;
  });
  if (bad) return bad;
  if (!c.acc && bb.strayWrites(C).length) return 'wrote outside C';
  return null;
}

for (const file of GEMM_BUILDS) {
  describe(`gemm kernels (${file})`, () => {
    for (const dt of ['f32', 'f64', 'i32', 'i64'] as const) {
      it(`gemm_${dt}`, () => {
        const bb = bench(file);
        const failures: string[] = [];
        for (const c of cases(dt)) {
          const m = runCase(bb, dt, c);
          if (m) failures.push(`${JSON.stringify(c)}: ${m}`);
        }
        expect(summary(failures)).toEqual([]);
      });
    }
  });
}
