// Finite-difference gradient checks in the spirit of torch.autograd.gradcheck:
// float64 inputs, central differences, the numerical Jacobian compared with
// the analytic one built row by row from backward passes with one-hot
// grad_outputs. gradgradcheck checks the backward pass itself, recorded with
// createGraph, the same way.
//
// Inputs are rebuilt from their values for every evaluation (never perturbed
// in place), so a case can ask for them in a strided layout: the leaf the op
// sees is then a transposed or narrowed view with the same values.
import * as torch from 'torchlet';

type Tensor = torch.Tensor;

/** How a leaf input is laid out in memory; its values and shape stay the same. */
export type Layout = 'contiguous' | 'transposed' | 'narrowed';

export interface CheckOptions {
  /** Central-difference step (PyTorch: 1e-6). */
  eps?: number;
  /** |analytic - numeric| <= atol + rtol * |numeric| (PyTorch: 1e-5, 1e-3). */
  atol?: number;
  rtol?: number;
  layout?: Layout;
  /**
   * Compare one random projection v^T J u per input instead of the whole
   * Jacobian (PyTorch's fast_mode): two evaluations and one backward pass
   * per input instead of two evaluations per element.
   */
  fast?: boolean;
}

/** A differentiable input: float64 values that the check perturbs. Anything else passes through. */
const isDiff = (v: unknown): v is Tensor => v instanceof torch.Tensor && v.requiresGrad;

const isFloat = (t: Tensor): boolean => t.dtype === 'float32' || t.dtype === 'float64';

/** The floating tensors an op returned: a tensor, arrays of them, or objects such as {values, indices}. */
export function outputsOf(result: unknown): Tensor[] {
  const out: Tensor[] = [];
  const walk = (v: unknown): void => {
    if (v instanceof torch.Tensor) {
      if (isFloat(v)) out.push(v);
    } else if (Array.isArray(v)) {
      v.forEach(walk);
    } else if (v !== null && typeof v === 'object') {
      Object.values(v).forEach(walk);
    }
  };
  walk(result);
  return out;
}

const shapeText = (s: readonly number[]): string => `[${s.join(', ')}]`;

/** A leaf holding `values` (row-major) in the given layout. */
export function makeLeaf(values: ArrayLike<number>, shape: readonly number[], dtype: torch.DType, layout: Layout, requiresGrad: boolean): Tensor {
  return torch.noGrad(() => {
    const flat = torch.tensor(Array.from(values), { dtype }).reshape([...shape]);
    let t = flat;
    if (layout === 'transposed' && shape.length >= 2) {
      // memory in reversed dim order: strides increase left to right
      t = flat.T.contiguous().T;
    } else if (layout === 'narrowed' && shape.length >= 1) {
      // a window inside a wider buffer: offset 1 and padded rows
      const last = shape[shape.length - 1];
      const wide = torch.full([...shape.slice(0, -1), last + 3], 1e30, { dtype });
      t = wide.narrow(-1, 1, last);
      t.copy_(flat);
    }
    const leaf = t.detach();
    if (requiresGrad) leaf.requiresGrad_(true);
    return leaf;
  });
}

/** Whether `layout` gives some input of `inputs` a memory layout different from the contiguous one. */
export function layoutApplies(inputs: readonly unknown[], layout: Layout): boolean {
  if (layout === 'contiguous') return true;
  return inputs.some((v) => {
    if (!(v instanceof torch.Tensor) || !isFloat(v) || v.numel() < 2) return false;
    if (layout === 'transposed') return v.shape.filter((s) => s > 1).length >= 2;
    return v.ndim >= 1;
  });
}

interface Spec {
  values: Float64Array | null;
  shape: number[];
  dtype: torch.DType;
  requiresGrad: boolean;
  raw: unknown;
}

function specOf(v: unknown): Spec {
  if (v instanceof torch.Tensor && isFloat(v)) {
    return { values: Float64Array.from(v.toTypedArray() as Float64Array), shape: [...v.shape], dtype: v.dtype, requiresGrad: v.requiresGrad, raw: v };
  }
  return { values: null, shape: [], dtype: 'float64', requiresGrad: false, raw: v };
}

type Override = { input: number; values: Float64Array };

function build(specs: readonly Spec[], layout: Layout, override?: Override): unknown[] {
  return specs.map((s, i) => {
    if (!s.values) return s.raw;
    const values = override && override.input === i ? override.values : s.values;
    return makeLeaf(values, s.shape, s.dtype, layout, s.requiresGrad);
  });
}

type Fn = (...args: any[]) => unknown;

/** Runs fn on freshly built inputs and returns its floating outputs' values, concatenated, plus each output's size. */
function evaluate(fn: Fn, specs: readonly Spec[], layout: Layout, override?: Override): { values: Float64Array; sizes: number[] } {
  return torch.tidy(() => {
    const outs = outputsOf(fn(...build(specs, layout, override)));
    const sizes = outs.map((o) => o.numel());
    const values = new Float64Array(sizes.reduce((a, b) => a + b, 0));
    let at = 0;
    for (const o of outs) {
      values.set(Array.from(o.toTypedArray() as Float64Array, Number), at);
      at += o.numel();
    }
    for (const o of outs) o.dispose();
    return { values, sizes };
  });
}

/** J[input][outElement * n + inElement] by central differences. */
function numericalJacobian(fn: Fn, specs: readonly Spec[], layout: Layout, eps: number, outSize: number): Float64Array[] {
  return specs.map((s, i) => {
    if (!s.values || !s.requiresGrad) return new Float64Array(0);
    const n = s.values.length;
    const J = new Float64Array(outSize * n);
    for (let j = 0; j < n; j++) {
      const plus = Float64Array.from(s.values);
      plus[j] += eps;
      const minus = Float64Array.from(s.values);
      minus[j] -= eps;
      const fp = evaluate(fn, specs, layout, { input: i, values: plus }).values;
      const fm = evaluate(fn, specs, layout, { input: i, values: minus }).values;
      for (let k = 0; k < outSize; k++) J[k * n + j] = (fp[k] - fm[k]) / (2 * eps);
    }
    return J;
  });
}

/** J[input][outElement * n + inElement] from one backward pass per output element. */
function analyticalJacobian(fn: Fn, specs: readonly Spec[], layout: Layout, outSize: number): Float64Array[] {
  return torch.tidy(() => {
    const args = build(specs, layout);
    const leaves = args.filter(isDiff);
    const J = specs.map((s) => (s.values && s.requiresGrad ? new Float64Array(outSize * s.values.length) : new Float64Array(0)));
    const diffIndex = specs.map((s, i) => i).filter((i) => specs[i].values && specs[i].requiresGrad);
    const outs = outputsOf(fn(...args));
    let row = 0;
    for (const o of outs) {
      const n = o.numel();
      if (!o.requiresGrad) {
        row += n;
        continue;
      }
      for (let k = 0; k < n; k++, row++) {
        const oneHot = new Array<number>(n).fill(0);
        oneHot[k] = 1;
        const go = torch.tensor(oneHot, { dtype: o.dtype }).reshape([...o.shape]);
        const grads = torch.autograd.grad([o], leaves, [go], { retainGraph: true, allowUnused: true });
        grads.forEach((g, li) => {
          if (!g) return;
          const leaf = leaves[li];
          if (g.shape.join() !== leaf.shape.join()) {
            throw new Error(`gradient of input ${diffIndex[li]} has shape ${shapeText(g.shape)}, the input ${shapeText(leaf.shape)}`);
          }
          if (g.dtype !== leaf.dtype) throw new Error(`gradient of input ${diffIndex[li]} has dtype ${g.dtype}, the input ${leaf.dtype}`);
          const vals = g.toTypedArray();
          const m = leaf.numel();
          const Ji = J[diffIndex[li]];
          for (let j = 0; j < m; j++) Ji[row * m + j] = Number(vals[j]);
        });
        // one gradient tensor may serve several inputs (add passes g to both)
        for (const g of new Set(grads)) g?.dispose();
      }
    }
    for (const o of outs) o.dispose();
    return J;
  });
}

function fmt(v: number): string {
  return Number.isFinite(v) ? v.toPrecision(8) : String(v);
}

/**
 * Throws, naming the input, output element and both values, when the
 * analytic gradient of fn at `inputs` differs from the finite differences.
 * Differentiable inputs are the float tensors with requiresGrad; every
 * floating output of fn is checked.
 */
export function gradcheck(fn: Fn, inputs: readonly unknown[], o: CheckOptions = {}): void {
  const eps = o.eps ?? 1e-6, atol = o.atol ?? 1e-5, rtol = o.rtol ?? 1e-3;
  const layout = o.layout ?? 'contiguous';
  const specs = inputs.map(specOf);
  if (!specs.some((s) => s.values && s.requiresGrad)) throw new Error('gradcheck: no input requires grad');
  const { values: y, sizes } = evaluate(fn, specs, layout);
  if (sizes.length === 0) throw new Error('gradcheck: fn returned no floating output');
  const outSize = y.length;
  if (o.fast) {
    fastCheck(fn, specs, layout, eps, atol, rtol, outSize);
    return;
  }
  const numeric = numericalJacobian(fn, specs, layout, eps, outSize);
  const analytic = analyticalJacobian(fn, specs, layout, outSize);
  const problems: string[] = [];
  specs.forEach((s, i) => {
    if (!s.values || !s.requiresGrad) return;
    const n = s.values.length;
    for (let k = 0; k < outSize; k++) {
      for (let j = 0; j < n; j++) {
        const a = analytic[i][k * n + j], num = numeric[i][k * n + j];
        if (!(Math.abs(a - num) <= atol + rtol * Math.abs(num))) {
          problems.push(`input ${i} element ${j} -> output element ${k}: analytic ${fmt(a)}, numeric ${fmt(num)}`);
        }
      }
    }
  });
  if (problems.length) {
    const shown = problems.slice(0, 8).join('\n  ');
    const more = problems.length > 8 ? `\n  ... and ${problems.length - 8} more` : '';
    throw new Error(`Jacobian mismatch (${layout} inputs, ${problems.length} entries):\n  ${shown}${more}`);
  }
}

/** v^T J u for every differentiable input, numerically and analytically, with random u and v. */
function fastCheck(fn: Fn, specs: readonly Spec[], layout: Layout, eps: number, atol: number, rtol: number, outSize: number): void {
  const rand = seeded(99);
  const v = Float64Array.from({ length: outSize }, () => rand() * 2 - 1);
  const us = specs.map((s) => (s.values && s.requiresGrad ? Float64Array.from(s.values, () => rand() * 2 - 1) : null));
  const numeric = specs.map((s, i) => {
    const u = us[i];
    if (!s.values || !u) return 0;
    const shifted = (sign: number) => Float64Array.from(s.values!, (x, j) => x + sign * eps * u[j]);
    const fp = evaluate(fn, specs, layout, { input: i, values: shifted(1) }).values;
    const fm = evaluate(fn, specs, layout, { input: i, values: shifted(-1) }).values;
    let dot = 0;
    for (let k = 0; k < outSize; k++) dot += v[k] * ((fp[k] - fm[k]) / (2 * eps));
    return dot;
  });
  const analytic = torch.tidy(() => {
    const args = build(specs, layout);
    const leaves = args.filter(isDiff);
    const all = outputsOf(fn(...args));
    const outs = all.filter((t) => t.requiresGrad);
    const result = specs.map(() => 0);
    if (outs.length === 0) return result;
    let at = 0;
    const gos: Tensor[] = [];
    for (const t of all) {
      if (t.requiresGrad) gos.push(torch.tensor(Array.from(v.subarray(at, at + t.numel())), { dtype: t.dtype }).reshape([...t.shape]));
      at += t.numel();
    }
    const grads = torch.autograd.grad(outs, leaves, gos, { allowUnused: true });
    let li = 0;
    specs.forEach((s, i) => {
      if (!s.values || !s.requiresGrad) return;
      const g = grads[li++];
      if (g) result[i] = Array.from(g.toTypedArray() as Float64Array, Number).reduce((acc, x, j) => acc + x * us[i]![j], 0);
    });
    for (const g of new Set(grads)) g?.dispose();
    return result;
  });
  const problems = specs
    .map((s, i) => (us[i] && !(Math.abs(analytic[i] - numeric[i]) <= atol + rtol * Math.abs(numeric[i])) ? `input ${i}: v^T J u analytic ${fmt(analytic[i])}, numeric ${fmt(numeric[i])}` : ''))
    .filter(Boolean);
  if (problems.length) throw new Error(`Jacobian mismatch (${layout} inputs, random projection):\n  ${problems.join('\n  ')}`);
}

/** Deterministic float64 values in [lo, hi) from a small PRNG (mulberry32). */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * gradcheck of the function (inputs, gradOutputs) -> d(outputs)/d(inputs)
 * computed with createGraph, so the backward formulas must themselves be
 * differentiable; the grad outputs are random and differentiable too.
 */
export function gradgradcheck(fn: Fn, inputs: readonly unknown[], o: CheckOptions & { seed?: number } = {}): void {
  const rand = seeded(o.seed ?? 7);
  const outShapes = torch.tidy(() => outputsOf(fn(...inputs)).filter((t) => t.requiresGrad).map((t) => [...t.shape]));
  if (outShapes.length === 0) throw new Error('gradgradcheck: fn has no differentiable output');
  const gradOutputs = outShapes.map((shape) => {
    const n = shape.reduce((a, b) => a * b, 1);
    const vals = Array.from({ length: n }, () => rand() * 2 - 1);
    return torch.tidy(() => torch.tensor(vals, { dtype: 'float64' }).reshape(shape)).requiresGrad_(true);
  });
  const nIn = inputs.length;
  const backward = (...args: unknown[]): Tensor[] => {
    const xs = args.slice(0, nIn);
    const gs = args.slice(nIn) as Tensor[];
    const outs = outputsOf(fn(...xs)).filter((t) => t.requiresGrad);
    const diff = xs.filter(isDiff);
    const grads = torch.autograd.grad(outs, diff, gs, { createGraph: true, allowUnused: true });
    return grads.map((g, i) => g ?? torch.zerosLike(diff[i]));
  };
  try {
    gradcheck(backward, [...inputs, ...gradOutputs], o);
  } finally {
    for (const g of gradOutputs) g.dispose();
  }
}
