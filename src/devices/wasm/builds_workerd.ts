// The kernel builds for workerd (Cloudflare Workers), which forbids compiling
// wasm from bytes: the .wasm files are imported statically and the host (or
// wrangler's bundler) hands them over as compiled WebAssembly.Modules. workerd
// has SIMD and shared memory, so only the SIMD build and its relaxed add-on ship.
import simd from '../../../dist/wasm/torchlet.simd.wasm';
import relaxed from '../../../dist/wasm/torchlet.relaxed.wasm';
import type { Builds } from './builds';

const missing = (): never => {
  throw new Error('torchlet: the workerd build ships only the SIMD kernels on shared memory');
};

export const builds: Builds = {
  simd: simd as unknown as WebAssembly.Module,
  relaxed: relaxed as unknown as WebAssembly.Module,
  simdPrivate: missing,
  scalar: async () => missing(),
};
