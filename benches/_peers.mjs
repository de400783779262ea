// The contenders: torchlet in a chosen kernel build and thread count, and the
// libraries a user would pick instead of it, loaded for a like-for-like
// comparison (ONNX Runtime Web is in _onnx.mjs).
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** TensorFlow.js with its wasm backend (XNNPACK), forced to ONE thread. Null when not installed. */
export async function loadTfjsWasm() {
  let tf, wasmBackend;
  try {
    // the umbrella package: tfjs-core plus the gradient registrations training needs
    tf = await import('@tensorflow/tfjs');
    wasmBackend = await import('@tensorflow/tfjs-backend-wasm');
  } catch {
    return null;
  }
  // must precede setBackend: XNNPACK sizes its thread pool when the backend starts
  wasmBackend.setThreadsCount(1);
  // Node finds the .wasm files next to the bundle; say where they are in case a bundler moved it
  const require = createRequire(import.meta.url);
  const dist = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/';
  wasmBackend.setWasmPaths(process.platform === 'win32' ? pathToFileURL(dist).href : dist);
  if (!(await tf.setBackend('wasm'))) return null;
  await tf.ready();
  const version = require('@tensorflow/tfjs-backend-wasm/package.json').version;
  return { tf, threads: wasmBackend.getThreadsCount(), version, simd: await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT') };
}

const torchletEntry = () => pathToFileURL(createRequire(import.meta.url).resolve('torchlet')).href;

/**
 * A torchlet of its own: its kernel build (`kernels`: 'relaxed', 'simd', 'simd-private', 'scalar';
 * null = the one torchlet picks), its own memory and thread pool, set to `threads`. The bundle picks
 * its build when it is evaluated and in ready() (src/devices/wasm/module.ts reads globalThis.TORCHLET_KERNELS), and
 * a distinct URL evaluates a fresh copy, so several builds can be timed side by side in one process.
 * Resolves once the pool's workers run, so timed calls never wait for them to start.
 */
export async function loadTorchlet({ kernels = null, threads = 1 } = {}) {
  const g = globalThis;
  if (kernels) g.TORCHLET_KERNELS = kernels;
  let torch;
  try {
    torch = await import(`${torchletEntry()}?kernels=${kernels ?? 'auto'}&threads=${threads}`);
    // the fallback builds (simd-private, scalar) load in ready(), which reads the variable again
    await torch.ready();
  } finally {
    delete g.TORCHLET_KERNELS;
  }
  torch.setNumThreads(threads);
  if (threads > 1) {
    // the pool starts in the background at the first product big enough to split
    const a = torch.ones(256, 256);
    for (let i = 0; i < 500 && torch.backendInfo().threads < threads; i++) {
      a.matmul(a).dispose();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    a.dispose();
  }
  const { variant } = torch.backendInfo();
  return { torch, build: variant, threads: torch.backendInfo().threads };
}
