// The soak: a training loop written the way the README teaches, run for many
// steps while torch.memory() is sampled. Prints one JSON line of figures and
// exits 1 if live memory grew by 1% or more after warm-up, or if the wasm
// memory was still growing in the second half of the run.
//
//   node tests/soak/soak.mjs --steps 100000 [--mode tidy|await] [--hidden 512,512] [--batch 8]
//
// --mode tidy   each step inside torch.tidy (the README's loop)
// --mode await  nothing is ever disposed; each step awaits the event loop, so
//               only the FinalizationRegistry frees the step's tensors
//               (run with and without --expose-gc; with it, gc() runs every 1000 steps)
import * as torch from 'torchlet';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : dflt;
};
const STEPS = Number(arg('steps', 2000));
const MODE = arg('mode', 'tidy');
const HIDDEN = arg('hidden', '512,512').split(',').filter(Boolean).map(Number);
const BATCH = Number(arg('batch', 8));
const WARMUP = Math.min(1000, Math.ceil(STEPS / 10));
if (!['tidy', 'await'].includes(MODE)) throw new Error(`unknown --mode ${MODE}`);

await torch.ready();
torch.manualSeed(0);
const nn = torch.nn;

// the demo's network (Flatten, Linear 784 -> hidden..., ReLU, Linear -> 10)
const sizes = [784, ...HIDDEN, 10];
const layers = [new nn.Flatten()];
for (let i = 0; i + 1 < sizes.length; i++) {
  layers.push(new nn.Linear(sizes[i], sizes[i + 1]));
  if (i + 2 < sizes.length) layers.push(new nn.ReLU());
}
const net = new nn.Sequential(...layers);
const opt = new torch.optim.SGD(net.parameters(), { lr: 0.01, momentum: 0.9 });

// a fixed pool of batches, as a data loader would cycle through an epoch
const batches = Array.from({ length: 16 }, (_, i) => [torch.rand([BATCH, 1, 28, 28]), torch.randint(0, 10, [BATCH])]);

function step(i) {
  const [x, y] = batches[i % batches.length];
  const loss = torch.nn.functional.crossEntropy(net.forward(x), y);
  opt.zeroGrad();
  loss.backward();
  opt.step();
  return loss;
}

const gc = globalThis.gc;
const tick = () => new Promise((r) => setImmediate(r));
let warm = null;
let half = null;
let peakLive = 0;
let lastGrowthStep = 0;
let wasm = torch.memory().wasmBytes;
let firstLoss = 0;
let lastLoss = 0;
const started = Date.now();
for (let i = 0; i < STEPS; i++) {
  if (MODE === 'tidy') {
    lastLoss = torch.tidy(() => step(i).item());
  } else {
    lastLoss = step(i).item();
    await tick();
    if (gc && i % 1000 === 999) gc();
  }
  if (i === 0) firstLoss = lastLoss;
  const m = torch.memory();
  if (m.wasmBytes !== wasm) {
    wasm = m.wasmBytes;
    lastGrowthStep = i;
  }
  if (i + 1 === WARMUP) warm = m;
  if (i + 1 === Math.floor(STEPS / 2)) half = m;
  if (i >= WARMUP) peakLive = Math.max(peakLive, m.liveBytes);
}
const end = torch.memory();
const growth = (end.liveBytes - warm.liveBytes) / warm.liveBytes;
const peakGrowth = (peakLive - warm.liveBytes) / warm.liveBytes;
const report = {
  mode: MODE,
  exposeGc: !!gc,
  network: sizes.join('-'),
  batch: BATCH,
  steps: STEPS,
  seconds: Math.round((Date.now() - started) / 1000),
  loss: [Number(firstLoss.toFixed(4)), Number(lastLoss.toFixed(4))],
  warmupSteps: WARMUP,
  liveBytes: { afterWarmup: warm.liveBytes, half: half.liveBytes, end: end.liveBytes, peakAfterWarmup: peakLive },
  liveTensors: { afterWarmup: warm.liveTensors, end: end.liveTensors },
  wasmBytes: { afterWarmup: warm.wasmBytes, half: half.wasmBytes, end: end.wasmBytes },
  lastWasmGrowthStep: lastGrowthStep,
  liveGrowth: growth,
};
console.log(JSON.stringify(report));
// in await mode live memory rises and falls with the collector: bound its peak, not its end
const liveOk = MODE === 'tidy' ? growth < 0.01 : end.liveBytes <= peakLive && half.wasmBytes === end.wasmBytes;
const wasmOk = end.wasmBytes === half.wasmBytes;
process.exitCode = liveOk && wasmOk ? 0 : 1;
