// safetensors, the format Hugging Face uses: an 8-byte little-endian header
// length, a JSON header { name: { dtype, shape, data_offsets } }, then the
// raw little-endian bytes. The reader validates everything the header
// claims against the file before allocating anything.
import { Tensor } from '../tensor/tensor';
import { type DType, itemSize } from '../tensor/dtype';
import { numel } from '../tensor/shape';
import { wasm } from '../devices/wasm/module';
import { cast } from '../devices/wasm/backend';

const TO_FORMAT: Record<DType, string> = { float32: 'F32', float64: 'F64', int32: 'I32', int64: 'I64', uint8: 'U8', bool: 'BOOL' };

/** Format dtypes we read, their byte size, and the torchlet dtype they land in. */
const FROM_FORMAT: Record<string, { size: number; dtype: DType }> = {
  F64: { size: 8, dtype: 'float64' }, F32: { size: 4, dtype: 'float32' }, F16: { size: 2, dtype: 'float32' }, BF16: { size: 2, dtype: 'float32' },
  I64: { size: 8, dtype: 'int64' }, I32: { size: 4, dtype: 'int32' }, I16: { size: 2, dtype: 'int32' }, I8: { size: 1, dtype: 'int32' },
  U8: { size: 1, dtype: 'uint8' }, U16: { size: 2, dtype: 'int32' }, U32: { size: 4, dtype: 'int64' }, BOOL: { size: 1, dtype: 'bool' },
};

/** The reference implementation refuses headers beyond this size. */
const MAX_HEADER = 100_000_000;

export type StateDict = Record<string, Tensor>;

function bytesOf(t: Tensor): Uint8Array {
  if (t.device !== 'wasm') throw new Error("torch.save cannot read webgpu tensors synchronously; move them first with await t.toAsync('wasm')");
  const c = t.isContiguous() ? t : t.contiguous();
  const n = c.numel() * itemSize(c.dtype);
  const out = new Uint8Array(wasm().memory.buffer, c.ptr, n).slice();
  if (c !== t) c.dispose();
  return out;
}

/** Serialises tensors (and optional string metadata) to safetensors bytes. */
export function save(tensors: StateDict, metadata?: Record<string, string>): Uint8Array {
  if (tensors === null || typeof tensors !== 'object' || Array.isArray(tensors) || tensors instanceof Tensor) {
    throw new TypeError(`save(): expected an object mapping names to tensors, got ${tensors === null ? 'null' : Array.isArray(tensors) ? 'an array' : typeof tensors}`);
  }
  const entries = Object.entries(tensors);
  for (const [k, t] of entries) if (!(t instanceof Tensor)) throw new TypeError(`save(): value for "${k}" is not a Tensor`);
  // readers take this key for the metadata, so no tensor may have it
  if ('__metadata__' in tensors) throw new Error('save(): "__metadata__" is reserved for the metadata and cannot name a tensor');
  if (metadata) {
    for (const [k, v] of Object.entries(metadata)) if (typeof v !== 'string') throw new TypeError(`save(): metadata value for "${k}" is not a string`);
  }
  // larger dtypes first, then by name: every tensor stays naturally aligned (the reference writer's order)
  entries.sort(([ka, a], [kb, b]) => itemSize(b.dtype) - itemSize(a.dtype) || (ka < kb ? -1 : ka > kb ? 1 : 0));
  const header: Record<string, unknown> = {};
  if (metadata) header.__metadata__ = metadata;
  const blobs: Uint8Array[] = [];
  let offset = 0;
  for (const [k, t] of entries) {
    const b = bytesOf(t);
    header[k] = { dtype: TO_FORMAT[t.dtype], shape: [...t.shape], data_offsets: [offset, offset + b.length] };
    blobs.push(b);
    offset += b.length;
  }
  // pad the UTF-8 bytes (not the UTF-16 string) so the data section starts 8-byte aligned
  const json = new TextEncoder().encode(JSON.stringify(header));
  const head = new Uint8Array(json.length + ((8 - (json.length % 8)) % 8)).fill(0x20);
  head.set(json);
  const out = new Uint8Array(8 + head.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(head.length), true);
  out.set(head, 8);
  let at = 8 + head.length;
  for (const b of blobs) {
    out.set(b, at);
    at += b.length;
  }
  return out;
}

interface Entry {
  name: string;
  format: string;
  shape: number[];
  begin: number;
  end: number;
}

/** The file's bytes: a Uint8Array, an ArrayBuffer, or the bytes under any other typed array or DataView. */
function asBytes(data: unknown, fn: string): Uint8Array {
  if (data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer || (typeof SharedArrayBuffer !== 'undefined' && data instanceof SharedArrayBuffer)) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  throw new TypeError(`${fn}(): expected the file's bytes (a Uint8Array or ArrayBuffer), got ${data === null ? 'null' : Array.isArray(data) ? 'an array' : typeof data}`);
}

function fail(why: string): never {
  throw new Error(`invalid safetensors file: ${why}`);
}

/** Parses and checks the header; throws before any tensor memory is allocated. */
export function readHeader(bytes: Uint8Array): { entries: Entry[]; metadata: Record<string, string> | null; dataStart: number } {
  if (bytes.length < 8) fail(`${bytes.length} bytes is too short for the 8-byte header length`);
  const n = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(0, true);
  if (n > BigInt(MAX_HEADER)) fail(`header length ${n} exceeds the ${MAX_HEADER}-byte limit`);
  const headerLen = Number(n);
  if (8 + headerLen > bytes.length) fail(`header length ${headerLen} runs past the end of the ${bytes.length}-byte file`);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLen)));
  } catch (e) {
    fail(`header is not valid UTF-8 JSON (${(e as Error).message})`);
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) fail('header is not a JSON object');
  const dataLen = bytes.length - 8 - headerLen;
  let metadata: Record<string, string> | null = null;
  const entries: Entry[] = [];
  for (const [name, v] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (v === null || typeof v !== 'object' || Array.isArray(v) || Object.values(v).some((x) => typeof x !== 'string')) fail('__metadata__ must map strings to strings');
      metadata = v as Record<string, string>;
      continue;
    }
    const info = v as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (!info || typeof info !== 'object' || Array.isArray(info)) fail(`entry "${name}" is not an object`);
    const format = info.dtype;
    if (typeof format !== 'string' || !(format in FROM_FORMAT)) fail(`tensor "${name}" has unsupported dtype ${JSON.stringify(format)}`);
    const shape = info.shape;
    if (!Array.isArray(shape) || shape.some((s) => !Number.isSafeInteger(s) || s < 0)) fail(`tensor "${name}" has an invalid shape ${JSON.stringify(shape)}`);
    const offs = info.data_offsets;
    if (!Array.isArray(offs) || offs.length !== 2 || offs.some((o) => !Number.isSafeInteger(o) || o < 0) || offs[0] > offs[1]) {
      fail(`tensor "${name}" has invalid data_offsets ${JSON.stringify(offs)}`);
    }
    const [begin, end] = offs as [number, number];
    if (end > dataLen) fail(`tensor "${name}" data_offsets [${begin}, ${end}] run past the ${dataLen}-byte data section`);
    const expected = numel(shape as number[]) * FROM_FORMAT[format].size;
    if (end - begin !== expected) fail(`tensor "${name}" of shape [${shape.join(', ')}] and dtype ${format} needs ${expected} bytes but data_offsets give ${end - begin}`);
    entries.push({ name, format, shape: shape as number[], begin, end });
  }
  // the format requires the tensors to tile the data section exactly: no overlaps, no gaps
  const byBegin = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let expectedBegin = 0;
  for (const e of byBegin) {
    if (e.begin !== expectedBegin) {
      fail(e.begin < expectedBegin ? `tensor "${e.name}" overlaps the previous tensor` : `gap in the data section before tensor "${e.name}"`);
    }
    expectedBegin = e.end;
  }
  if (expectedBegin !== dataLen) fail(`the data section has ${dataLen - expectedBegin} bytes that belong to no tensor`);
  return { entries, metadata, dataStart: 8 + headerLen };
}

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

function decode(src: Uint8Array, format: string, count: number): ArrayLike<number> | null {
  const dv = new DataView(src.buffer, src.byteOffset, src.byteLength);
  const out = new Float64Array(count);
  switch (format) {
    case 'F16': for (let i = 0; i < count; i++) out[i] = halfToFloat(dv.getUint16(2 * i, true)); return out;
    case 'BF16': for (let i = 0; i < count; i++) out[i] = new Float32Array(new Uint32Array([dv.getUint16(2 * i, true) << 16]).buffer)[0]; return out;
    case 'I16': for (let i = 0; i < count; i++) out[i] = dv.getInt16(2 * i, true); return out;
    case 'U16': for (let i = 0; i < count; i++) out[i] = dv.getUint16(2 * i, true); return out;
    case 'I8': for (let i = 0; i < count; i++) out[i] = dv.getInt8(i); return out;
    case 'U32': for (let i = 0; i < count; i++) out[i] = dv.getUint32(4 * i, true); return out;
  }
  return null;
}

/** Reads safetensors bytes into a state dict (float16/bfloat16 become float32; narrow ints widen). */
export function load(data: Uint8Array | ArrayBuffer): StateDict {
  const bytes = asBytes(data, 'load');
  const { entries, dataStart } = readHeader(bytes);
  const out: StateDict = {};
  try {
    for (const e of entries) {
      const { dtype } = FROM_FORMAT[e.format];
      const src = bytes.subarray(dataStart + e.begin, dataStart + e.end);
      const t = Tensor.empty(e.shape, dtype);
      const count = numel(e.shape);
      const widened = decode(src, e.format, count);
      if (widened) {
        const tmp = Tensor.empty(e.shape, 'float64');
        new Float64Array(wasm().memory.buffer, tmp.ptr, count).set(widened);
        cast(t, tmp);
        tmp.dispose();
      } else {
        new Uint8Array(wasm().memory.buffer, t.ptr, src.length).set(src);
        if (dtype === 'bool') cast(t, { ...t, ptr: t.ptr, shape: t.shape, strides: t.strides, dtype: 'uint8' });
      }
      // defined, not assigned: a tensor named "__proto__" must become an entry, not the prototype
      Object.defineProperty(out, e.name, { value: t, enumerable: true, writable: true, configurable: true });
    }
  } catch (err) {
    for (const t of Object.values(out)) t.dispose();
    throw err;
  }
  return out;
}

/** The string metadata stored in a file's header, or null. */
export const metadata = (data: Uint8Array | ArrayBuffer): Record<string, string> | null =>
  readHeader(asBytes(data, 'loadMetadata')).metadata;
