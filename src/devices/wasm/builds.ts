// Where the kernel builds come from in the default bundle: the SIMD build and
// the relaxed add-on are inlined as bytes (esbuild's binary loader), the
// simd-private build is derived from the SIMD bytes, and the scalar build is a
// separate chunk only engines without SIMD load. The workerd entry swaps this
// file for builds_workerd.ts (scripts/build-js.mjs).
import simdBytes from '../../../dist/wasm/torchlet.simd.wasm';
import relaxedBytes from '../../../dist/wasm/torchlet.relaxed.wasm';
import { unshareMemory } from './unshare';

/** Bytes to compile, or a module the host compiled for us (workerd). */
export type WasmSource = Uint8Array<ArrayBuffer> | WebAssembly.Module;

export interface Builds {
  simd: WasmSource;
  relaxed: WasmSource;
  simdPrivate(): WasmSource;
  scalar(): Promise<WasmSource>;
}

export const builds: Builds = {
  simd: simdBytes,
  relaxed: relaxedBytes,
  simdPrivate: () => unshareMemory(simdBytes),
  scalar: async () => (await import('./fallback_scalar')).default,
};
