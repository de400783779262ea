// Layouts for the elementwise families and the runner that checks one
// kernel call against a reference on each of them. Operand 0 is the
// output; the others are inputs. Every case names its layout so a failure
// says which walk went wrong (tail, gap, transpose, broadcast, N-d).
import { type Bench, type KDType, type Val, type View, ITEM, SIZES, contiguous, forEachIndex, numel } from './harness';
import { type Tol, mismatches } from './values';

export interface Layout {
  strides: number[];
  offset: number;
}

export interface Case {
  name: string;
  shape: number[];
  /** One layout per operand, output first. */
  layouts: Layout[];
}

export const contig = (shape: number[]): Layout => ({ strides: contiguous(shape), offset: 0 });
/** Every `gap`-th element, starting one element in. */
export const gapped = (shape: number[], gap = 2): Layout => ({ strides: contiguous(shape).map((s) => s * gap), offset: 1 });
/** Column-major: dim 0 is the fastest (a transposed walk). */
export function colMajor(shape: number[]): Layout {
  const strides: number[] = [];
  let acc = 1;
  for (const s of shape) {
    strides.push(acc);
    acc *= Math.max(s, 1);
  }
  return { strides, offset: 3 };
}
/** Each trailing matrix transposed (dim -2 is the fastest), the batch dims outside them. */
export function batchTransposed(shape: number[]): Layout {
  const nd = shape.length;
  const strides = contiguous(shape);
  strides[nd - 2] = 1;
  strides[nd - 1] = Math.max(shape[nd - 2], 1);
  return { strides, offset: 1 };
}
/** Broadcast along `dims` (stride 0), contiguous over the rest. */
export function broadcast(shape: number[], dims: number[]): Layout {
  const own = shape.map((s, d) => (dims.includes(d) ? 1 : s));
  const strides = contiguous(own).map((s, d) => (dims.includes(d) ? 0 : s));
  return { strides, offset: 0 };
}
/** Rows that are contiguous but sit `pad` elements apart. */
export function paddedRows(shape: number[], pad: number): Layout {
  const strides = contiguous(shape);
  for (let d = shape.length - 2; d >= 0; d--) strides[d] = shape[d + 1] * strides[d + 1] + (d === shape.length - 2 ? pad : 0);
  return { strides, offset: 2 };
}

/** The layouts every elementwise family runs on, for `k` operands (output + k-1 inputs). */
export function elementwiseCases(k: number): Case[] {
  const cases: Case[] = [];
  const all = (name: string, shape: number[], f: (op: number) => Layout) =>
    cases.push({ name, shape, layouts: Array.from({ length: k }, (_, op) => f(op)) });
  for (const n of SIZES) {
    all(`contiguous [${n}]`, [n], () => contig([n]));
    all(`inputs every other [${n}]`, [n], (op) => (op === 0 ? contig([n]) : gapped([n])));
    all(`output every other [${n}]`, [n], (op) => (op === 0 ? gapped([n], 3) : contig([n])));
    if (k >= 3) {
      all(`last input broadcast [${n}]`, [n], (op) => (op === k - 1 ? broadcast([n], [0]) : contig([n])));
      all(`first input broadcast [${n}]`, [n], (op) => (op === 1 ? broadcast([n], [0]) : contig([n])));
    }
    if (k === 2) all(`input broadcast [${n}]`, [n], (op) => (op === 1 ? broadcast([n], [0]) : contig([n])));
  }
  all('transposed inputs [3,17]', [3, 17], (op) => (op === 0 ? contig([3, 17]) : colMajor([3, 17])));
  all('transposed output [17,5]', [17, 5], (op) => (op === 0 ? colMajor([17, 5]) : contig([17, 5])));
  all('transposed all [16,33]', [16, 33], () => colMajor([16, 33]));
  // copies of transposes run in bands of 8 rows and 4x4 blocks: tails on both sides
  all('transposed bands [19,35]', [19, 35], (op) => (op === 0 ? contig([19, 35]) : colMajor([19, 35])));
  all('batched transposed bands [3,19,35]', [3, 19, 35], (op) => (op === 0 ? gapped([3, 19, 35]) : batchTransposed([3, 19, 35])));
  all('transposed bands, contiguous out [2,16,8]', [2, 16, 8], (op) => (op === 0 ? contig([2, 16, 8]) : batchTransposed([2, 16, 8])));
  all('3-d mixed [2,3,33]', [2, 3, 33], (op) => (op === 0 ? gapped([2, 3, 33]) : op === 1 ? colMajor([2, 3, 33]) : broadcast([2, 3, 33], [1])));
  all('4-d broadcast inner [4,1,5,16]', [4, 1, 5, 16], (op) => (op === 0 ? contig([4, 1, 5, 16]) : op === k - 1 && k > 2 ? broadcast([4, 1, 5, 16], [0, 3]) : gapped([4, 1, 5, 16])));
  all('padded rows [10,100]', [10, 100], (op) => paddedRows([10, 100], 4 + op));
  all('padded rows [7,3,17]', [7, 3, 17], (op) => paddedRows([7, 3, 17], 1 + op));
  all('broadcast outer [5,33]', [5, 33], (op) => (op === 0 ? contig([5, 33]) : broadcast([5, 33], [0])));
  all('empty outer [0,5]', [0, 5], () => contig([0, 5]));
  all('empty inner [5,0]', [5, 0], () => contig([5, 0]));
  return cases;
}

/** i32 meta block for a walk: shape | byte strides per operand | idx + ptr scratch. */
export function walkMeta(b: Bench, shape: readonly number[], ops: readonly View[]): number {
  const ints = [...shape];
  for (const v of ops) for (const s of v.strides) ints.push(s * ITEM[v.dtype]);
  return b.meta(ints, shape.length + ops.length);
}

export interface ElementwiseRun {
  /** dtype of each operand, output first. */
  dtypes: KDType[];
  /** Buffer filler for input operand i (1-based, as in dtypes). */
  fill: (op: number) => (i: number) => Val;
  /** Calls the kernel. */
  call: (nd: number, meta: number, ptrs: number[]) => void;
  /** Expected output from the inputs' values at one index. */
  expect: (inputs: Val[]) => Val;
  tol?: Tol;
}

/** Runs one kernel on every case; returns failure descriptions (empty when all pass). */
export function runCases(b: Bench, cases: readonly Case[], run: ElementwiseRun): string[] {
  const failures: string[] = [];
  for (const c of cases) {
    b.reset();
    const views = c.layouts.map((l, op) =>
      op === 0 ? b.output(run.dtypes[0], c.shape, l.strides, l.offset) : b.input(run.dtypes[op], c.shape, l.strides, l.offset, run.fill(op)),
    );
    const meta = walkMeta(b, c.shape, views);
    run.call(c.shape.length, meta, views.map((v) => b.addr(v)));
    try {
      b.checkGuards();
    } catch (e) {
      failures.push(`${c.name}: ${(e as Error).message}`);
      continue;
    }
    const ins = views.slice(1).map((v) => b.values(v));
    const want: Val[] = [];
    forEachIndex(c.shape, (_, i) => want.push(run.expect(ins.map((vals) => vals[i]))));
    const got = b.values(views[0]);
    const bad = mismatches(got, want, run.dtypes[0], run.tol, (i) => ins.map((vals) => String(vals[i])).join(', '));
    if (bad.length) failures.push(`${c.name}: ${bad.join('; ')}`);
    const stray = b.strayWrites(views[0]);
    if (stray.length) failures.push(`${c.name}: wrote outside the output view at buffer positions ${stray.slice(0, 5).join(', ')}`);
    if (numel(c.shape) === 0 && got.length !== 0) failures.push(`${c.name}: empty shape produced values`);
  }
  return failures;
}
