// PyTorch's recorded dtype rules (fixtures/dtype_rules.json) and the
// cases where torchlet is known to disagree, so suites can check the rest
// strictly and keep the known bugs in tests that flip when they are fixed.
import { readFileSync } from 'node:fs';
import * as torch from 'torchlet';
import type { DType } from './util';

export type Kind = ['tensor' | 'zerodim', DType] | ['scalar', 'bool' | 'int' | 'float'];
export interface Outcome {
  result?: DType;
  error?: string;
}
export type UnaryRule = { op: string; dtype: DType } & Outcome;
export type BinaryRule = { op: string; a: Kind; b: Kind } & Outcome;

export const rules: { unary: UnaryRule[]; binary: BinaryRule[] } = JSON.parse(
  readFileSync(new URL('../fixtures/dtype_rules.json', import.meta.url), 'utf8'),
);
export const unaryRule = new Map(rules.unary.map((r) => [`${r.op} ${r.dtype}`, r]));
export const binaryRule = new Map(rules.binary.map((r) => [`${r.op} ${r.a} ${r.b}`, r]));

const isFloat = (d: string) => d === 'float32' || d === 'float64';
const isBoolKind = (k: Kind) => k[1] === 'bool';

/**
 * KNOWN BUGS (src/ops/unary.ts, src/ops/binary.ts), as of this suite:
 * - relu/floor/ceil/round/trunc accept bool (PyTorch refuses), square(bool) stays bool (PyTorch: int64);
 * - frac and silu accept integer and bool tensors (PyTorch: "frac_cpu" / "silu_cpu" not implemented);
 * - sub refuses only bool - bool; PyTorch refuses any bool operand (tensor, 0-d or True);
 * - fmod/remainder/pow of two bools return bool (PyTorch: not implemented for 'Bool').
 */
export function knownRuleBug(r: UnaryRule | BinaryRule): boolean {
  if ('dtype' in r) {
    if (r.dtype === 'bool' && ['relu', 'floor', 'ceil', 'round', 'trunc', 'square'].includes(r.op)) return true;
    return (r.op === 'frac' || r.op === 'silu') && !isFloat(r.dtype);
  }
  if (r.op === 'sub') return (isBoolKind(r.a) || isBoolKind(r.b)) && !(isBoolKind(r.a) && isBoolKind(r.b));
  return ['fmod', 'remainder', 'pow'].includes(r.op) && isBoolKind(r.a) && isBoolKind(r.b);
}

/** The operand a rule names: 1-d [3, 1, 2], 0-d 3, or the JS scalar true / 2 / 2.5. */
export function operand(k: Kind): torch.Tensor | number | boolean {
  if (k[0] === 'scalar') return { bool: true, int: 2, float: 2.5 }[k[1]];
  const t = torch.tensor(k[1] === 'bool' ? [true, true, true] : [3, 1, 2], { dtype: k[1] });
  return k[0] === 'tensor' ? t : t.select(0, 0);
}

/** What torchlet does for a rule: the result dtype or the error message's first line. */
export function outcome(r: UnaryRule | BinaryRule): Outcome {
  const fns = torch as unknown as Record<string, (...a: unknown[]) => torch.Tensor>;
  try {
    return torch.tidy(() => {
      const t = 'dtype' in r ? fns[r.op](operand(['tensor', r.dtype])) : fns[r.op](operand(r.a), operand(r.b));
      return { result: t.dtype as DType };
    });
  } catch (e) {
    return { error: (e as Error).message.split('\n')[0] };
  }
}

export const agrees = (want: Outcome, got: Outcome): boolean =>
  want.error !== undefined ? got.error === want.error : got.result === want.result;
