// Runs the device cases on wasm and on WebGPU in one process and prints one
// JSON line: { available, adapter, results: [{ name, ok, error? }] }.
// usage: node run_cases.mjs TORCH_MODULE_URL [--filter TEXT]
// In Node the GPU comes from the npm package `webgpu` (Dawn); on a machine
// without a GPU, point VK_ICD_FILENAMES at a CPU Vulkan driver (SwiftShader).
// In Deno: deno run --unstable-webgpu -A run_cases.mjs URL (lavapipe works as the CPU driver).
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runSuite } from './suite.mjs';
import { findGpu } from './gpu.mjs';

const [where, ...rest] = process.argv.slice(2);
// a module URL, or a path from the working directory
const url = /^[a-z]+:/.test(where) ? where : pathToFileURL(resolve(where)).href;
const filter = rest.includes('--filter') ? rest[rest.indexOf('--filter') + 1] : null;
const torch = await import(url);
if (torch.ready) await torch.ready();

console.log(JSON.stringify(await runSuite(torch, await findGpu(), filter)));
process.exit(0);
