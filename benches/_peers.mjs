// The libraries a user would pick instead of torchlet, loaded for a
// like-for-like comparison: single-threaded, as torchlet is.
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
