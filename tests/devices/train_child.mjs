// A short run of the demo network (examples/mnist.mjs: 784-512-512-10 MLP,
// Adam, batches of 64) on wasm and on WebGPU from the same seed; prints one
// JSON line with each device's per-step losses and held-out accuracy.
// usage: node train_child.mjs TORCH_MODULE_URL STEPS
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { findGpu } from './gpu.mjs';

const [where, stepsArg] = process.argv.slice(2);
// a module URL, or a path from the working directory
const url = /^[a-z]+:/.test(where) ? where : pathToFileURL(resolve(where)).href;
const STEPS = Number(stepsArg ?? 20), BATCH = 64;
const torch = await import(url);
await torch.ready();
const gpu = await findGpu();
const available = gpu ? await torch.webgpu.isAvailable({ gpu }) : false;

const require = createRequire(import.meta.url);
const digits = join(dirname(require.resolve('mnist/package.json')), 'src', 'digits');
const pixels = [], labels = [];
for (let d = 0; d < 10; d++) {
  const { data } = JSON.parse(await readFile(join(digits, `${d}.json`), 'utf8'));
  for (let i = 0; i < data.length; i += 784) {
    pixels.push(data.slice(i, i + 784));
    labels.push(d);
  }
}
torch.manualSeed(0);
const order = torch.randperm(labels.length);
const X = torch.tensor(pixels.flat(), { dtype: 'float32' }).view(-1, 784).indexSelect(0, order);
const Y = torch.tensor(labels).indexSelect(0, order);

async function train(device) {
  torch.manualSeed(1);
  const nn = torch.nn;
  const model = new nn.Sequential(new nn.Flatten(), new nn.Linear(784, 512), new nn.ReLU(), new nn.Linear(512, 512), new nn.ReLU(), new nn.Linear(512, 10)).to(device);
  const opt = new torch.optim.Adam(model.parameters(), { lr: 1e-3 });
  const x = X.narrow(0, 0, STEPS * BATCH).to(device), y = Y.narrow(0, 0, STEPS * BATCH).to(device);
  const losses = [];
  const t0 = performance.now();
  for (let s = 0; s < STEPS; s++) {
    losses.push(torch.tidy(() => {
      const loss = nn.functional.crossEntropy(model.forward(x.narrow(0, s * BATCH, BATCH)), y.narrow(0, s * BATCH, BATCH));
      opt.zeroGrad();
      loss.backward();
      opt.step();
      return loss.detach();
    }));
  }
  const curve = [];
  for (const l of losses) curve.push(await l.itemAsync());
  const seconds = (performance.now() - t0) / 1000;
  const xt = X.narrow(0, 8000, 2000).to(device), yt = Y.narrow(0, 8000, 2000).to(device);
  const acc = await torch.tidy(() => torch.noGrad(() => model.forward(xt).argmax(1).eq(yt).float().mean())).itemAsync();
  return { losses: curve, accuracy: acc, msPerStep: (1000 * seconds) / STEPS };
}

const wasm = await train('wasm');
const webgpu = available ? await train('webgpu') : null;
console.log(JSON.stringify({ available, adapter: torch.webgpu.adapter(), wasm, webgpu }));
process.exit(0);
