// Loads the kernels. Builds, best first:
//   relaxed   the SIMD build plus a small add-on whose float GEMM and float32
//             exp/sigmoid/silu/tanh use relaxed_madd (fused multiply-add), where
//             the engine has relaxed SIMD
//   simd      128-bit SIMD kernels on shared memory (what the thread pool needs)
//   simd-private  the same on unshared memory, for engines that refuse shared memory
//   scalar    no SIMD at all, so every engine can run torchlet
// All but scalar start synchronously at import wherever compiling is allowed
// (Node, Deno, Bun, workers, workerd's precompiled modules); the scalar chunk,
// and everything on a browser's main thread, is loaded by ready(). builds.ts
// says where each comes from. The user writes the same code whichever build runs.
import { builds, type WasmSource } from './builds';
import { Allocator } from './allocator';
import { coresKnown, poolStarted, runningThreads } from './threads';

/** Every kernel export takes and returns plain numbers. */
export type KernelFn = (...args: number[]) => number;
export type Exports = Record<string, KernelFn>;
export type Variant = 'relaxed' | 'simd' | 'simd-private' | 'scalar';

/** Everything below this address is the kernels' static data; the heap starts here. */
const HEAP_BASE = 65536;
const INITIAL_PAGES = 32;
/** Bytes reserved for the meta block each kernel call reads its shapes and strides from. */
export const META_BYTES = 8192;
/** The builds declare a 4 GiB maximum; shared memories must state one. */
const MAX_PAGES = 65536;

export interface WasmRuntime {
  variant: Variant;
  exports: Exports;
  memory: WebAssembly.Memory;
  shared: boolean;
  allocator: Allocator;
  metaPtr: number;
  /** Compiled modules, for worker threads to instantiate on the same memory. */
  modules: WebAssembly.Module[];
}

// (func (result v128) (f32x4.add (v128.const 0) (v128.const 0)))
const SIMD_PROBE = [0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 43, 1, 41, 0, 253, 12, ...new Array(16).fill(0), 253, 12, ...new Array(16).fill(0), 253, 228, 1, 11];
// (func (result v128) (f32x4.relaxed_madd (v128.const 0) (v128.const 0) (v128.const 0)))
const RELAXED_PROBE = [0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 61, 1, 59, 0, 253, 12, ...new Array(16).fill(0), 253, 12, ...new Array(16).fill(0), 253, 12, ...new Array(16).fill(0), 253, 133, 2, 11];

const validates = (bytes: number[]): boolean => {
  try {
    return WebAssembly.validate(new Uint8Array(bytes));
  } catch {
    return false;
  }
};

/** A build named by the embedder (globalThis.TORCHLET_KERNELS or the env var), for tests and comparisons. */
function requested(): Variant | null {
  const g = globalThis as { TORCHLET_KERNELS?: string; process?: { env?: Record<string, string | undefined> } };
  const v = g.TORCHLET_KERNELS ?? g.process?.env?.TORCHLET_KERNELS;
  return v === 'relaxed' || v === 'simd' || v === 'simd-private' || v === 'scalar' ? v : null;
}

const compileSync = (s: WasmSource): WebAssembly.Module => (s instanceof WebAssembly.Module ? s : new WebAssembly.Module(s));
const compile = async (s: WasmSource): Promise<WebAssembly.Module> => (s instanceof WebAssembly.Module ? s : WebAssembly.compile(s));

let runtime: WasmRuntime | null = null;
let pending: Promise<void> | null = null;

function imports(memory: WebAssembly.Memory): WebAssembly.Imports {
  return {
    env: {
      memory,
      abort(): never {
        throw new Error('torchlet: internal kernel error (abort)');
      },
    },
  };
}

function sharedMemory(): WebAssembly.Memory | null {
  try {
    return new WebAssembly.Memory({ initial: INITIAL_PAGES, maximum: MAX_PAGES, shared: true });
  } catch {
    return null;
  }
}

interface Plan {
  variant: Variant;
  memory: WebAssembly.Memory;
  shared: boolean;
}

/** The best build this engine allows (or the one requested), and its memory. */
function plan(): Plan {
  const want = requested();
  const simd = validates(SIMD_PROBE);
  const memory = want === 'simd-private' || want === 'scalar' || !simd ? null : sharedMemory();
  if (memory) return { variant: want !== 'simd' && validates(RELAXED_PROBE) ? 'relaxed' : 'simd', memory, shared: true };
  const variant = want === 'scalar' || !simd ? 'scalar' : 'simd-private';
  return { variant, memory: new WebAssembly.Memory({ initial: INITIAL_PAGES, maximum: MAX_PAGES }), shared: false };
}

/** The plan's modules where they are at hand synchronously: all but the scalar chunk. */
function sourcesSync({ variant }: Plan): WasmSource[] | null {
  if (variant === 'scalar') return null;
  if (variant === 'simd-private') return [builds.simdPrivate()];
  return variant === 'relaxed' ? [builds.simd, builds.relaxed] : [builds.simd];
}

function adopt({ variant, memory, shared }: Plan, instances: WebAssembly.Instance[], modules: WebAssembly.Module[]): void {
  // later instances (the relaxed add-on) override the kernels they export
  const exports: Exports = {};
  for (const inst of instances) Object.assign(exports, inst.exports as unknown as Exports);
  const allocator = new Allocator(memory, HEAP_BASE, MAX_PAGES * 65536);
  const metaPtr = allocator.allocInternal(META_BYTES);
  runtime = { variant, exports, memory, shared, allocator, metaPtr, modules };
}

/** Loads the kernels synchronously where it can; false when ready() must finish the job. */
function trySync(): boolean {
  try {
    const p = plan();
    const sources = sourcesSync(p);
    if (!sources) return false;
    const modules = sources.map(compileSync);
    adopt(p, modules.map((m) => new WebAssembly.Instance(m, imports(p.memory))), modules);
    return true;
  } catch {
    // e.g. a browser main thread that refuses to compile large modules synchronously
    return false;
  }
}

async function loadAsync(): Promise<void> {
  const p = plan();
  const sources = sourcesSync(p) ?? [await builds.scalar()];
  const modules = await Promise.all(sources.map(compile));
  adopt(p, await Promise.all(modules.map((m) => WebAssembly.instantiate(m, imports(p.memory)))), modules);
}

trySync();

/** Resolves once the kernels are loaded. Safe to await any number of times, anywhere. */
export function ready(): Promise<void> {
  pending ??= (runtime ? Promise.resolve() : loadAsync()).then(() => coresKnown).then(poolStarted);
  return pending;
}

export const loaded = (): boolean => runtime !== null;

export function wasm(): WasmRuntime {
  if (!runtime) throw new Error('torchlet is not ready yet: await torch.ready() before using tensors');
  return runtime;
}

/** Which kernel build is running, on what memory, with how many threads started so far. */
export function backendInfo(): { variant: Variant; sharedMemory: boolean; threads: number } {
  const rt = wasm();
  return { variant: rt.variant, sharedMemory: rt.shared, threads: runningThreads() };
}
