// Tensor repr, laid out exactly as PyTorch 1.13 prints it.
import type { DType } from '../tensor/dtype';
import { makeElementFormatter, type ElementFormatter } from './element';
import { getPrintOptions, type PrintOptions } from './options';

export { getPrintOptions, setPrintOptions, type PrintOptions, type PrintProfile } from './options';

export interface Printable {
  shape: readonly number[];
  dtype: DType;
  /** row-major values; bool tensors give 0/1 */
  values: ArrayLike<number>;
  /** Printed as ", requires_grad=True" only when gradFn is null (a leaf). */
  requiresGrad: boolean;
  /** e.g. 'MulBackward0' -> ", grad_fn=<MulBackward0>" */
  gradFn: string | null;
}

const PREFIX = 'tensor(';

/** A contiguous row-major tensor plus the summarization settings in force. */
interface Layout {
  readonly shape: readonly number[];
  readonly strides: readonly number[];
  readonly values: ArrayLike<number>;
  readonly summarize: boolean;
  readonly edge: number;
}

/**
 * The indices of one dimension that are shown; null marks the ellipsis.
 * A 1-D tail is Python's `t[-edge:]`, which is the whole row when edge is 0;
 * higher dims use `range(n - edge, n)`, which is then empty. PyTorch has both.
 */
function shownIndices(size: number, lay: Layout, innermost: boolean): (number | null)[] {
  const all = Array.from({ length: size }, (_, i) => i);
  if (!lay.summarize || size <= 2 * lay.edge) return all;
  const head = all.slice(0, lay.edge);
  const tail = innermost && lay.edge === 0 ? all : all.slice(size - lay.edge);
  return [...head, null, ...tail];
}

/** The values that will be visible, in order; the formatter only looks at these. */
function visibleValues(lay: Layout, dim: number, offset: number, out: number[]): void {
  if (dim === lay.shape.length) {
    out.push(lay.values[offset]);
    return;
  }
  const innermost = dim === lay.shape.length - 1;
  for (const i of shownIndices(lay.shape[dim], lay, innermost)) {
    if (i !== null) visibleValues(lay, dim + 1, offset + i * lay.strides[dim], out);
  }
}

function vectorString(lay: Layout, offset: number, indent: number, fmt: ElementFormatter, linewidth: number): string {
  const dim = lay.shape.length - 1;
  const items = shownIndices(lay.shape[dim], lay, true).map((i) =>
    i === null ? ' ...' : fmt.format(lay.values[offset + i * lay.strides[dim]]),
  );
  // Each element costs its width plus ', '; the ellipsis is packed like an element.
  const perLine = Math.max(1, Math.floor((linewidth - indent) / (fmt.width + 2)));
  const lines: string[] = [];
  for (let i = 0; i < items.length; i += perLine) lines.push(items.slice(i, i + perLine).join(', '));
  return `[${lines.join(`,\n${' '.repeat(indent + 1)}`)}]`;
}

function blockString(lay: Layout, dim: number, offset: number, indent: number, fmt: ElementFormatter, linewidth: number): string {
  const rank = lay.shape.length;
  if (rank === 0) return fmt.format(lay.values[0]);
  if (dim === rank - 1) return vectorString(lay, offset, indent, fmt, linewidth);
  const slices = shownIndices(lay.shape[dim], lay, false).map((i) =>
    i === null ? '...' : blockString(lay, dim + 1, offset + i * lay.strides[dim], indent + 1, fmt, linewidth),
  );
  // Blocks of rank r are separated by r - 1 newlines, i.e. r - 2 blank lines.
  return `[${slices.join(`,${'\n'.repeat(rank - dim - 1)}${' '.repeat(indent + 1)}`)}]`;
}

function contentString(t: Printable, opts: PrintOptions): string {
  const { shape } = t;
  const strides = new Array<number>(shape.length);
  let numel = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    strides[d] = numel;
    numel *= shape[d];
  }
  if (numel === 0) return '[]';
  const lay: Layout = { shape, strides, values: t.values, summarize: numel > opts.threshold, edge: opts.edgeitems };
  const visible: number[] = [];
  visibleValues(lay, 0, 0, visible);
  const fmt = makeElementFormatter(t.dtype, visible, opts);
  return blockString(lay, 0, 0, PREFIX.length, fmt, opts.linewidth);
}

/**
 * Appends ", suffix" items, wrapping onto a new line at the prefix indent when one would
 * overflow. The line length estimate is PyTorch's own, two more than the real length.
 */
function addSuffixes(body: string, suffixes: readonly string[], linewidth: number): string {
  let out = body;
  let lastLineLen = body.length - body.lastIndexOf('\n') + 1;
  for (const suffix of suffixes) {
    if (lastLineLen + suffix.length + 2 > linewidth) {
      out += `,\n${' '.repeat(PREFIX.length)}${suffix}`;
      lastLineLen = PREFIX.length + suffix.length;
    } else {
      out += `, ${suffix}`;
      lastLineLen += suffix.length + 2;
    }
  }
  return `${out})`;
}

/** The full repr, e.g. "tensor([1, 2], dtype=torch.int32)", matching PyTorch's repr(). */
export function formatTensor(t: Printable): string {
  const opts = getPrintOptions();
  const numel = t.shape.reduce((a, b) => a * b, 1);
  const suffixes: string[] = [];
  if (numel === 0) {
    // Nothing to infer the dtype from, so only the default float dtype goes unnamed.
    if (t.shape.length !== 1) suffixes.push(`size=${pythonTuple(t.shape)}`);
    if (t.dtype !== 'float32') suffixes.push(`dtype=torch.${t.dtype}`);
  } else if (t.dtype !== 'float32' && t.dtype !== 'int64' && t.dtype !== 'bool') {
    suffixes.push(`dtype=torch.${t.dtype}`);
  }
  if (t.gradFn !== null) suffixes.push(`grad_fn=<${t.gradFn}>`);
  else if (t.requiresGrad) suffixes.push('requires_grad=True');
  return addSuffixes(PREFIX + contentString(t, opts), suffixes, opts.linewidth);
}

function pythonTuple(items: readonly number[]): string {
  return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
}
