// A test bench for the raw kernels: instantiates a wasm build with its own
// memory, hands out guarded buffers, writes meta blocks and strided views,
// and reads results back. Every buffer sits between guard bytes and every
// output buffer starts filled with a sentinel, so a kernel that writes
// outside its view (past a tail, into a stride gap) is caught.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { setFlagsFromString } from 'node:v8';

/**
 * The builds under test: every kernel suite runs against each. A build is
 * one or more modules instantiated on one memory; later modules override
 * the exports they share (the relaxed add-on replaces the float GEMM).
 * TORCHLET_WASM (comma-separated, '+' joining modules) overrides the list.
 */
const FULL_BUILDS = ['dist/wasm/torchlet.simd.wasm', 'dist/wasm/torchlet.simd-private.wasm', 'dist/wasm/torchlet.scalar.wasm'];
/** The relaxed build differs only in its float GEMM and its unary16_f32, so only the GEMM and vmath suites run it. */
const RELAXED_BUILD = 'dist/wasm/torchlet.simd.wasm+dist/wasm/torchlet.relaxed.wasm';
const override = process.env.TORCHLET_WASM?.split(',').map((s) => s.trim()).filter(Boolean);

/** Every build that exists, for the report of what ran and what was skipped. */
export const ALL_BUILDS: readonly string[] = override ?? [...FULL_BUILDS, RELAXED_BUILD];

// (func (result v128) (f32x4.relaxed_madd (v128.const 0) (v128.const 0) (v128.const 0)))
const RELAXED_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 61, 1, 59, 0, 253, 12, ...new Array(16).fill(0), 253, 12, ...new Array(16).fill(0), 253, 12, ...new Array(16).fill(0), 253, 133, 2, 11]);

// Node 20 has relaxed SIMD behind a V8 flag (Node 22+ by default). These suites instantiate the
// builds themselves, so the flag lets them test the relaxed GEMM too; it must be set before any
// module is compiled. (Which build torchlet picks by itself is variants.test.ts's business.)
if (!WebAssembly.validate(RELAXED_PROBE)) setFlagsFromString('--experimental-wasm-relaxed-simd');

/** Why this engine cannot run a build, or null when it can (tests/kernels/builds.test.ts reports skips by name). */
export function unsupported(build: string): string | null {
  if (build.includes('relaxed') && !WebAssembly.validate(RELAXED_PROBE)) return 'this engine has no relaxed SIMD (Node 22+ has it by default)';
  return null;
}

/** Builds the kernel suites run against: those this engine supports. */
export const BUILDS: readonly string[] = (override ?? FULL_BUILDS).filter((b) => !unsupported(b));
/** The GEMM suite also runs the relaxed build. */
export const GEMM_BUILDS: readonly string[] = (override ?? [...FULL_BUILDS, RELAXED_BUILD]).filter((b) => !unsupported(b));

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
    const modules = file.split('+').map((f) => new WebAssembly.Module(readFileSync(resolve(f))));
    const env = (memory: WebAssembly.Memory) => ({
      env: {
        memory,
        abort: () => {
          throw new Error(`${file}: kernel abort`);
        },
      },
    });
    // a build declares shared or private memory: try shared, the builds' default, first
    let memory = new WebAssembly.Memory({ initial: 64, maximum: 65536, shared: true });
    let instances: WebAssembly.Instance[];
    try {
      instances = modules.map((m) => new WebAssembly.Instance(m, env(memory)));
    } catch {
      memory = new WebAssembly.Memory({ initial: 64 });
      instances = modules.map((m) => new WebAssembly.Instance(m, env(memory)));
    }
    this.memory = memory;
    this.exports = Object.assign({}, ...instances.map((i) => i.exports)) as Record<string, (...args: number[]) => number>;
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
