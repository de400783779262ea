// Inputs and the case table shared by the gradcheck suites. Values come from
// a seeded PRNG and stay away from the points where an op is not
// differentiable (kinks, jumps, ties), which each case names.
import * as torch from 'torchlet';
import { seeded, type Layout } from './gradcheck';

type Tensor = torch.Tensor;

export interface ArgOptions {
  lo?: number;
  hi?: number;
  /** Redraw values with |v| below this (kinks at 0: abs, relu, sign, ...). */
  minAbs?: number;
  /** Redraw values within 0.05 of any of these points (clamp bounds, thresholds). */
  avoid?: readonly number[];
  /** Redraw values within 0.1 of an integer or a half-integer (floor, round, frac, ...). */
  offGrid?: boolean;
  /** Values pairwise at least 0.05 apart (max/min without ties). */
  distinct?: boolean;
  /** Differentiable (requiresGrad); default true. */
  grad?: boolean;
}

const rand = seeded(20240613);

function draw(o: ArgOptions): number {
  const lo = o.lo ?? -1, hi = o.hi ?? 1;
  for (;;) {
    const v = lo + (hi - lo) * rand();
    if (o.minAbs !== undefined && Math.abs(v) < o.minAbs) continue;
    if (o.avoid?.some((p) => Math.abs(v - p) < 0.05)) continue;
    if (o.offGrid && Math.abs(v * 2 - Math.round(v * 2)) < 0.2) continue;
    return v;
  }
}

/** A float64 tensor of the given shape with values drawn per `o`. */
export function arg(shape: readonly number[], o: ArgOptions = {}): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const vals: number[] = [];
  while (vals.length < n) {
    const v = draw(o);
    if (o.distinct && vals.some((u) => Math.abs(u - v) < 0.05)) continue;
    vals.push(v);
  }
  return fixed(vals, shape, o.grad ?? true);
}

/** A float64 tensor with exactly these values. */
export function fixed(values: readonly number[], shape: readonly number[] = [values.length], grad = true): Tensor {
  const t = torch.tensor([...values], { dtype: 'float64' }).reshape([...shape]);
  return grad ? t.requiresGrad_(true) : t;
}

/** Two tensors whose broadcast pairs never tie: a on one grid, b on an offset grid. */
export function untied(shapeA: readonly number[], shapeB: readonly number[]): [Tensor, Tensor] {
  const grid = (shape: readonly number[], offset: number): Tensor => {
    const n = shape.reduce((a, b) => a * b, 1);
    const vals = Array.from({ length: n }, () => Math.floor(rand() * 20 - 10) * 0.1 + offset);
    return fixed(vals, shape);
  };
  return [grid(shapeA, 0.02), grid(shapeB, 0.07)];
}

export const long = (values: readonly number[], shape: readonly number[] = [values.length]): Tensor =>
  torch.tensor([...values], { dtype: 'int64' }).reshape([...shape]);

export const bools = (values: readonly boolean[], shape: readonly number[] = [values.length]): Tensor =>
  torch.tensor([...values]).reshape([...shape]);

/** One gradcheck case: `fn` applied to `inputs` (differentiable ones are float64 with requiresGrad). */
export interface Case {
  /** The op this case covers (a table key, a Tensor method, or F.<name>). */
  op: string;
  name: string;
  fn: (...args: any[]) => unknown;
  inputs: unknown[];
  eps?: number;
  atol?: number;
  rtol?: number;
  /** Layouts to run the inputs in; all that change something by default. */
  layouts?: Layout[];
  /** Also run gradgradcheck on this case. */
  gradgrad?: boolean;
}

export type CaseOptions = Pick<Case, 'eps' | 'atol' | 'rtol' | 'layouts' | 'gradgrad'>;

/** Collects cases: `c(op, name, fn, inputs, options?)`. */
export function table(): { cases: Case[]; c: (op: string, name: string, fn: Case['fn'], inputs: unknown[], o?: CaseOptions) => void } {
  const cases: Case[] = [];
  return { cases, c: (op, name, fn, inputs, o = {}) => cases.push({ op, name, fn, inputs, ...o }) };
}
