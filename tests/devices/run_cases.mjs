// Runs the device cases on wasm and on WebGPU in one process and prints one
// JSON line: { available, adapter, results: [{ name, ok, error? }] }.
// usage: node run_cases.mjs TORCH_MODULE_URL [--filter TEXT]
// In Node the GPU comes from the npm package `webgpu` (Dawn); on a machine
// without a GPU, point VK_ICD_FILENAMES at a CPU Vulkan driver (SwiftShader).
// In Deno: deno run --unstable-webgpu -A run_cases.mjs URL (lavapipe works as the CPU driver).
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { cases } from './cases.mjs';
import { plain, differs, allOn } from './compare.mjs';
import { findGpu } from './gpu.mjs';

const [where, ...rest] = process.argv.slice(2);
// a module URL, or a path from the working directory
const url = /^[a-z]+:/.test(where) ? where : pathToFileURL(resolve(where)).href;
const filter = rest.includes('--filter') ? rest[rest.indexOf('--filter') + 1] : null;
const torch = await import(url);
if (torch.ready) await torch.ready();

const gpu = await findGpu();
const available = gpu ? await torch.webgpu.isAvailable({ gpu }) : false;
const results = [];
if (available) {
  for (const c of cases) {
    if (filter && !c.name.includes(filter)) continue;
    const run = async (device) => {
      torch.manualSeed(0);
      return torch.tidy(() => c.run(torch, device));
    };
    let want, got;
    try {
      want = await plain(await run('wasm'));
    } catch (e) {
      results.push({ name: c.name, ok: false, error: `wasm: ${e.message}` });
      continue;
    }
    try {
      got = await plain(await run('webgpu'));
    } catch (e) {
      results.push({ name: c.name, ok: false, error: `webgpu: ${e.stack.split('\n').slice(0, 3).join(' | ')}` });
      continue;
    }
    const diff = allOn(got, 'webgpu') ? differs(got, want, c.tol ?? 2e-5) : 'a result is not on webgpu';
    results.push(diff ? { name: c.name, ok: false, error: diff } : { name: c.name, ok: true });
  }
}
console.log(JSON.stringify({ available, adapter: torch.webgpu.adapter(), results }));
process.exit(0);
