// Elementwise, reduction and per-op overhead: torchlet vs TensorFlow.js
// (wasm backend, one thread) vs a plain-JS loop, interleaved in one process.
//
//   node benches/elementwise.mjs [--quick] [--only TEXT]
//
// "vs TF.js" = tfjs median / torchlet median (> 1: torchlet is faster).
// GB/s counts the bytes each op must read and write once. `kind` marks the
// rows issue 4 sets targets for: contiguous 1M ops (vs TF.js) and broadcasts
// (vs the contiguous add, timed alongside as `ref`).
import { compare, flags, finish } from './_harness.mjs';
import { loadTfjsWasm, loadTorchlet } from './_peers.mjs';

const { quick, only } = flags();
const { torch, build, threads } = await loadTorchlet();
const peer = await loadTfjsWasm();
if (!peer) console.log('(@tensorflow/tfjs-backend-wasm not installed: torchlet only)\n');
const tf = peer?.tf;

const N = 1 << 20;
const ROWS = 1024, COLS = 1024;
torch.manualSeed(0);
const data = torch.randn(N).toTypedArray();
const data2 = torch.randn(N).toTypedArray();
const rowData = torch.randn(COLS).toTypedArray();
const colData = torch.randn(ROWS).toTypedArray();

const X = torch.tensor(data).reshape(ROWS, COLS), Y = torch.tensor(data2).reshape(ROWS, COLS);
const R = torch.tensor(rowData), Cl = torch.tensor(colData).reshape(ROWS, 1);
const small = torch.rand(4, 4), small2 = torch.rand(4, 4);
const tX = tf?.tensor(data, [ROWS, COLS]), tY = tf?.tensor(data2, [ROWS, COLS]);
const tR = tf?.tensor(rowData, [COLS]), tC = tf?.tensor(colData, [ROWS, 1]);
const tSmall = tf?.tensor(small.toTypedArray(), [4, 4]), tSmall2 = tf?.tensor(small2.toTypedArray(), [4, 4]);

const out = new Float32Array(N);
const plainBinary = (f) => () => {
  for (let i = 0; i < N; i++) out[i] = f(data[i], data2[i]);
};
const plainUnary = (f) => () => {
  for (let i = 0; i < N; i++) out[i] = f(data[i]);
};

const B = 4 * N;
const contiguousAdd = () => X.add(Y).dispose();
const cases = [
  { op: 'add', size: '1M', kind: 'contiguous', bytes: 3 * B, t: contiguousAdd, p: () => tf.add(tX, tY).dispose(), js: plainBinary((a, b) => a + b) },
  { op: 'mul', size: '1M', kind: 'contiguous', bytes: 3 * B, t: () => X.mul(Y).dispose(), p: () => tf.mul(tX, tY).dispose(), js: plainBinary((a, b) => a * b) },
  { op: 'add, row broadcast', size: '[1024,1024]+[1024]', kind: 'broadcast', bytes: 2 * B, t: () => X.add(R).dispose(), p: () => tf.add(tX, tR).dispose() },
  { op: 'add, column broadcast', size: '[1024,1024]+[1024,1]', kind: 'broadcast', bytes: 2 * B, t: () => X.add(Cl).dispose(), p: () => tf.add(tX, tC).dispose() },
  { op: 'add, transposed operand', size: '1M', bytes: 3 * B, t: () => X.t().add(Y).dispose(), p: () => tf.tidy(() => tf.add(tf.transpose(tX), tY)).dispose() },
  { op: 'mul by scalar', size: '1M', kind: 'contiguous', bytes: 2 * B, t: () => X.mul(0.5).dispose(), p: () => tf.tidy(() => tf.mul(tX, 0.5)).dispose(), js: plainUnary((a) => a * 0.5) },
  { op: 'relu', size: '1M', kind: 'contiguous', bytes: 2 * B, t: () => X.relu().dispose(), p: () => tf.relu(tX).dispose(), js: plainUnary((a) => (a < 0 ? 0 : a)) },
  { op: 'exp', size: '1M', kind: 'contiguous', bytes: 2 * B, t: () => X.exp().dispose(), p: () => tf.exp(tX).dispose(), js: plainUnary(Math.exp) },
  { op: 'sigmoid', size: '1M', kind: 'contiguous', bytes: 2 * B, t: () => X.sigmoid().dispose(), p: () => tf.sigmoid(tX).dispose(), js: plainUnary((a) => 1 / (1 + Math.exp(-a))) },
  { op: 'tanh', size: '1M', kind: 'contiguous', bytes: 2 * B, t: () => X.tanh().dispose(), p: () => tf.tanh(tX).dispose(), js: plainUnary(Math.tanh) },
  { op: 'sum', size: '1M', bytes: B, t: () => X.sum().dispose(), p: () => tf.sum(tX).dispose() },
  { op: 'sum over dim 0', size: '[1024,1024]', bytes: B, t: () => X.sum(0).dispose(), p: () => tf.sum(tX, 0).dispose() },
  { op: 'softmax, last dim', size: '[1024,1024]', bytes: 2 * B, t: () => X.softmax(1).dispose(), p: () => tf.softmax(tX).dispose() },
  { op: 'add', size: '4x4', bytes: 0, t: () => small.add(small2).dispose(), p: () => tf.add(tSmall, tSmall2).dispose() },
  { op: 'relu', size: '4x4', bytes: 0, t: () => small.relu().dispose(), p: () => tf.relu(tSmall).dispose() },
];

const rows = [];
for (const c of cases) {
  if (only && !`${c.op} ${c.size}`.includes(only)) continue;
  const contenders = [{ name: 'torchlet', fn: c.t }];
  if (tf && c.p) contenders.push({ name: 'tfjs-wasm', fn: c.p });
  if (c.js) contenders.push({ name: 'plain-js', fn: c.js });
  if (c.kind === 'broadcast') contenders.push({ name: 'contiguous', fn: contiguousAdd });
  const r = await compare(contenders, quick ? { budgetMs: 600, minRounds: 5 } : { budgetMs: 2500 });
  const peers = {};
  for (const name of ['tfjs-wasm', 'plain-js']) if (r[name]) peers[name] = r[name];
  rows.push({
    family: 'elementwise', op: c.op, size: c.size, kind: c.kind, build, threads, ...(c.bytes ? { bytes: c.bytes } : {}),
    torchlet: r.torchlet, peers, ...(r.contiguous ? { ref: r.contiguous, refName: 'add 1M, contiguous' } : {}),
  });
}
await finish('elementwise', { rows, quick, only, peers: peer ? { 'tfjs-backend-wasm': peer.version, threads: peer.threads, simd: peer.simd } : {} });
