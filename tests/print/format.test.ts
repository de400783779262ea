import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { DType } from '../../src/tensor/dtype';
import { formatTensor, getPrintOptions, setPrintOptions, type Printable, type PrintOptions } from '../../src/print/format';
import { formatExp, formatFixed } from '../../src/print/scalar';

type JsonNumber = number | 'nan' | 'inf' | '-inf';
type OptionCall = Partial<Record<keyof PrintOptions, JsonNumber | boolean>> & { profile?: 'default' | 'short' | 'full' };

interface Fixture {
  id: string;
  shape: number[];
  dtype: DType;
  values: JsonNumber[];
  requiresGrad: boolean;
  gradFn: string | null;
  options: OptionCall[] | null;
  expected: string;
}

const fixtures: Fixture[] = JSON.parse(readFileSync(new URL('../fixtures/print.json', import.meta.url), 'utf8'));

function decode(v: JsonNumber): number {
  if (v === 'nan') return NaN;
  if (v === 'inf') return Infinity;
  if (v === '-inf') return -Infinity;
  return v;
}

// Typed arrays mirror what the tensor storage hands the printer; int64 stays a plain array.
function storage(dtype: DType, values: number[]): ArrayLike<number> {
  switch (dtype) {
    case 'float32': return Float32Array.from(values);
    case 'float64': return Float64Array.from(values);
    case 'int32': return Int32Array.from(values);
    case 'uint8': case 'bool': return Uint8Array.from(values);
    case 'int64': return values;
  }
}

function applyOptions(call: OptionCall): void {
  const o: Parameters<typeof setPrintOptions>[0] = {};
  if (call.profile !== undefined) o.profile = call.profile;
  if (call.precision !== undefined) o.precision = decode(call.precision as JsonNumber);
  if (call.threshold !== undefined) o.threshold = decode(call.threshold as JsonNumber);
  if (call.edgeitems !== undefined) o.edgeitems = decode(call.edgeitems as JsonNumber);
  if (call.linewidth !== undefined) o.linewidth = decode(call.linewidth as JsonNumber);
  if (call.sciMode !== undefined) o.sciMode = call.sciMode as boolean;
  setPrintOptions(o);
}

const printable = (shape: number[], dtype: DType, values: number[], extra: Partial<Printable> = {}): Printable => ({
  shape, dtype, values: storage(dtype, values), requiresGrad: false, gradFn: null, ...extra,
});

afterEach(() => setPrintOptions({ profile: 'default' }));

describe('formatTensor matches PyTorch 1.13 repr', () => {
  it('has a substantial fixture set', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(150);
  });

  it.each(fixtures.map((f) => [f.id, f] as const))('%s', (_id, f) => {
    for (const call of f.options ?? []) applyOptions(call);
    const t = printable(f.shape, f.dtype, f.values.map(decode), { requiresGrad: f.requiresGrad, gradFn: f.gradFn });
    expect(formatTensor(t)).toBe(f.expected);
  });
});

describe('Python float formatting', () => {
  it('rounds exact binary ties half to even', () => {
    expect(formatFixed(0.5, 0)).toBe('0');
    expect(formatFixed(1.5, 0)).toBe('2');
    expect(formatFixed(2.5, 0)).toBe('2');
    expect(formatFixed(1.03125, 4)).toBe('1.0312');
    expect(formatFixed(0.125, 2)).toBe('0.12');
    expect(formatExp(103125, 4)).toBe('1.0312e+05');
    expect(formatExp(103135, 4)).toBe('1.0314e+05');
  });

  it('rounds non-ties by the exact binary value', () => {
    expect(formatFixed(1.005, 2)).toBe('1.00'); // 1.005 is stored just below the tie
    expect(formatFixed(0.015625, 5)).toBe('0.01562');
  });

  it('writes at least two exponent digits and carries into the exponent', () => {
    expect(formatExp(1e5, 4)).toBe('1.0000e+05');
    expect(formatExp(1e-10, 4)).toBe('1.0000e-10');
    expect(formatExp(1e100, 2)).toBe('1.00e+100');
    expect(formatExp(9.99996, 4)).toBe('1.0000e+01');
    expect(formatExp(5e-324, 4)).toBe('4.9407e-324');
    expect(formatExp(12345, 0)).toBe('1e+04');
  });

  it('keeps the sign of zero and spells non-finite values like Python', () => {
    expect(formatFixed(-0, 4)).toBe('-0.0000');
    expect(formatExp(-0, 4)).toBe('-0.0000e+00');
    expect(formatFixed(-0.00001, 2)).toBe('-0.00');
    expect(formatFixed(NaN, 4)).toBe('nan');
    expect(formatExp(-Infinity, 4)).toBe('-inf');
  });

  it('prints huge integral values in full where toFixed would switch to exponent form', () => {
    expect(formatFixed(1e21, 0)).toBe('1000000000000000000000');
    expect(formatFixed(2 ** 70, 1)).toBe('1180591620717411303424.0');
  });
});

describe('layout details', () => {
  it('ignores hidden values when choosing the notation', () => {
    setPrintOptions({ threshold: 5 });
    const values = [1, 2, 3, 1e12, 4, 5, 6];
    expect(formatTensor(printable([7], 'float32', values))).toBe('tensor([1., 2., 3.,  ..., 4., 5., 6.])');
  });

  it('separates 3-D blocks with a blank line and 4-D blocks with two', () => {
    const s = formatTensor(printable([2, 1, 1, 1], 'int64', [1, 2]));
    expect(s).toBe('tensor([[[[1]]],\n\n\n        [[[2]]]])');
    const s3 = formatTensor(printable([2, 1, 1], 'int64', [1, 2]));
    expect(s3).toBe('tensor([[[1]],\n\n        [[2]]])');
  });

  it('prefers grad_fn over requires_grad', () => {
    const t = printable([], 'float32', [2], { requiresGrad: true, gradFn: 'SumBackward0' });
    expect(formatTensor(t)).toBe('tensor(2., grad_fn=<SumBackward0>)');
    expect(formatTensor({ ...t, gradFn: null })).toBe('tensor(2., requires_grad=True)');
  });

  it('names the dtype of empty tensors unless it is float32', () => {
    expect(formatTensor(printable([0], 'int64', []))).toBe('tensor([], dtype=torch.int64)');
    expect(formatTensor(printable([0, 2], 'float32', []))).toBe('tensor([], size=(0, 2))');
  });
});

describe('print options', () => {
  it('resets sciMode on every call, like torch.set_printoptions', () => {
    setPrintOptions({ sciMode: true });
    expect(getPrintOptions().sciMode).toBe(true);
    setPrintOptions({ precision: 2 });
    expect(getPrintOptions()).toEqual({ precision: 2, threshold: 1000, edgeitems: 3, linewidth: 80, sciMode: null });
  });

  it('applies the profile before explicit fields', () => {
    setPrintOptions({ profile: 'full', edgeitems: 1 });
    expect(getPrintOptions()).toEqual({ precision: 4, threshold: Infinity, edgeitems: 1, linewidth: 80, sciMode: null });
  });

  it('ignores a forced sci mode when every value is zero or non-finite', () => {
    setPrintOptions({ sciMode: true });
    expect(formatTensor(printable([2], 'float32', [0, NaN]))).toBe('tensor([0., nan])');
  });
});
