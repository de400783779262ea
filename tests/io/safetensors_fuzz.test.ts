// Fuzzing the safetensors reader: valid files mutated (bytes flipped,
// truncated, extended, header length rewritten, header entries rewritten)
// and headers generated from scratch. Every file either loads, and then its
// tensors hold exactly the bytes the header points at, or is refused with
// "invalid safetensors file: ..." before anything is allocated (live memory
// and the wasm memory's size unchanged). The files tried are counted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as torch from 'torchlet';

const RUNS = 1500;
let tried = 0;
let refused = 0;

function valid(): Uint8Array[] {
  return torch.tidy(() => [
    torch.save({ w: torch.arange(12, { dtype: 'float32' }).view(3, 4), b: torch.tensor([1, -2, 3]), m: torch.tensor([true, false]) }),
    torch.save({ x: torch.tensor([[1.5, 2.5]], { dtype: 'float64' }), y: torch.zeros([0, 3]), z: torch.tensor(7, { dtype: 'int32' }) }, { format: 'pt' }),
    torch.save({ u: torch.tensor([1, 2, 255], { dtype: 'uint8' }) }),
  ]);
}
let files: Uint8Array[] = [];

const headerOf = (f: Uint8Array): Record<string, unknown> => {
  const n = Number(new DataView(f.buffer, f.byteOffset).getBigUint64(0, true));
  return JSON.parse(new TextDecoder().decode(f.subarray(8, 8 + n)));
};
const dataOf = (f: Uint8Array): Uint8Array => f.subarray(8 + Number(new DataView(f.buffer, f.byteOffset).getBigUint64(0, true)));

function build(header: unknown, data: Uint8Array, lengthField?: bigint): Uint8Array {
  const json = new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, lengthField ?? BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

const FORMATS = ['F32', 'F64', 'I32', 'I64', 'U8', 'BOOL', 'F16', 'BF16', 'I16', 'I8', 'U16', 'U32', 'F8_E4M3', 'C64', 'f32', '', 'I128'];
const SIZE: Record<string, number> = { F32: 4, F64: 8, I32: 4, I64: 8, U8: 1, BOOL: 1, F16: 2, BF16: 2, I16: 2, I8: 1, U16: 2, U32: 4 };
const numberish = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 40 }) },
  { weight: 1, arbitrary: fc.constantFrom(-1, 1.5, 2 ** 31, 2 ** 53, 1e300, 2 ** 32 + 4, NaN, '3', null) },
);
const entryArb = fc.record({
  dtype: fc.constantFrom(...FORMATS),
  shape: fc.oneof({ weight: 5, arbitrary: fc.array(numberish, { maxLength: 4 }) }, { weight: 1, arbitrary: fc.constantFrom('x', null, {}, [[1]]) }),
  data_offsets: fc.oneof({ weight: 5, arbitrary: fc.tuple(numberish, numberish) }, { weight: 1, arbitrary: fc.array(numberish, { maxLength: 3 }) }),
});

/** One mutation of a valid file, chosen and parameterised by fast-check. */
const mutationArb = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bits: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('extend' as const), extra: fc.uint8Array({ minLength: 1, maxLength: 16 }) }),
  fc.record({ kind: fc.constant('length' as const), value: fc.oneof(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), fc.bigInt({ min: 0n, max: 400n })) }),
  fc.record({ kind: fc.constant('entry' as const), pick: fc.nat(), field: fc.constantFrom('dtype', 'shape', 'data_offsets', 'all', 'delete', 'add'), entry: entryArb }),
  fc.record({ kind: fc.constant('metadata' as const), value: fc.constantFrom<unknown>(null, 'x', { a: 1 }, { a: 'b' }, [], { format: 'pt' }) }),
);
type Mutation = typeof mutationArb extends fc.Arbitrary<infer M> ? M : never;

/** Mutations of the header apply to files whose header still parses; others pass through. */
function mutate(f: Uint8Array, m: Mutation): Uint8Array {
  try {
    return mutateOnce(f, m);
  } catch {
    return f;
  }
}

function mutateOnce(f: Uint8Array, m: Mutation): Uint8Array {
  switch (m.kind) {
    case 'flip': {
      const out = f.slice();
      out[m.at % out.length] ^= m.bits;
      return out;
    }
    case 'truncate':
      return f.slice(0, m.at % f.length);
    case 'extend': {
      const out = new Uint8Array(f.length + m.extra.length);
      out.set(f);
      out.set(m.extra, f.length);
      return out;
    }
    case 'length':
      return build(new TextDecoder().decode(f.subarray(8, 8 + Number(new DataView(f.buffer, f.byteOffset).getBigUint64(0, true)))), dataOf(f), m.value);
    case 'metadata': {
      const h = headerOf(f);
      h.__metadata__ = m.value;
      return build(h, dataOf(f));
    }
    case 'entry': {
      const h = headerOf(f);
      const names = Object.keys(h).filter((k) => k !== '__metadata__');
      const name = names[m.pick % names.length];
      if (m.field === 'delete') delete h[name];
      else if (m.field === 'add') h[`extra${m.pick % 3}`] = m.entry;
      else if (m.field === 'all') h[name] = m.entry;
      else (h[name] as Record<string, unknown>)[m.field] = m.entry[m.field];
      return build(h, dataOf(f));
    }
  }
}

/** Loads bytes and checks the outcome; returns whether the file was refused. */
function check(bytes: Uint8Array): void {
  tried++;
  const before = torch.memory();
  let sd: Record<string, torch.Tensor> | null = null;
  try {
    sd = torch.load(bytes);
  } catch (e) {
    refused++;
    expect(e).toBeInstanceOf(Error);
    expect((e as Error).message).toMatch(/^invalid safetensors file: \S/);
    const after = torch.memory();
    expect({ tensors: after.liveTensors - before.liveTensors, bytes: after.liveBytes - before.liveBytes, wasm: after.wasmBytes - before.wasmBytes }).toEqual({ tensors: 0, bytes: 0, wasm: 0 });
    return;
  }
  // accepted: every tensor holds the bytes its entry points at, and the entries tile the data section
  const header = headerOf(bytes);
  const data = dataOf(bytes);
  const names = Object.keys(header).filter((k) => k !== '__metadata__');
  expect(Object.keys(sd).sort()).toEqual(names.sort());
  let covered = 0;
  for (const name of names) {
    const e = header[name] as { dtype: string; shape: number[]; data_offsets: [number, number] };
    const t = sd[name];
    expect([...t.shape]).toEqual(e.shape);
    expect(e.data_offsets[1] - e.data_offsets[0]).toBe(t.numel() * SIZE[e.dtype]);
    covered += e.data_offsets[1] - e.data_offsets[0];
    if (['F32', 'F64', 'I32', 'I64', 'U8'].includes(e.dtype)) {
      const raw = data.slice(e.data_offsets[0], e.data_offsets[1]);
      const got = t.toTypedArray() as ArrayLike<number | bigint> & { buffer: ArrayBufferLike; byteOffset: number; byteLength: number };
      expect(new Uint8Array(got.buffer, got.byteOffset, got.byteLength)).toEqual(raw);
    }
  }
  expect(covered).toBe(data.length);
  for (const t of Object.values(sd)) t.dispose();
}

describe('safetensors fuzzing', () => {
  beforeAll(() => {
    torch.tidy(() => torch.ones([2, 2]).matmul(torch.ones([2, 2])));
    files = valid();
  });

  it('valid files load', () => files.forEach(check));

  it('mutated valid files load correctly or are refused before allocating', () => {
    fc.assert(fc.property(fc.nat(), fc.array(mutationArb, { minLength: 1, maxLength: 3 }), (pick, ms) => check(ms.reduce(mutate, files[pick % files.length]))), { numRuns: RUNS * 2 });
  });

  it('generated headers load correctly or are refused before allocating', () => {
    const headerArb = fc.oneof(
      { weight: 6, arbitrary: fc.dictionary(fc.oneof(fc.string({ maxLength: 4 }), fc.constantFrom('__proto__', 'constructor', '__metadata__')), entryArb, { maxKeys: 4 }) },
      { weight: 1, arbitrary: fc.jsonValue() },
      { weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
    );
    fc.assert(fc.property(headerArb, fc.uint8Array({ maxLength: 64 }), (h, data) => check(build(h, data))), { numRuns: RUNS });
  });

  it('tensors named like Object.prototype members load as own entries', () => {
    const names = ['__proto__', 'constructor', 'toString', 'hasOwnProperty'];
    const header = Object.fromEntries(names.map((n, i) => [n, { dtype: 'U8', shape: [1], data_offsets: [i, i + 1] }]));
    // JSON.stringify keeps an own "__proto__" key only when it is defined as one
    Object.defineProperty(header, '__proto__', { value: header.__proto__ ?? { dtype: 'U8', shape: [1], data_offsets: [0, 1] }, enumerable: true });
    const sd = torch.load(build(header, new Uint8Array([10, 11, 12, 13])));
    expect(Object.keys(sd).sort()).toEqual([...names].sort());
    expect(names.map((n) => Object.getOwnPropertyDescriptor(sd, n)!.value.item())).toEqual([10, 11, 12, 13]);
    expect(Object.getPrototypeOf(sd)).toBe(Object.prototype);
    for (const n of names) (Object.getOwnPropertyDescriptor(sd, n)!.value as torch.Tensor).dispose();
    check(build(header, new Uint8Array([10, 11, 12, 13])));
  });

  it('absurd header lengths are refused without reading or allocating them', () => {
    for (const n of [2n ** 64n - 1n, 2n ** 63n, 2n ** 53n + 1n, 100_000_001n, 4n * 2n ** 30n]) check(build('{}', new Uint8Array(0), n));
  });

  afterAll(() => {
    console.log(`safetensors fuzzing: ${tried} files tried, ${refused} refused`);
    expect(tried).toBeGreaterThanOrEqual(3 * RUNS);
  });
});
