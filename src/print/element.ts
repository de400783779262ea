// Chooses one notation and column width for all elements of a tensor, as
// PyTorch's _Formatter does, then formats single elements with it.
import type { DType } from '../tensor/dtype';
import type { PrintOptions } from './options';
import { formatExp, formatFixed } from './scalar';

export interface ElementFormatter {
  /** Every formatted element is left-padded to at least this many characters. */
  readonly width: number;
  format(value: number): string;
}

const isFloatDType = (d: DType): boolean => d === 'float32' || d === 'float64';

function plainString(dtype: DType, value: number): string {
  if (dtype === 'bool') return value ? 'True' : 'False';
  return String(value);
}

/**
 * `sample` holds the values that will be shown: all of them, or only the edge
 * items when summarizing, so hidden values never affect the layout.
 */
export function makeElementFormatter(dtype: DType, sample: readonly number[], opts: PrintOptions): ElementFormatter {
  const { precision } = opts;
  let width = 1;
  if (!isFloatDType(dtype)) {
    for (const v of sample) width = Math.max(width, plainString(dtype, v).length);
    return withWidth(width, (v) => plainString(dtype, v));
  }

  let intMode = true;
  let sciMode = false;
  // Zeros and non-finite values have no say in the notation or the width.
  const vals = sample.filter((v) => Number.isFinite(v) && v !== 0);
  if (vals.length > 0) {
    let min = Infinity;
    let max = 0;
    for (const v of vals) {
      const a = Math.abs(v);
      if (a < min) min = a;
      if (a > max) max = a;
    }
    intMode = vals.every((v) => v === Math.ceil(v));
    // PyTorch does this arithmetic in float64, which is what JS numbers are.
    const wide = max / min > 1000 || max > 1e8;
    let measure: (v: number) => number;
    if (intMode) {
      sciMode = wide;
      // The +1 is the '.' appended to integral floats.
      measure = sciMode ? (v) => formatExp(v, precision).length : (v) => formatFixed(v, 0).length + 1;
    } else {
      sciMode = wide || min < 1e-4;
      measure = sciMode ? (v) => formatExp(v, precision).length : (v) => formatFixed(v, precision).length;
    }
    for (const v of vals) width = Math.max(width, measure(v));
    // PyTorch returns early when there is nothing to measure, so a forced
    // sci_mode is ignored for tensors of only zeros and non-finite values.
    if (opts.sciMode !== null) sciMode = opts.sciMode;
  }

  if (sciMode) return withWidth(width, (v) => formatExp(v, precision));
  if (intMode) return withWidth(width, (v) => (Number.isFinite(v) ? `${formatFixed(v, 0)}.` : formatFixed(v, 0)));
  return withWidth(width, (v) => formatFixed(v, precision));
}

function withWidth(width: number, render: (v: number) => string): ElementFormatter {
  return { width, format: (v) => render(v).padStart(width, ' ') };
}
