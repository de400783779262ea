// float32 matrix products: torchlet vs TensorFlow.js (wasm backend, XNNPACK,
// one thread) vs a plain-JS triple loop, all in this one process.
//
//   node benches/matmul.mjs [--quick] [--only TEXT]
//
// speedup = tfjs median / torchlet median (> 1: torchlet is faster).
// Both libraries compute eagerly and synchronously, so a timed call is
// "multiply, then free the result"; nothing is read back to JS.
import os from 'node:os';
import * as torch from 'torchlet';
import { compare, machine, table, writeJson, fmt, flags } from './_harness.mjs';
import { loadTfjsWasm } from './_peers.mjs';

const { quick, only } = flags();
await torch.ready();
const peer = await loadTfjsWasm();
if (!peer) console.log('(@tensorflow/tfjs-backend-wasm not installed: torchlet only; run `npm install` for the comparison)\n');
const tf = peer?.tf;

let seed = 12345;
function randomF32(n) {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    out[i] = seed / 2 ** 31 - 1;
  }
  return out;
}

/** C = A @ B with A [M,K] and B [K,N] row-major: the i-k-j loop a user would write. */
function plainMatmul(a, b, M, N, K) {
  const c = new Float32Array(M * N);
  for (let i = 0; i < M; i++) {
    const ci = i * N;
    for (let k = 0; k < K; k++) {
      const aik = a[i * K + k], bk = k * N;
      for (let j = 0; j < N; j++) c[ci + j] += aik * b[bk + j];
    }
  }
  return c;
}

/**
 * One case: operands stored as `aShape`/`bShape`, multiplied after the transposes `ta`/`tb`.
 * torchlet writes `a.t() @ b`; tfjs passes transposeA/transposeB, as each library's user would.
 */
function matmulCase(name, { batch = 0, M, N, K, ta = false, tb = false, plain = false }) {
  const lead = batch ? [batch] : [];
  const aShape = [...lead, ...(ta ? [K, M] : [M, K])], bShape = [...lead, ...(tb ? [N, K] : [K, N])];
  const aData = randomF32(aShape.reduce((x, y) => x * y)), bData = randomF32(bShape.reduce((x, y) => x * y));
  const A = torch.tensor(aData).reshape(aShape), B = torch.tensor(bData).reshape(bShape);
  const last = (t) => t.transpose(-2, -1);
  const At = ta ? last(A) : A, Bt = tb ? last(B) : B;
  const contenders = [{ name: 'torchlet', fn: () => At.matmul(Bt).dispose() }];
  let agreement = null;
  let tA, tB;
  if (tf) {
    tA = tf.tensor(aData, aShape);
    tB = tf.tensor(bData, bShape);
    contenders.push({ name: 'tfjs-wasm', fn: () => tf.matMul(tA, tB, ta, tb).dispose() });
    // tfjs's transposeA/B flags leave its XNNPACK path; a tfjs user who knows that transposes first
    if (ta || tb) contenders.push({ name: 'tfjs-wasm-transpose-first', fn: () => tf.tidy(() => tf.matMul(ta ? tf.transpose(tA) : tA, tb ? tf.transpose(tB) : tB)).dispose() });
    // the two answers should agree to float32 rounding
    const mine = At.matmul(Bt), theirs = tf.matMul(tA, tB, ta, tb);
    const x = mine.toTypedArray(), y = theirs.dataSync();
    let diff = 0, scale = 0;
    for (let i = 0; i < y.length; i++) {
      diff = Math.max(diff, Math.abs(x[i] - y[i]));
      scale = Math.max(scale, Math.abs(y[i]));
    }
    agreement = scale ? diff / scale : diff;
    mine.dispose();
    theirs.dispose();
  }
  if (plain && !batch && !ta && !tb) contenders.push({ name: 'plain-js', fn: () => plainMatmul(aData, bData, M, N, K) });
  const big = (batch || 1) * M * N * K > 5e8;
  const times = compare(contenders, quick ? { warmupMs: 30, minRounds: 3, budgetMs: 300 } : { minRounds: big ? 5 : 9, budgetMs: big ? 2000 : 2500 });
  for (const t of [A, B, tA, tB]) t?.dispose();
  const flops = 2 * (batch || 1) * M * N * K;
  const gflops = (ms) => (ms ? flops / ms / 1e6 : null);
  const tl = times['torchlet'], pj = times['plain-js'], tFlags = times['tfjs-wasm'], tFirst = times['tfjs-wasm-transpose-first'];
  const tj = tFirst && tFirst.median < tFlags.median ? tFirst : tFlags;
  return {
    name,
    shape: { batch: batch || null, M, N, K, transposeA: ta, transposeB: tb },
    flops,
    torchlet: { ...tl, gflops: gflops(tl.median) },
    tfjs: tj ? { ...tj, gflops: gflops(tj.median), call: tj === tFirst ? 'matMul(transpose(x), y)' : ta || tb ? 'matMul(x, y, transposeA, transposeB)' : 'matMul(x, y)' } : null,
    tfjsAllCalls: tFirst ? { flags: tFlags, transposeFirst: tFirst } : undefined,
    plainJs: pj ? { ...pj, gflops: gflops(pj.median) } : null,
    speedupVsTfjs: tj ? tj.median / tl.median : null,
    relDiffVsTfjs: agreement,
  };
}

const cases = [];
for (const n of [64, 128, 256, 512, 1024, 2048]) cases.push([`${n}x${n} @ ${n}x${n}`, { M: n, N: n, K: n, plain: n <= 256 }]);
for (const n of [256, 1024]) {
  cases.push([`a.t() @ b  ${n}`, { M: n, N: n, K: n, ta: true }]);
  cases.push([`a @ b.t()  ${n}`, { M: n, N: n, K: n, tb: true }]);
}
cases.push(['matrix @ vector 1024x1024 @ 1024x1', { M: 1024, N: 1, K: 1024 }]);
cases.push(['vector @ matrix 1x1024 @ 1024x1024', { M: 1, N: 1024, K: 1024 }]);
cases.push(['bmm [32,128,128]x[32,128,128]', { batch: 32, M: 128, N: 128, K: 128 }]);
cases.push(['bmm [32,10,20]x[32,20,30]', { batch: 32, M: 10, N: 30, K: 20, plain: false }]);

const info = machine();
console.log(`matmul float32 | ${info.cpu} | node ${info.node} | torchlet single thread` + (peer ? ` | tfjs-backend-wasm ${peer.version}, threads=${peer.threads}, simd=${peer.simd}` : ''));
console.log(`medians of interleaved batches; speedup = tfjs ms / torchlet ms; load average ${info.loadavg.join(' ')}\n`);

const results = [];
for (const [name, spec] of cases) {
  if (only && !name.includes(only)) continue;
  const r = matmulCase(name, spec);
  results.push(r);
  if (r.relDiffVsTfjs !== null && r.relDiffVsTfjs > 1e-4) console.log(`!! ${name}: torchlet and tfjs disagree (max rel diff ${r.relDiffVsTfjs.toExponential(2)})`);
}

const ms = (x) => fmt(x);
if (os.loadavg()[0] > 1.5) console.log(`\nnote: load average ${os.loadavg()[0].toFixed(2)} on ${info.cores} cores: other processes shared the CPU; cpuMedian in the JSON is steadier than wall time\n`);
table(
  ['case', 'torchlet ms', 'tfjs ms', 'speedup', 'torchlet GF/s', 'tfjs GF/s', 'plain-js ms', 'plain GF/s'],
  results.map((r) => [r.name, ms(r.torchlet.median), r.tfjs && ms(r.tfjs.median) + (r.tfjs.call.startsWith('matMul(transpose') ? ' (T)' : ''), r.speedupVsTfjs && r.speedupVsTfjs.toFixed(2) + 'x', fmt(r.torchlet.gflops), r.tfjs && fmt(r.tfjs.gflops), r.plainJs && ms(r.plainJs.median), r.plainJs && fmt(r.plainJs.gflops)]),
);

if (results.some((r) => r.tfjsAllCalls)) console.log('tfjs on transposed operands: the faster of matMul(a, b, transposeA, transposeB) and (T) matMul(transpose(a), b)');

if (!only) {
  writeJson(new URL('./results/matmul.json', import.meta.url), {
    ...info,
    note: 'float32; times are medians (ms per call) of interleaved batches in one process (median: wall clock, cpuMedian: process CPU time); tfjs-backend-wasm forced to 1 thread via setThreadsCount(1); speedupVsTfjs = tfjs ms / torchlet ms (wall)',
    loadavgAfter: os.loadavg().map((x) => +x.toFixed(2)),
    peers: peer ? { 'tfjs-backend-wasm': peer.version, threads: peer.threads, simd: peer.simd } : {},
    quick,
    results,
  });
}
