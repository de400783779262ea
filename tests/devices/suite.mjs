// The device suite's loop, with no runtime-specific imports so that Node,
// Deno and a browser page run the same code: each case on wasm, then on
// WebGPU from the same seed, read back and compared.
import { cases } from './cases.mjs';
import { plain, differs, allOn } from './compare.mjs';

const throwsWith = async (fn, text) => {
  try {
    await fn();
  } catch (e) {
    if (!String(e.message).includes(text)) throw new Error(`threw ${JSON.stringify(e.message)}, which lacks ${JSON.stringify(text)}`);
    return;
  }
  throw new Error(`did not throw (expected ${JSON.stringify(text)})`);
};
const expectEq = (got, want, what) => {
  if (JSON.stringify(got) !== JSON.stringify(want)) throw new Error(`${what}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
};

/** The device API itself: placement, errors, async reads. Each throws when something is off. */
export const API_CHECKS = {
  'api: mixing devices names both': (t) => throwsWith(() => t.ones(2, { device: 'webgpu' }).add(t.ones(2)),
    'Expected all tensors to be on the same device, but found at least two devices, webgpu and wasm!'),
  'api: synchronous reads name the async method': async (t) => {
    const x = t.ones(2, { device: 'webgpu' });
    await throwsWith(() => x.sum().item(), 'itemAsync()');
    await throwsWith(() => x.tolist(), 'tolistAsync()');
    await throwsWith(() => x.to('wasm'), "toAsync('wasm')");
    await throwsWith(() => x.toTypedArray(), "toAsync('wasm')");
  },
  'api: placement follows the inputs': async (t) => {
    const x = t.randn(3, 4).to(t.device('webgpu'));
    expectEq([x.device, x.add(1).device, x.sum(0).device, x.zerosLike().device, x.newOnes(2).device, x.argmax(1).device], Array(6).fill('webgpu'), 'devices');
    expectEq([t.zeros(2).device, t.device('cpu').type, String(t.device('webgpu'))], ['wasm', 'wasm', 'webgpu'], 'wasm placement');
    const w = await x.toAsync('wasm');
    expectEq([w.device, w.shape], ['wasm', [3, 4]], 'toAsync');
  },
  'api: moving a tensor that requires grad is refused, not silently detached': async (t) => {
    await throwsWith(() => t.ones(2, { requiresGrad: true }).to('webgpu'), 'not differentiable across devices');
    expectEq(t.noGrad(() => t.ones(2, { requiresGrad: true }).to('webgpu')).device, 'webgpu', 'under noGrad');
    expectEq(t.ones(2, { requiresGrad: true, device: 'webgpu' }).requiresGrad, true, 'a factory makes a GPU leaf');
  },
  'api: both gemm shapes (tiled for GPUs, direct for CPU implementations) match wasm': async (t) => {
    for (const cpu of [false, true]) {
      t.webgpu._preferCpuKernels(cpu);
      try {
        for (const [m, k, n] of [[1, 1, 1], [17, 33, 5], [65, 17, 130], [128, 300, 70]]) {
          t.manualSeed(m);
          const a = t.randn(3, m, k), b = t.randn(k, n);
          const want = a.matmul(b).tolist().flat(2);
          const got = (await a.to('webgpu').matmul(b.to('webgpu')).tolistAsync()).flat(2);
          const bad = got.findIndex((v, i) => Math.abs(v - want[i]) > 1e-4 * (1 + Math.abs(want[i])));
          if (bad >= 0) throw new Error(`${cpu ? 'direct' : 'tiled'} gemm ${m}x${k}x${n}: [${bad}] ${got[bad]} vs ${want[bad]}`);
        }
      } finally {
        t.webgpu._preferCpuKernels(null);
      }
    }
  },
  'api: async reads also work on wasm': async (t) => {
    expectEq([await t.tensor([1.5, 2]).tolistAsync(), await t.tensor(3).itemAsync()], [[1.5, 2], 3], 'wasm async reads');
  },
  'api: module.to moves parameters in place': async (t) => {
    const lin = new t.nn.Linear(3, 2);
    const before = lin.weight;
    lin.to('webgpu');
    expectEq([lin.weight === before, lin.weight.device, lin.bias.device], [true, 'webgpu', 'webgpu'], 'after to(webgpu)');
    await lin.toAsync('wasm');
    expectEq([lin.weight.device, lin.weight.tolist().length], ['wasm', 2], 'after toAsync(wasm)');
  },
};

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
  for (const [name, check] of Object.entries(API_CHECKS)) {
    if (filter && !name.includes(filter)) continue;
    try {
      await check(torch);
      results.push({ name, ok: true });
    } catch (e) {
      results.push({ name, ok: false, error: e.message });
    }
  }
  return { available, adapter: torch.webgpu.adapter(), results };
}
