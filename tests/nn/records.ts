// Exact and approximate comparison of torchlet tensors with the records
// tests/fixtures/gen_nn*.py writes: float tensors as hex bit patterns (or a
// digest of them when big), others as values; approximate values as lists or
// as {count, sum, absSum, head, tail} summaries.
import { readFileSync } from 'node:fs';
import * as torch from 'torchlet';

export interface Digest {
  count: number;
  bitsum: string;
  head: string[];
  tail: string[];
}

export interface TensorRecord {
  shape: number[];
  dtype: torch.DType;
  bits?: string[];
  values?: (number | boolean)[];
  digest?: Digest;
}

export type Approx = number[] | { count: number; sum: number; absSum: number; head: number[]; tail: number[] };

export function loadFixture<T>(name: string): T & { torch: string } {
  return JSON.parse(readFileSync(new URL(`../fixtures/nn/${name}.json`, import.meta.url), 'utf8'));
}

/** Raw element words of a tensor in row-major order. */
function words(t: torch.Tensor): bigint[] {
  const a = t.contiguous().toTypedArray();
  if (a instanceof Float32Array) return Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length), BigInt);
  if (a instanceof Float64Array) return Array.from(new BigUint64Array(a.buffer, a.byteOffset, a.length));
  if (a instanceof BigInt64Array) return Array.from(a, (v) => BigInt.asUintN(64, v));
  if (a instanceof Int32Array) return Array.from(a, (v) => BigInt(v >>> 0));
  return Array.from(a as ArrayLike<number>, (v) => BigInt(v));
}

const hex = (w: bigint, bytes: number): string => w.toString(16).padStart(bytes * 2, '0');

export function digestOf(t: torch.Tensor): Digest {
  const w = words(t);
  const bytes = t.elementSize();
  const sum = w.reduce((a, b) => a + b, 0n) & ((1n << 64n) - 1n);
  return { count: w.length, bitsum: String(sum), head: w.slice(0, 8).map((x) => hex(x, bytes)), tail: w.slice(-8).map((x) => hex(x, bytes)) };
}

/**
 * null when t is bit-identical to the record, else what differs. `libmUlps` admits that
 * many ulps (relative to |value| + 1) in float64 normals, which go through libm's
 * log/sin/cos: glibc's in PyTorch, torchlet's own here (see tests/ops/random.test.ts).
 */
export function diffExact(t: torch.Tensor | null | undefined, r: TensorRecord, libmUlps = 0): string | null {
  if (!t) return 'missing tensor';
  if (t.shape.join() !== r.shape.join() || t.ndim !== r.shape.length) return `shape [${t.shape}] != [${r.shape}]`;
  if (t.dtype !== r.dtype) return `dtype ${t.dtype} != ${r.dtype}`;
  if (r.digest) {
    const d = digestOf(t);
    return JSON.stringify(d) === JSON.stringify(r.digest) ? null : `digest ${JSON.stringify(d)} != ${JSON.stringify(r.digest)}`;
  }
  if (r.bits) {
    const got = words(t).map((w) => hex(w, t.elementSize()));
    const asDouble = (h: string): number => new Float64Array(new BigUint64Array([BigInt(`0x${h}`)]).buffer)[0];
    const near = (g: string, w: string): boolean =>
      libmUlps > 0 && t.dtype === 'float64' && Math.abs(asDouble(g) - asDouble(w)) <= libmUlps * Number.EPSILON * (Math.abs(asDouble(w)) + 1);
    const i = got.findIndex((g, k) => g !== r.bits![k] && !near(g, r.bits![k]));
    return i < 0 ? null : `element ${i}: bits ${got[i]} != ${r.bits[i]}`;
  }
  const got = t.reshape(-1).tolist() as unknown[];
  const i = got.findIndex((g, k) => Number(g) !== Number(r.values![k]));
  return i < 0 ? null : `element ${i}: ${String(got[i])} != ${String(r.values![i])}`;
}

const close = (a: number, b: number, tol: number): boolean => (Number.isNaN(b) ? Number.isNaN(a) : Math.abs(a - b) <= tol + tol * Math.abs(b));

/** null when t's values match within rtol = atol = tol. */
export function diffApprox(t: torch.Tensor | null | undefined, want: Approx, tol: number): string | null {
  if (!t) return 'missing tensor';
  const flat = (t.reshape(-1).to('float64').tolist() as number[]);
  if (Array.isArray(want)) {
    if (flat.length !== want.length) return `length ${flat.length} != ${want.length}`;
    const i = flat.findIndex((v, k) => !close(v, want[k], tol));
    return i < 0 ? null : `element ${i}: ${flat[i]} != ${want[i]}`;
  }
  if (flat.length !== want.count) return `length ${flat.length} != ${want.count}`;
  const sum = flat.reduce((a, b) => a + b, 0), absSum = flat.reduce((a, b) => a + Math.abs(b), 0);
  // sums of many float32 terms: the tolerance scales with the magnitude summed
  if (!close(sum, want.sum, tol * 10) && Math.abs(sum - want.sum) > tol * absSum) return `sum ${sum} != ${want.sum}`;
  if (!close(absSum, want.absSum, tol * 10)) return `absSum ${absSum} != ${want.absSum}`;
  const head = flat.slice(0, 16), tail = flat.slice(-16);
  const i = head.findIndex((v, k) => !close(v, want.head[k], tol));
  if (i >= 0) return `head[${i}]: ${head[i]} != ${want.head[i]}`;
  const j = tail.findIndex((v, k) => !close(v, want.tail[k], tol));
  return j < 0 ? null : `tail[${j}]: ${tail[j]} != ${want.tail[j]}`;
}

/** Deterministic inputs, the same formula as data_of in gen_nn_modules.py. */
export const dataOf = (n: number): number[] => Array.from({ length: n }, (_, i) => (((i * 37) % 101) - 50) / 64);

/** Runs a recorded JS function body with `torch` (and extra names) in scope. */
export function run<T>(body: string, extra: Record<string, unknown> = {}): T {
  const names = Object.keys(extra);
  return new Function('torch', ...names, body)(torch, ...names.map((n) => extra[n])) as T;
}
