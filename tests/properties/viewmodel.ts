// A plain-JS model of views: (shape, strides, offset) over the base's
// row-major data, and random chains of view ops applied to a tensor and to
// the model side by side. Shared by the view and reduction property suites.
import fc from 'fast-check';
import * as torch from 'torchlet';
import { contiguousStrides, forEachIndex, make, numel, shapeArb, type DType } from './util';

export interface Model {
  shape: number[];
  strides: number[];
  offset: number;
}

export interface Step {
  kind: number;
  a: number;
  b: number;
  c: number;
}

export const stepArb = fc.record({ kind: fc.nat(9), a: fc.nat(1000), b: fc.nat(1000), c: fc.nat(1000) });
const pick = (seed: number, n: number): number => seed % n;

/** Applies one step to the tensor and to the model; returns a label, or null if the step does not fit the shape. */
export function apply(t: torch.Tensor, m: Model, s: Step): [torch.Tensor, Model, string] | null {
  const nd = m.shape.length;
  const sw = <T>(xs: T[], i: number, j: number): T[] => {
    const r = [...xs];
    [r[i], r[j]] = [r[j], r[i]];
    return r;
  };
  switch (s.kind) {
    case 0: {
      if (nd === 0) return null;
      const i = pick(s.a, nd), j = pick(s.b, nd);
      return [t.transpose(i, j - nd), { shape: sw(m.shape, i, j), strides: sw(m.strides, i, j), offset: m.offset }, `transpose(${i},${j - nd})`];
    }
    case 1: {
      const perm = m.shape.map((_, i) => i).sort((x, y) => ((x * 7 + s.a) % 11) - ((y * 7 + s.a) % 11) || x - y);
      return [t.permute(perm), { shape: perm.map((d) => m.shape[d]), strides: perm.map((d) => m.strides[d]), offset: m.offset }, `permute(${perm})`];
    }
    case 2: {
      if (nd === 0) return null;
      const d = pick(s.a, nd), size = m.shape[d];
      const start = pick(s.b, size + 1), len = pick(s.c, size - start + 1);
      const shape = [...m.shape];
      shape[d] = len;
      return [t.narrow(d, start, len), { shape, strides: m.strides, offset: m.offset + start * m.strides[d] }, `narrow(${d},${start},${len})`];
    }
    case 3: {
      if (nd === 0) return null;
      const d = pick(s.a, nd), size = m.shape[d];
      if (size === 0) return null;
      const i = pick(s.b, size);
      const idx = s.c % 2 ? i - size : i; // negative indices count from the end
      const keep = (_: number, k: number) => k !== d;
      return [t.select(d, idx), { shape: m.shape.filter(keep), strides: m.strides.filter(keep), offset: m.offset + i * m.strides[d] }, `select(${d},${idx})`];
    }
    case 4: {
      const lead = s.c % 3 === 0 && nd < 5 ? [1 + pick(s.a, 3)] : [];
      const shape = [...lead, ...m.shape.map((v, i) => (v === 1 && (s.b >> i) % 2 ? 1 + pick(s.a + i, 3) : v))];
      const strides = [...lead.map(() => 0), ...m.strides.map((st, i) => (m.shape[i] === 1 && shape[i + lead.length] !== 1 ? 0 : st))];
      return [t.expand(shape), { shape, strides, offset: m.offset }, `expand(${shape})`];
    }
    case 5: {
      if (nd >= 5) return null;
      const d = pick(s.a, nd + 1);
      const stride = d < nd ? m.shape[d] * m.strides[d] : 1;
      return [t.unsqueeze(d), { shape: [...m.shape.slice(0, d), 1, ...m.shape.slice(d)], strides: [...m.strides.slice(0, d), stride, ...m.strides.slice(d)], offset: m.offset }, `unsqueeze(${d})`];
    }
    case 6: {
      const ones = m.shape.map((v, i) => (v === 1 ? i : -1)).filter((i) => i >= 0);
      if (!ones.length) return null;
      const d = ones[pick(s.a, ones.length)];
      const keep = (_: number, k: number) => k !== d;
      return [t.squeeze(d), { shape: m.shape.filter(keep), strides: m.strides.filter(keep), offset: m.offset }, `squeeze(${d})`];
    }
    case 7: {
      if (nd > 2) return null;
      return [t.t(), { shape: [...m.shape].reverse(), strides: [...m.strides].reverse(), offset: m.offset }, 't()'];
    }
    case 8: {
      if (nd === 0) return null;
      const src = pick(s.a, nd), dst = pick(s.b, nd);
      const order = m.shape.map((_, i) => i).filter((i) => i !== src);
      order.splice(dst, 0, src);
      return [t.movedim(src, dst), { shape: order.map((d) => m.shape[d]), strides: order.map((d) => m.strides[d]), offset: m.offset }, `movedim(${src},${dst})`];
    }
    default: {
      if (nd < 2) return null;
      return [t.mT, { shape: sw(m.shape, nd - 2, nd - 1), strides: sw(m.strides, nd - 2, nd - 1), offset: m.offset }, 'mT'];
    }
  }
}

export function modelValues(m: Model, base: readonly number[]): number[] {
  const out: number[] = [];
  forEachIndex(m.shape, (idx) => out.push(base[idx.reduce((p, i, d) => p + i * m.strides[d], m.offset)]));
  return out;
}

const DT: DType[] = ['float32', 'float64', 'int32', 'int64'];

/** A base tensor's shape, dtype and small integer values. */
export const baseArb = fc
  .tuple(shapeArb(4, 4, 1), fc.constantFrom(...DT))
  .chain(([shape, dtype]) => fc.tuple(fc.constant(shape), fc.constant(dtype), fc.array(fc.integer({ min: -9, max: 9 }), { minLength: numel(shape), maxLength: numel(shape) })));

/** Builds the base and applies the steps that fit; returns the view, its model and a description. */
export function buildView(shape: number[], dtype: DType, values: number[], steps: Step[]): { t: torch.Tensor; m: Model; where: string; base: torch.Tensor } {
  const base = make(shape, dtype, values);
  let t = base;
  let m: Model = { shape: [...shape], strides: contiguousStrides(shape), offset: 0 };
  const log: string[] = [];
  for (const s of steps) {
    const r = apply(t, m, s);
    if (!r) continue;
    [t, m] = r;
    log.push(r[2]);
  }
  return { t, m, where: `${dtype} [${shape}] ${log.join('.')}`, base };
}
