// One training step of the demo's network (Flatten -> Linear 784x512 -> ReLU
// -> Linear 512x512 -> ReLU -> Linear 512x10) at batch 64: forward,
// cross-entropy, backward, SGD update. torchlet vs TensorFlow.js (wasm
// backend, one thread), interleaved in this one process.
//
//   node benches/training.mjs [--quick] [--only TEXT]
//
// "vs TF.js" = tfjs median / torchlet median (> 1: torchlet is faster).
import { compare, flags, finish } from './_harness.mjs';
import { loadTfjsWasm, loadTorchlet } from './_peers.mjs';

const { quick, only } = flags();
// the family's one case
if (only && !'train step'.includes(only)) process.exit(0);
const { torch, build, threads } = await loadTorchlet();
const peer = await loadTfjsWasm();
if (!peer) console.log('(@tensorflow/tfjs-backend-wasm not installed: torchlet only)\n');
const tf = peer?.tf;

const BATCH = 64;
const LAYERS = [[784, 512], [512, 512], [512, 10]];

torch.manualSeed(0);
const x = torch.rand(BATCH, 28, 28);
const y = torch.randint(0, 10, [BATCH]);

const nn = torch.nn;
const model = new nn.Sequential(
  new nn.Flatten(),
  new nn.Linear(784, 512), new nn.ReLU(),
  new nn.Linear(512, 512), new nn.ReLU(),
  new nn.Linear(512, 10),
);
const lossFn = new nn.CrossEntropyLoss();
const opt = new torch.optim.SGD(model.parameters(), { lr: 0.01 });

function torchletStep() {
  torch.tidy(() => {
    const loss = lossFn.forward(model.forward(x), y);
    opt.zeroGrad();
    loss.backward();
    opt.step();
  });
}

const contenders = [{ name: 'torchlet', fn: torchletStep }];

if (tf) {
  // the same network, written the way a TensorFlow.js user writes a custom training step
  const weights = model.parameters().map((p) => tf.variable(tf.tensor(p.toTypedArray(), p.shape)));
  const tx = tf.tensor(x.toTypedArray(), [BATCH, 784]);
  const ty = tf.oneHot(tf.tensor1d(Array.from(y.toTypedArray(), Number), 'int32'), 10);
  const tOpt = tf.train.sgd(0.01);
  const forward = () => {
    let h = tx;
    for (let i = 0; i < LAYERS.length; i++) {
      // torch stores Linear weights as [out, in]
      h = tf.add(tf.matMul(h, weights[2 * i], false, true), weights[2 * i + 1]);
      if (i < LAYERS.length - 1) h = tf.relu(h);
    }
    return tf.losses.softmaxCrossEntropy(ty, h);
  };
  contenders.push({ name: 'tfjs-wasm', fn: () => tf.tidy(() => tOpt.minimize(forward, false)) });
}

const r = await compare(contenders, quick ? { budgetMs: 1500, minRounds: 5 } : { budgetMs: 8000, minRounds: 9, sampleMs: 40 });
await finish('training', {
  quick, only,
  peers: peer ? { 'tfjs-backend-wasm': peer.version, threads: peer.threads, simd: peer.simd } : {},
  rows: [{
    family: 'training', op: 'train step', size: `784-512-512-10 MLP, batch ${BATCH}, SGD`, build, threads,
    flops: 2 * 3 * BATCH * LAYERS.reduce((s, [i, o]) => s + i * o, 0), // forward + two backward products
    torchlet: r.torchlet, peers: r['tfjs-wasm'] ? { 'tfjs-wasm': r['tfjs-wasm'] } : {},
  }],
});
