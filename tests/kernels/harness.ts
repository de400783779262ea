// A test bench for the raw kernels: instantiates a wasm build with its own
// memory, hands out guarded buffers, writes meta blocks and strided views,
// and reads results back. Every buffer sits between guard bytes and every
// output buffer starts filled with a sentinel, so a kernel that writes
// outside its view (past a tail, into a stride gap) is caught.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * The builds under test. Issue 4 adds scalar and relaxed-SIMD builds of the
 * same kernels: list them here (or in TORCHLET_WASM, comma-separated) and
 * every kernel suite runs against each.
 */
export const BUILDS: readonly string[] = process.env.TORCHLET_WASM
  ? process.env.TORCHLET_WASM.split(',').map((s) => s.trim()).filter(Boolean)
  : ['dist/wasm/torchlet.simd.wasm'];

/** Sizes that leave every kind of SIMD tail (and the empty case). */
export const SIZES = [0, 1, 3, 4, 5, 15, 16, 17, 33, 1000] as const;

export type KDType = 'f32' | 'f64' | 'i32' | 'i64' | 'u8' | 'bool';
/** A value as the tests hold it: bigint for i64, number (0/1 for bool) otherwise. */
export type Val = number | bigint;

export const ITEM: Record<KDType, number> = { f32: 4, f64: 8, i32: 4, i64: 8, u8: 1, bool: 1 };
export const isFloatT = (d: KDType): boolean => d === 'f32' || d === 'f64';

const HEAP_BASE = 65536;
const GUARD = 32;
const GUARD_BYTE = 0xa5;
export const SENTINEL_BYTE = 0xcd;

/** A strided view into a buffer: element strides and offset, as a Tensor has. */
export interface View {
  dtype: KDType;
  ptr: number; // byte address of the buffer's element 0
  shape: number[];
  strides: number[];
  offset: number;
  length: number; // elements in the buffer
}

export const numel = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

export function contiguous(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    s[d] = acc;
    acc *= Math.max(shape[d], 1);
  }
  return s;
}

/** Elements a buffer needs to hold every position a view can reach. */
export function spanOf(shape: readonly number[], strides: readonly number[], offset: number): number {
  if (numel(shape) === 0) return offset + 1;
  let last = offset;
  for (let d = 0; d < shape.length; d++) last += (shape[d] - 1) * strides[d];
  return last + 1;
}

/** Calls fn for every index of shape in row-major order, with the running linear index. */
export function forEachIndex(shape: readonly number[], fn: (idx: number[], linear: number) => void): void {
  const n = numel(shape);
  const idx = new Array<number>(shape.length).fill(0);
  for (let i = 0; i < n; i++) {
    fn(idx, i);
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++idx[d] < shape[d]) break;
      idx[d] = 0;
    }
  }
}

export const position = (v: View, idx: readonly number[]): number =>
  idx.reduce((p, i, d) => p + i * v.strides[d], v.offset);

export class Bench {
  readonly memory: WebAssembly.Memory;
  readonly exports: Record<string, (...args: number[]) => number>;
  private top = HEAP_BASE;
  private guards: [number, number][] = [];

  constructor(readonly file: string) {
    const bytes = readFileSync(resolve(file));
    this.memory = new WebAssembly.Memory({ initial: 64 });
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {
      env: {
        memory: this.memory,
        abort: () => {
          throw new Error(`${file}: kernel abort`);
        },
      },
    });
    this.exports = instance.exports as unknown as Record<string, (...args: number[]) => number>;
  }

  fn(name: string): (...args: number[]) => number {
    const f = this.exports[name];
    if (typeof f !== 'function') throw new Error(`${this.file} has no export ${name}`);
    return f;
  }

  /** Forgets every buffer (call between cases). */
  reset(): void {
    this.top = HEAP_BASE;
    this.guards = [];
  }

  /** A 16-byte-aligned block with guard bytes on both sides, filled with `fill`. */
  alloc(bytes: number, fill = SENTINEL_BYTE): number {
    const start = this.top;
    const ptr = start + GUARD;
    const end = ptr + Math.ceil(Math.max(bytes, 1) / 16) * 16;
    const need = end + GUARD;
    if (need > this.memory.buffer.byteLength) this.memory.grow(Math.ceil((need - this.memory.buffer.byteLength) / 65536));
    const u8 = new Uint8Array(this.memory.buffer);
    u8.fill(GUARD_BYTE, start, ptr);
    u8.fill(fill, ptr, end);
    u8.fill(GUARD_BYTE, end, need);
    this.guards.push([start, ptr], [end, need]);
    this.top = need;
    return ptr;
  }

  /** Throws if any kernel wrote into a guard region. */
  checkGuards(): void {
    const u8 = new Uint8Array(this.memory.buffer);
    for (const [a, b] of this.guards) {
      for (let i = a; i < b; i++) {
        if (u8[i] !== GUARD_BYTE) throw new Error(`guard byte at ${i} overwritten (guard ${a}..${b})`);
      }
    }
  }

  /** An i32 meta block with `scratch` extra zeroed slots after `ints`. */
  meta(ints: readonly number[], scratch = 0): number {
    const p = this.alloc((ints.length + scratch) * 4, 0);
    new Int32Array(this.memory.buffer, p, ints.length).set(ints);
    return p;
  }

  write(dtype: KDType, ptr: number, values: readonly Val[]): void {
    const buf = this.memory.buffer;
    const n = values.length;
    switch (dtype) {
      case 'f32': new Float32Array(buf, ptr, n).set(values as number[]); break;
      case 'f64': new Float64Array(buf, ptr, n).set(values as number[]); break;
      case 'i32': new Int32Array(buf, ptr, n).set(values as number[]); break;
      case 'i64': new BigInt64Array(buf, ptr, n).set(values.map((v) => BigInt(v))); break;
      default: new Uint8Array(buf, ptr, n).set(values as number[]); break;
    }
  }

  read(dtype: KDType, ptr: number, n: number): Val[] {
    const buf = this.memory.buffer;
    switch (dtype) {
      case 'f32': return Array.from(new Float32Array(buf, ptr, n));
      case 'f64': return Array.from(new Float64Array(buf, ptr, n));
      case 'i32': return Array.from(new Int32Array(buf, ptr, n));
      case 'i64': return Array.from(new BigInt64Array(buf, ptr, n));
      default: return Array.from(new Uint8Array(buf, ptr, n));
    }
  }

  /** Raw bytes of element i of a buffer. */
  bytesAt(dtype: KDType, ptr: number, i: number): Uint8Array {
    return new Uint8Array(this.memory.buffer, ptr + i * ITEM[dtype], ITEM[dtype]);
  }

  /** A view over a fresh buffer holding `values` (one per buffer element). */
  input(dtype: KDType, shape: number[], strides: number[], offset: number, values: (i: number) => Val): View {
    const length = spanOf(shape, strides, offset);
    const ptr = this.alloc(length * ITEM[dtype]);
    this.write(dtype, ptr, Array.from({ length }, (_, i) => values(i)));
    return { dtype, ptr, shape, strides, offset, length };
  }

  /** A view over a fresh buffer full of sentinel bytes. */
  output(dtype: KDType, shape: number[], strides: number[], offset: number): View {
    const length = spanOf(shape, strides, offset);
    return { dtype, ptr: this.alloc(length * ITEM[dtype]), shape, strides, offset, length };
  }

  /** Byte address of the view's element [0, ..., 0]. */
  addr(v: View): number {
    return v.ptr + v.offset * ITEM[v.dtype];
  }

  /** The view's values in row-major order. */
  values(v: View): Val[] {
    const all = this.read(v.dtype, v.ptr, v.length);
    const out: Val[] = [];
    forEachIndex(v.shape, (idx) => out.push(all[position(v, idx)]));
    return out;
  }

  /** Buffer positions outside the view that no longer hold the sentinel. */
  strayWrites(v: View): number[] {
    const inView = new Set<number>();
    forEachIndex(v.shape, (idx) => inView.add(position(v, idx)));
    const bad: number[] = [];
    for (let i = 0; i < v.length; i++) {
      if (inView.has(i)) continue;
      if (this.bytesAt(v.dtype, v.ptr, i).some((b) => b !== SENTINEL_BYTE)) bad.push(i);
    }
    return bad;
  }
}

const benches = new Map<string, Bench>();
/** One instance per build, shared by a test file's cases. */
export function bench(file: string): Bench {
  let b = benches.get(file);
  if (!b) benches.set(file, (b = new Bench(file)));
  b.reset();
  return b;
}

/** Deterministic pseudo-random numbers (mulberry32), so failures reproduce. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** At most `n` failure lines plus a count of the rest, so a broken kernel does not flood the log. */
export function summary(failures: readonly string[], n = 6): string[] {
  return failures.length <= n ? [...failures] : [...failures.slice(0, n), `... and ${failures.length - n} more`];
}
