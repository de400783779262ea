// Replays cases recorded from PyTorch (tests/fixtures/ops/*.json, written by
// tests/fixtures/generate.py) against the built package. A case's `js` runs with
// `torch` and its named inputs in scope; the result is compared with what PyTorch
// gave, then, for differentiable cases, the gradients of every input.
import { readFileSync, readdirSync } from 'node:fs';
import * as torch from 'torchlet';

type Num = number | boolean | 'nan' | 'inf' | '-inf';
export type Data = Num | Data[];

export interface Input {
  shape: number[];
  data: Data;
  dtype: torch.DType;
  requiresGrad: boolean;
}

export interface Tol {
  rtol: number;
  atol: number;
}

export type Expect =
  | { tensor: { shape: number[]; dtype: torch.DType; data: Data } }
  | { scalar: Num; float?: true }
  | { string: string }
  | { none: true }
  | { list: Expect[] }
  | { throws: string; torch: string; error: string };

export interface Case {
  id: string;
  inputs: Record<string, Input>;
  js: string;
  py?: string;
  note?: string;
  expect: Expect;
  tol?: Tol;
  gradOut?: Data;
  grads?: Record<string, Data | null>;
}

export interface FamilyFile {
  torch: string;
  family: string;
  cases: Case[];
}

const OPS_DIR = new URL('../fixtures/ops/', import.meta.url);

export function loadFamilies(): FamilyFile[] {
  return readdirSync(OPS_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(new URL(f, OPS_DIR), 'utf8')) as FamilyFile);
}

export function decode(v: Data): unknown {
  if (Array.isArray(v)) return v.map(decode);
  if (v === 'nan') return NaN;
  if (v === 'inf') return Infinity;
  if (v === '-inf') return -Infinity;
  return v;
}

/** float32 results may differ from PyTorch's by a few ulps (libm, summation order); float64 by far less. */
export function defaultTol(dtype: string): Tol {
  return dtype === 'float64' ? { rtol: 1e-10, atol: 1e-12 } : { rtol: 1e-5, atol: 1e-6 };
}

export function makeInput(i: Input): torch.Tensor {
  // nested data cannot say [0, 3] (it reads as [0]), so empty inputs are made from their shape
  if (i.shape.reduce((a, b) => a * b, 1) === 0) return torch.zeros(i.shape, { dtype: i.dtype, requiresGrad: i.requiresGrad });
  return torch.tensor(decode(i.data), { dtype: i.dtype, requiresGrad: i.requiresGrad });
}

function sameNumber(a: unknown, e: number | boolean, tol: Tol | null): boolean {
  if (typeof e === 'boolean') return a === e;
  if (typeof a === 'bigint') a = Number(a);
  if (typeof a !== 'number') return false;
  if (Number.isNaN(e)) return Number.isNaN(a);
  if (tol === null || !Number.isFinite(e)) return a === e;
  return Math.abs(a - e) <= tol.atol + tol.rtol * Math.abs(e);
}

function sameData(a: unknown, e: unknown, tol: Tol | null, path: string): string | null {
  if (Array.isArray(e)) {
    if (!Array.isArray(a)) return `at ${path || 'top'}: got ${typeof a}, want a list of ${e.length}`;
    if (a.length !== e.length) return `at ${path || 'top'}: got length ${a.length}, want ${e.length}`;
    for (let i = 0; i < e.length; i++) {
      const r = sameData(a[i], e[i], tol, `${path}[${i}]`);
      if (r) return r;
    }
    return null;
  }
  return sameNumber(a, e as number | boolean, tol) ? null : `value at ${path || 'top'}: got ${String(a)}, want ${String(e)}`;
}

const isTensor = (v: unknown): v is torch.Tensor => v instanceof torch.Tensor;

/** null when `actual` matches; otherwise what differs. */
export function compare(actual: unknown, expect: Expect, caseTol?: Tol): string | null {
  if ('tensor' in expect) {
    const e = expect.tensor;
    if (!isTensor(actual)) return `expected a tensor, got ${describe(actual)}`;
    if (actual.shape.join() !== e.shape.join() || actual.shape.length !== e.shape.length) {
      return `shape: got [${actual.shape}], want [${e.shape}]`;
    }
    if (actual.dtype !== e.dtype) return `dtype: got ${actual.dtype}, want ${e.dtype}`;
    const tol = e.dtype.startsWith('float') ? (caseTol ?? defaultTol(e.dtype)) : null;
    return sameData(actual.tolist(), decode(e.data), tol, '');
  }
  if ('scalar' in expect) {
    const e = decode(expect.scalar) as number | boolean;
    if (isTensor(actual)) return `expected a plain ${typeof e}, got a tensor`;
    const tol = expect.float ? (caseTol ?? { rtol: 1e-6, atol: 1e-7 }) : null;
    return sameNumber(actual, e, tol) ? null : `got ${String(actual)}, want ${String(e)}`;
  }
  if ('string' in expect) return actual === expect.string ? null : `got ${JSON.stringify(describe(actual))}, want ${JSON.stringify(expect.string)}`;
  if ('none' in expect) return actual === null || actual === undefined ? null : `expected null, got ${describe(actual)}`;
  if ('list' in expect) {
    if (!Array.isArray(actual)) return `expected a list, got ${describe(actual)}`;
    if (actual.length !== expect.list.length) return `list length: got ${actual.length}, want ${expect.list.length}`;
    for (let i = 0; i < actual.length; i++) {
      const r = compare(actual[i], expect.list[i], caseTol);
      if (r) return `[${i}] ${r}`;
    }
    return null;
  }
  return 'unknown expectation';
}

function describe(v: unknown): string {
  if (isTensor(v)) return `tensor of shape [${v.shape}] ${v.dtype}`;
  if (typeof v === 'string') return v;
  return Array.isArray(v) ? `array(${v.length})` : typeof v;
}

export interface Outcome {
  /** null when forward (and gradients, if recorded) match. */
  failure: string | null;
  /** For error cases: our message, to compare with PyTorch's separately. */
  message?: string;
}

/** Messages that mean the API is missing, not that bad input was refused. */
const MISSING_API = /is not a function|is not a constructor|Cannot read propert|is not defined|is not iterable/;

export function runCase(c: Case): Outcome {
  const names = Object.keys(c.inputs);
  const values = names.map((n) => makeInput(c.inputs[n]));
  const body = /\breturn\b/.test(c.js) ? c.js : `return (${c.js});`;
  const fn = new Function('torch', ...names, body) as (...args: unknown[]) => unknown;
  if ('throws' in c.expect) {
    try {
      fn(torch, ...values);
    } catch (e) {
      if (!(e instanceof Error)) return { failure: `threw a non-Error: ${String(e)}` };
      if (MISSING_API.test(e.message)) return { failure: `missing API: ${e.message}`, message: e.message };
      return { failure: null, message: e.message };
    }
    return { failure: `did not throw (PyTorch: ${c.expect.torch})` };
  }
  let out: unknown;
  try {
    out = fn(torch, ...values);
  } catch (e) {
    return { failure: `threw: ${e instanceof Error ? e.message : String(e)}` };
  }
  // a float64 result computed through float32 inputs is only as precise as float32
  const mixed = Object.values(c.inputs).some((i) => i.dtype === 'float32');
  const tol = c.tol ?? (mixed ? defaultTol('float32') : undefined);
  const r = compare(out, c.expect, tol);
  if (r) return { failure: r };
  if (!c.grads) return { failure: null };
  if (!isTensor(out)) return { failure: 'gradients recorded but the result is not a tensor' };
  try {
    const g = c.gradOut === undefined ? undefined : torch.tensor(decode(c.gradOut), { dtype: out.dtype });
    out.backward(g);
  } catch (e) {
    return { failure: `backward threw: ${e instanceof Error ? e.message : String(e)}` };
  }
  for (const [name, want] of Object.entries(c.grads)) {
    const x = values[names.indexOf(name)];
    if (want === null) {
      if (x.grad) return { failure: `grad of ${name}: expected none, got one` };
      continue;
    }
    if (!x.grad) return { failure: `grad of ${name}: missing` };
    const rg = compare(x.grad, { tensor: { shape: [...x.shape], dtype: x.dtype, data: want } }, tol);
    if (rg) return { failure: `grad of ${name}: ${rg}` };
  }
  return { failure: null };
}
