// Loads the kernel module. The wasm bytes are inlined in the bundle, so no
// runtime needs a file system or a fetch; where synchronous compilation is
// allowed (Node, Deno, Bun, workers) the module is ready as soon as it is
// imported, and elsewhere `ready()` finishes the job asynchronously.
import simdBytes from '../../../dist/wasm/torchlet.simd.wasm';
import { Allocator } from './allocator';

/** Every kernel export takes and returns plain numbers. */
export type KernelFn = (...args: number[]) => number;
export type Exports = Record<string, KernelFn>;

/** Everything below this address is the kernels' static data; the heap starts here. */
const HEAP_BASE = 65536;
const INITIAL_PAGES = 32;
/** Bytes reserved for the meta block each kernel call reads its shapes and strides from. */
export const META_BYTES = 8192;

export interface WasmRuntime {
  exports: Exports;
  memory: WebAssembly.Memory;
  allocator: Allocator;
  metaPtr: number;
}

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

function adopt(instance: WebAssembly.Instance, memory: WebAssembly.Memory): void {
  const allocator = new Allocator(memory, HEAP_BASE);
  const metaPtr = allocator.alloc(META_BYTES);
  runtime = { exports: instance.exports as unknown as Exports, memory, allocator, metaPtr };
}

function trySync(): void {
  try {
    const memory = new WebAssembly.Memory({ initial: INITIAL_PAGES });
    const module = new WebAssembly.Module(simdBytes);
    adopt(new WebAssembly.Instance(module, imports(memory)), memory);
  } catch {
    // e.g. a browser main thread that refuses to compile large modules synchronously
  }
}

trySync();

/** Resolves once the kernels are loaded. Safe to await any number of times, anywhere. */
export function ready(): Promise<void> {
  if (runtime) return Promise.resolve();
  pending ??= (async () => {
    const memory = new WebAssembly.Memory({ initial: INITIAL_PAGES });
    const module = await WebAssembly.compile(simdBytes);
    adopt(await WebAssembly.instantiate(module, imports(memory)), memory);
  })();
  return pending;
}

export function wasm(): WasmRuntime {
  if (!runtime) throw new Error('torchlet is not ready yet: await torch.ready() before using tensors');
  return runtime;
}
