// The device suite's loop, with no runtime-specific imports so that Node,
// Deno and a browser page run the same code: each case on wasm, then on
// WebGPU from the same seed, read back and compared.
import { cases } from './cases.mjs';
import { plain, differs, allOn } from './compare.mjs';

/** { available, adapter, results: [{ name, ok, error? }] } for the cases whose name contains `filter`. */
export async function runSuite(torch, gpu, filter = null) {
  const available = gpu ? await torch.webgpu.isAvailable({ gpu }) : false;
  const results = [];
  if (!available) return { available, adapter: '', results };
  for (const c of cases) {
    if (filter && !c.name.includes(filter)) continue;
    const run = async (device) => {
      torch.manualSeed(0);
      return plain(torch.tidy(() => c.run(torch, device)));
    };
    let want, got;
    try {
      want = await run('wasm');
    } catch (e) {
      results.push({ name: c.name, ok: false, error: `wasm: ${e.message}` });
      continue;
    }
    try {
      got = await run('webgpu');
    } catch (e) {
      results.push({ name: c.name, ok: false, error: `webgpu: ${String(e.stack).split('\n').slice(0, 3).join(' | ')}` });
      continue;
    }
    const diff = allOn(got, 'webgpu') ? differs(got, want, c.tol ?? 2e-5) : 'a result is not on webgpu';
    results.push(diff ? { name: c.name, ok: false, error: diff } : { name: c.name, ok: true });
  }
  return { available, adapter: torch.webgpu.adapter(), results };
}
