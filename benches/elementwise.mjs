// Elementwise, reduction and per-op overhead: torchlet vs TensorFlow.js
// (wasm backend, one thread) vs a plain-JS loop, interleaved in one process.
//
//   node benches/elementwise.mjs [--quick] [--only TEXT]
//
// speedup = tfjs median / torchlet median (> 1: torchlet is faster).
// GB/s counts the bytes each op must read and write once.
import * as torch from 'torchlet';
import { compare, machine, table, writeJson, fmt, flags } from './_harness.mjs';
import { loadTfjsWasm } from './_peers.mjs';

const { quick, only } = flags();
await torch.ready();
torch.setNumThreads(1);
const peer = await loadTfjsWasm();
if (!peer) console.log('(@tensorflow/tfjs-backend-wasm not installed: torchlet only)\n');
const tf = peer?.tf;

const N = 1 << 20;
const rows = 1024, cols = 1024;
torch.manualSeed(0);
const data = torch.randn(N).toTypedArray();
const data2 = torch.randn(N).toTypedArray();
const rowData = torch.randn(cols).toTypedArray();
const colData = torch.randn(rows).toTypedArray();

const X = torch.tensor(data).reshape(rows, cols), Y = torch.tensor(data2).reshape(rows, cols);
const R = torch.tensor(rowData), Cl = torch.tensor(colData).reshape(rows, 1);
const small = torch.rand(4, 4), small2 = torch.rand(4, 4);
const tX = tf?.tensor(data, [rows, cols]), tY = tf?.tensor(data2, [rows, cols]);
const tR = tf?.tensor(rowData, [cols]), tC = tf?.tensor(colData, [rows, 1]);
const tSmall = tf?.tensor(small.toTypedArray(), [4, 4]), tSmall2 = tf?.tensor(small2.toTypedArray(), [4, 4]);

const out = new Float32Array(N);
const plainBinary = (f) => () => {
  for (let i = 0; i < N; i++) out[i] = f(data[i], data2[i]);
};
const plainUnary = (f) => () => {
  for (let i = 0; i < N; i++) out[i] = f(data[i]);
};

const B = 4 * N;
const cases = [
  { name: 'add 1M', bytes: 3 * B, t: () => X.add(Y).dispose(), p: () => tf.add(tX, tY).dispose(), js: plainBinary((a, b) => a + b) },
  { name: 'mul 1M', bytes: 3 * B, t: () => X.mul(Y).dispose(), p: () => tf.mul(tX, tY).dispose(), js: plainBinary((a, b) => a * b) },
  { name: 'add [1024,1024]+[1024] (row broadcast)', bytes: 2 * B, t: () => X.add(R).dispose(), p: () => tf.add(tX, tR).dispose() },
  { name: 'add [1024,1024]+[1024,1] (column broadcast)', bytes: 2 * B, t: () => X.add(Cl).dispose(), p: () => tf.add(tX, tC).dispose() },
  { name: 'add 1M, transposed operand', bytes: 3 * B, t: () => X.t().add(Y).dispose(), p: () => tf.tidy(() => tf.add(tf.transpose(tX), tY)).dispose() },
  { name: 'mul by scalar 1M', bytes: 2 * B, t: () => X.mul(0.5).dispose(), p: () => tf.tidy(() => tf.mul(tX, 0.5)).dispose(), js: plainUnary((a) => a * 0.5) },
  { name: 'relu 1M', bytes: 2 * B, t: () => X.relu().dispose(), p: () => tf.relu(tX).dispose(), js: plainUnary((a) => (a < 0 ? 0 : a)) },
  { name: 'exp 1M', bytes: 2 * B, t: () => X.exp().dispose(), p: () => tf.exp(tX).dispose(), js: plainUnary(Math.exp) },
  { name: 'sigmoid 1M', bytes: 2 * B, t: () => X.sigmoid().dispose(), p: () => tf.sigmoid(tX).dispose(), js: plainUnary((a) => 1 / (1 + Math.exp(-a))) },
  { name: 'tanh 1M', bytes: 2 * B, t: () => X.tanh().dispose(), p: () => tf.tanh(tX).dispose(), js: plainUnary(Math.tanh) },
  { name: 'sum 1M', bytes: B, t: () => X.sum().dispose(), p: () => tf.sum(tX).dispose() },
  { name: 'sum over dim 0 of [1024,1024]', bytes: B, t: () => X.sum(0).dispose(), p: () => tf.sum(tX, 0).dispose() },
  { name: 'softmax [1024,1024] last dim', bytes: 2 * B, t: () => X.softmax(1).dispose(), p: () => tf.softmax(tX).dispose() },
  { name: 'overhead: add 4x4', bytes: 0, t: () => small.add(small2).dispose(), p: () => tf.add(tSmall, tSmall2).dispose() },
  { name: 'overhead: relu 4x4', bytes: 0, t: () => small.relu().dispose(), p: () => tf.relu(tSmall).dispose() },
];

const rowsOut = [];
const results = [];
for (const c of cases) {
  if (only && !c.name.includes(only)) continue;
  const contenders = [{ name: 'torchlet', fn: c.t }];
  if (tf && c.p) contenders.push({ name: 'tfjs-wasm', fn: c.p });
  if (c.js) contenders.push({ name: 'plain-js', fn: c.js });
  const r = compare(contenders, quick ? { budgetMs: 600, minRounds: 5 } : { budgetMs: 2500 });
  const t = r.torchlet, p = r['tfjs-wasm'], j = r['plain-js'];
  const gbs = (ms) => (c.bytes && ms ? fmt(c.bytes / ms / 1e6) : null);
  const us = (ms) => (c.bytes ? fmt(ms) : fmt(ms * 1000));
  rowsOut.push([c.name, us(t.median), p ? us(p.median) : null, p ? `${(p.median / t.median).toFixed(2)}x` : null, gbs(t.median), p ? gbs(p.median) : null, j ? us(j.median) : null]);
  results.push({ name: c.name, bytes: c.bytes, torchlet: t, tfjs: p ?? null, plainJs: j ?? null, speedup: p ? p.median / t.median : null });
}
console.log('times in ms (microseconds for the overhead rows)');
table(['case', 'torchlet', 'tfjs', 'speedup', 'torchlet GB/s', 'tfjs GB/s', 'plain-js'], rowsOut);
writeJson(new URL('./results/elementwise.json', import.meta.url), {
  machine: machine(),
  peer: peer ? { name: 'tfjs-wasm', version: peer.version, threads: peer.threads, simd: peer.simd } : null,
  cases: results,
});
