// safetensors against PyTorch's side (fixture: tests/fixtures/gen_nn_io.py, which writes
// and reads the format by hand): files written in Python load with the right dtypes and
// values; a model trained in PyTorch loads into the same torchlet architecture and
// predicts the same; torchlet's own bytes were parsed by the Python reader when recorded
// (pinned here by SHA-256); malformed files are refused before anything is allocated.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import * as torch from 'torchlet';
import { loadFixture, run } from '../nn/records';

type Value = number | boolean | string;
interface FileCase {
  id: string;
  bytes: string;
  tensors: Record<string, { format: string; shape: number[]; values: Value[] }>;
  metadata: Record<string, string> | null;
}
interface Fixture {
  files: FileCase[];
  model: { js: string; bytes: string; keys: string[]; input: number[][]; output: number[][] }[];
  malformed: { id: string; bytes: string; reason: string }[];
  written: { id: string; js: string; metadata: Record<string, string> | null; sha256: string; aligned: boolean }[];
}

const fx = loadFixture<Fixture>('io');
const bytesOf = (b64: string): Uint8Array => new Uint8Array(Buffer.from(b64, 'base64'));

/** The torchlet dtype each format lands in: narrow ints widen, half floats become float32. */
const LANDS_IN: Record<string, torch.DType> = {
  F64: 'float64', F32: 'float32', F16: 'float32', BF16: 'float32', I64: 'int64', I32: 'int32',
  I16: 'int32', I8: 'int32', U8: 'uint8', U16: 'int32', U32: 'int64', BOOL: 'bool',
};

/** Flat values as the fixture encodes them: floats (with 'nan'/'inf'), 64-bit ints as strings, bools. */
function encoded(t: torch.Tensor): Value[] {
  const a = t.contiguous().toTypedArray();
  if (a instanceof BigInt64Array) return Array.from(a, String);
  return Array.from(a as ArrayLike<number>, (v): Value => {
    if (t.dtype === 'bool') return v !== 0;
    if (Number.isNaN(v)) return 'nan';
    if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
    return v;
  });
}

const sameValues = (got: Value[], want: Value[]): boolean =>
  got.length === want.length && got.every((g, i) => g === want[i] || (typeof g === 'number' && typeof want[i] === 'number' && Object.is(g, want[i])));

describe('files written by PyTorch\'s side load with the right values', () => {
  for (const f of fx.files) {
    it(f.id, () => {
      const sd = torch.load(bytesOf(f.bytes));
      expect(Object.keys(sd).sort()).toEqual(Object.keys(f.tensors).sort());
      for (const [name, want] of Object.entries(f.tensors)) {
        const t = sd[name];
        expect(t.dtype, name).toBe(LANDS_IN[want.format]);
        expect([...t.shape], name).toEqual(want.shape);
        const got = encoded(t);
        // -0.0 survives: compare with Object.is, which tells 0 from -0
        if (!sameValues(got, want.values)) throw new Error(`${name}: ${JSON.stringify(got)} != ${JSON.stringify(want.values)}`);
      }
      expect(torch.loadMetadata(bytesOf(f.bytes))).toEqual(f.metadata);
    });
  }
  it('reads from an ArrayBuffer and from a Uint8Array that is a window into a larger buffer', () => {
    const f = fx.files.find((x) => x.id === 'every-dtype')!;
    const raw = bytesOf(f.bytes);
    const padded = new Uint8Array(raw.length + 13);
    padded.set(raw, 5);
    const a = torch.load(padded.subarray(5, 5 + raw.length));
    const b = torch.load(raw.slice().buffer);
    for (const k of Object.keys(f.tensors)) expect(encoded(a[k])).toEqual(encoded(b[k]));
  });
});

describe('a model trained in PyTorch', () => {
  const m = fx.model[0];
  it('loads into the same torchlet architecture by its dotted names and predicts the same', () => {
    const model = run<torch.nn.Module>(m.js);
    const sd = torch.load(bytesOf(m.bytes));
    expect(Object.keys(sd).sort()).toEqual([...m.keys].sort());
    expect(Object.keys(model.stateDict())).toEqual(m.keys);
    expect(model.loadStateDict(sd)).toEqual({ missingKeys: [], unexpectedKeys: [] });
    model.eval();
    const y = torch.noGrad(() => model.forward(torch.tensor(m.input)) as torch.Tensor);
    const got = y.tolist() as number[][];
    got.forEach((row, i) => row.forEach((v, j) => expect(Math.abs(v - m.output[i][j])).toBeLessThan(1e-5 + 1e-5 * Math.abs(m.output[i][j]))));
  });
});

describe('malformed files are refused before anything is allocated', () => {
  torch.tidy(() => torch.ones([2, 2]).matmul(torch.ones([2, 2])));
  for (const c of fx.malformed) {
    it(`${c.id}: ${c.reason}`, () => {
      const b = bytesOf(c.bytes);
      const before = torch.memory();
      let message = '';
      try {
        torch.load(b);
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message).toMatch(/^invalid safetensors file: /);
      expect(message).toContain(c.reason);
      const after = torch.memory();
      expect(after.liveTensors).toBe(before.liveTensors);
      expect(after.liveBytes).toBe(before.liveBytes);
      expect(after.wasmBytes).toBe(before.wasmBytes);
      expect(() => torch.loadMetadata(b)).toThrow(/invalid safetensors file/);
    });
  }
});

describe('bytes torchlet writes', () => {
  for (const w of fx.written) {
    it(`${w.id}: are the bytes the Python reader checked`, () => {
      const sd = run<torch.nn.StateDict>(w.js);
      const bytes = torch.save(sd, w.metadata ?? undefined);
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(w.sha256);
      expect(w.aligned).toBe(true);
    });
    it(`${w.id}: load back as the same tensors`, () => {
      const sd = run<torch.nn.StateDict>(w.js);
      const back = torch.load(torch.save(sd, w.metadata ?? undefined));
      expect(Object.keys(back).sort()).toEqual(Object.keys(sd).sort());
      for (const [k, t] of Object.entries(sd)) {
        expect(back[k].dtype).toBe(t.dtype);
        expect([...back[k].shape]).toEqual([...t.shape]);
        expect(encoded(back[k])).toEqual(encoded(t));
      }
    });
  }
  it('start the data section 8-byte aligned whatever the names are made of', () => {
    for (const name of ['a', 'é', '名前', '😀x', 'ab'.repeat(37)]) {
      const b = torch.save({ [name]: torch.ones([3], { dtype: 'float64' }) });
      const n = Number(new DataView(b.buffer, b.byteOffset).getBigUint64(0, true));
      expect((8 + n) % 8, name).toBe(0);
      expect(torch.load(b)[name].tolist()).toEqual([1, 1, 1]);
    }
  });
  it('round-trip every dtype, 0-d, empty and non-contiguous tensors, with metadata', () => {
    const base = torch.arange(12, { dtype: 'float64' }).reshape([3, 4]);
    const sd: torch.nn.StateDict = {
      f32: torch.tensor([NaN, -Infinity, -0, 1e-45], { dtype: 'float32' }),
      f64: base.t(),
      i32: torch.tensor([[-2147483648, 2147483647]], { dtype: 'int32' }),
      i64: torch.tensor([-(2 ** 53), 2 ** 53], { dtype: 'int64' }),
      u8: torch.tensor([0, 255], { dtype: 'uint8' }).flip(0),
      b: torch.tensor([[true, false], [false, true]]).t(),
      scalar: torch.tensor(7, { dtype: 'int64' }),
      empty: torch.zeros([0, 5], { dtype: 'bool' }),
      strided: base.narrow(1, 1, 2).select(0, 2),
    };
    const bytes = torch.save(sd, { framework: 'torchlet', '': 'empty key' });
    const back = torch.load(bytes);
    for (const [k, t] of Object.entries(sd)) {
      expect(back[k].dtype, k).toBe(t.dtype);
      expect([...back[k].shape], k).toEqual([...t.shape]);
      expect(encoded(back[k]), k).toEqual(encoded(t));
      expect(back[k].isContiguous(), k).toBe(true);
    }
    expect(torch.loadMetadata(bytes)).toEqual({ framework: 'torchlet', '': 'empty key' });
    expect(torch.loadMetadata(torch.save({}))).toBeNull();
    expect(torch.load(torch.save({}))).toEqual({});
  });
  it('refuse what no reader could read back', () => {
    expect(() => torch.save({ a: 3 as unknown as torch.Tensor })).toThrow(/not a Tensor/);
    expect(() => torch.save({ __metadata__: torch.ones([1]) })).toThrow(/reserved/);
    expect(() => torch.save({ a: torch.ones([1]) }, { n: 1 as unknown as string })).toThrow(/not a string/);
  });
  it('loaded tensors own their memory: the source bytes can change afterwards', () => {
    const bytes = torch.save({ a: torch.tensor([1, 2, 3], { dtype: 'int32' }) });
    const t = torch.load(bytes).a;
    bytes.fill(0, bytes.length - 12);
    expect(t.tolist()).toEqual([1, 2, 3]);
  });
  it('a failed load leaves nothing behind even after some tensors were made', () => {
    // the second tensor's bytes are there but its dtype cannot be read: refused before any allocation
    const good = torch.save({ a: torch.ones([4]), b: torch.ones([2]) });
    const n = Number(new DataView(good.buffer, good.byteOffset).getBigUint64(0, true));
    const header = new TextDecoder().decode(good.subarray(8, 8 + n)).replace('"b":{"dtype":"F32"', '"b":{"dtype":"X32"');
    const bad = new Uint8Array(good);
    bad.set(new TextEncoder().encode(header), 8);
    const before = torch.memory();
    expect(() => torch.load(bad)).toThrow(/unsupported dtype "X32"/);
    expect(torch.memory().liveBytes).toBe(before.liveBytes);
  });
});

it('fixture was recorded from PyTorch 1.13', () => {
  expect(fx.torch).toMatch(/^1\.13/);
});
