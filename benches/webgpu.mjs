// The webgpu device against wasm: matmul GFLOP/s and one training step of
// the demo's network (batch 64, SGD), each timed from the first dispatch to
// the GPU's answer (torch.webgpu.synchronize). On a CPU implementation of
// WebGPU (SwiftShader, lavapipe) the 4096 product is left out: it takes minutes.
//
//   node benches/webgpu.mjs [--quick]
// In Node the GPU comes from the dev dependency `webgpu`; without a GPU set
// VK_ICD_FILENAMES to a CPU Vulkan driver (see docs/webgpu-status.md).
import * as torch from 'torchlet';
import { machine, table, writeFile, flags } from './_harness.mjs';

const fmt = (x, digits = 3) => (x === undefined || x === null || !Number.isFinite(x) ? null : x >= 1000 ? x.toFixed(0) : x.toPrecision(digits));

const { quick } = flags();
await torch.ready();
let gpu = globalThis.navigator?.gpu;
if (!gpu) {
  try {
    const { create, globals } = await import('webgpu');
    Object.assign(globalThis, globals);
    gpu = create([]);
  } catch {
    // no WebGPU for Node here
  }
}
if (!gpu || !(await torch.webgpu.isAvailable({ gpu }))) {
  console.log('no WebGPU adapter here: nothing to measure');
  process.exit(0);
}
const adapter = torch.webgpu.adapter();
const cpuImplementation = /swiftshader|llvmpipe|lavapipe/i.test(adapter);
console.log(`adapter: ${adapter}${cpuImplementation ? ' (a CPU implementation of WebGPU)' : ''}\n`);

/** Median ms per call of fn() on `device`, GPU work included. */
async function time(device, fn, reps) {
  const sync = () => (device === 'webgpu' ? torch.webgpu.synchronize() : Promise.resolve());
  torch.tidy(fn);
  await sync();
  const samples = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    torch.tidy(fn);
    await sync();
    samples.push(performance.now() - t0);
  }
  return samples.sort((a, b) => a - b)[samples.length >> 1];
}

const rows = [];
const results = { machine: machine(), adapter, matmul: [], training: {} };
const sizes = [256, 1024, ...(cpuImplementation || quick ? [] : [4096])];
for (const n of sizes) {
  const entry = { n };
  for (const device of ['wasm', 'webgpu']) {
    if (device === 'wasm' && n > 2048) continue;
    const a = torch.randn(n, n).to(device), b = torch.randn(n, n).to(device);
    const ms = await time(device, () => a.matmul(b), n >= 1024 ? 3 : 10);
    entry[device] = { ms, gflops: (2 * n ** 3) / ms / 1e6 };
    a.dispose();
    b.dispose();
  }
  results.matmul.push(entry);
  rows.push([`matmul ${n}x${n}`, fmt(entry.wasm?.ms), fmt(entry.wasm?.gflops), fmt(entry.webgpu.ms), fmt(entry.webgpu.gflops)]);
}

for (const device of ['wasm', 'webgpu']) {
  torch.manualSeed(0);
  const nn = torch.nn;
  const model = new nn.Sequential(new nn.Flatten(), new nn.Linear(784, 512), new nn.ReLU(), new nn.Linear(512, 512), new nn.ReLU(), new nn.Linear(512, 10)).to(device);
  const opt = new torch.optim.SGD(model.parameters(), { lr: 0.01 });
  const x = torch.rand(64, 28, 28).to(device), y = torch.randint(0, 10, [64]).to(device);
  results.training[device] = await time(device, () => {
    const loss = nn.functional.crossEntropy(model.forward(x), y);
    opt.zeroGrad();
    loss.backward();
    opt.step();
  }, quick ? 3 : 10);
}
rows.push(['training step, batch 64', fmt(results.training.wasm), null, fmt(results.training.webgpu), null]);
table(['case', 'wasm ms', 'wasm GFLOP/s', 'webgpu ms', 'webgpu GFLOP/s'], rows);
writeFile(new URL('./results/webgpu.json', import.meta.url), JSON.stringify(results, null, 2) + '\n');
process.exit(0);
