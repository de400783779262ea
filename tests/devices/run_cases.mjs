// Runs the device cases on wasm and on WebGPU in one process and prints one
// JSON line: { available, adapter, results: [{ name, ok, error? }] }.
// usage: node run_cases.mjs TORCH_MODULE_URL [--filter TEXT]
// In Node the GPU comes from the npm package `webgpu` (Dawn); on a machine
// without a GPU, point VK_ICD_FILENAMES at a CPU Vulkan driver (SwiftShader).
import { cases } from './cases.mjs';
import { plain, differs, allOn } from './compare.mjs';

const [url, ...rest] = process.argv.slice(2);
const filter = rest.includes('--filter') ? rest[rest.indexOf('--filter') + 1] : null;
const torch = await import(url);
if (torch.ready) await torch.ready();

let gpu = null;
try {
  const { create, globals } = await import('webgpu');
  Object.assign(globalThis, globals);
  gpu = create([]);
} catch (e) {
  console.error(`cannot load the npm package webgpu: ${e.message}`);
}
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
