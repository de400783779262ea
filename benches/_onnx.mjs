// ONNX Runtime Web as a matmul peer: the model bytes are encoded here by hand
// (one MatMul node, two float inputs of fixed shape), so no Python `onnx` is
// needed, and ORT loads its wasm from node_modules, never from the network.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

// protobuf wire format: a field's key is (number << 3) | wire type; 0 = varint, 2 = length-delimited
function varint(n) {
  const out = [];
  for (n = BigInt(n); n >= 0x80n; n >>= 7n) out.push(Number(n & 0x7fn) | 0x80);
  out.push(Number(n));
  return out;
}
const int = (field, n) => [...varint(field << 3), ...varint(n)];
const bytes = (field, payload) => [...varint((field << 3) | 2), ...varint(payload.length), ...payload];
const str = (field, s) => bytes(field, [...new TextEncoder().encode(s)]);

const FLOAT = 1; // TensorProto.DataType.FLOAT
/** ValueInfoProto { name, type: TypeProto { tensor_type { elem_type, shape { dim { dim_value }... } } } } */
const valueInfo = (name, shape) =>
  [...str(1, name), ...bytes(2, bytes(1, [...int(1, FLOAT), ...bytes(2, shape.flatMap((d) => bytes(1, int(1, d))))]))];

/**
 * A serialized ModelProto computing y = MatMul(a, b) (numpy rules: batch dims broadcast)
 * for float32 a of `aShape` and b of `bShape`.
 */
export function matmulModel(aShape, bShape) {
  const yShape = [...aShape.slice(0, -1), bShape.at(-1)];
  const node = [...str(1, 'a'), ...str(1, 'b'), ...str(2, 'y'), ...str(3, 'matmul'), ...str(4, 'MatMul')];
  const graph = [...bytes(1, node), ...str(2, 'matmul'), ...bytes(11, valueInfo('a', aShape)), ...bytes(11, valueInfo('b', bShape)), ...bytes(12, valueInfo('y', yShape))];
  // ir_version 8, producer, graph, opset_import { domain "" (default), version 13 }
  return new Uint8Array([...int(1, 8), ...str(2, 'torchlet-bench'), ...bytes(7, graph), ...bytes(8, int(2, 13))]);
}

/** ORT may look for files with fetch; here every file is on disk, and the network is never used. */
function forbidNetwork() {
  const fetch = globalThis.fetch;
  if (!fetch || fetch.forbidsNetwork) return;
  const guarded = (url, ...rest) => {
    const href = String(url?.url ?? url);
    if (/^https?:/.test(href)) return Promise.reject(new Error(`benches: a peer tried to fetch ${href}; peers must load from node_modules`));
    return fetch(url, ...rest);
  };
  guarded.forbidsNetwork = true;
  globalThis.fetch = guarded;
}

/**
 * ONNX Runtime Web on its wasm execution provider with `threads` threads, loaded from
 * node_modules/onnxruntime-web/dist. ORT fixes its thread count when its wasm starts, once
 * per copy of the package, so each thread count needs its own copy: several threads use
 * the Node entry (ort.node.min.mjs, whose pthreads start as worker_threads; one such copy
 * per process, as it registers with the shared onnxruntime-common), one thread uses the
 * self-contained ort.wasm.min.mjs (its threaded path would fetch a blob URL, which Node
 * cannot start workers from, but one thread needs none). Both run the same
 * ort-wasm-simd-threaded.wasm. Null when onnxruntime-web is not installed.
 */
export async function loadOrtWasm(threads) {
  const require = createRequire(import.meta.url);
  let nodeEntry;
  try {
    nodeEntry = require.resolve('onnxruntime-web');
  } catch {
    return null;
  }
  forbidNetwork();
  const dist = dirname(nodeEntry) + '/';
  const ort = await import(pathToFileURL(threads > 1 ? nodeEntry.replace(/\.js$/, '.mjs') : join(dist, 'ort.wasm.min.mjs')).href);
  ort.env.wasm.wasmPaths = pathToFileURL(dist).href;
  ort.env.wasm.numThreads = threads;
  ort.env.wasm.proxy = false;
  const { version } = JSON.parse(readFileSync(join(dist, '..', 'package.json'), 'utf8'));

  /** An ORT session computing a @ b for these operands; `run()` resolves when the product is computed. */
  async function matmul(aShape, aData, bShape, bData) {
    const session = await ort.InferenceSession.create(matmulModel(aShape, bShape), { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
    const feeds = { a: new ort.Tensor('float32', aData, aShape), b: new ort.Tensor('float32', bData, bShape) };
    return {
      run: async () => (await session.run(feeds)).y,
      release: () => session.release(),
    };
  }
  return { version, threads, matmul };
}
