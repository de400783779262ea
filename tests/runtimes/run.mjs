// The runtime matrix (npm run test:runtimes): packs the package as npm would
// publish it, installs the tarball into a fresh project, and runs the shared
// smoke suite (smoke.mjs) in every runtime, then the edge example's test.
// Usage: node tests/runtimes/run.mjs [runtime names or prefixes...]
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { bundleWorker, serveWorker } from './workerd.mjs';
import { browserRuntimes } from './browsers.mjs';

const ROOT = resolve(import.meta.dirname, '../..');
const HERE = join(ROOT, 'tests/runtimes');
const BIN = join(ROOT, 'node_modules/.bin');
const NODES = join(HERE, 'nodes');

function sh(cmd, args, cwd) {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
}

/** The packed tarball installed into a new project next to the suite's entry files. */
function project() {
  if (!existsSync(join(ROOT, 'dist/index.js'))) throw new Error('dist/ is missing: run npm run build first');
  const dir = mkdtempSync(join(tmpdir(), 'torchlet-runtimes-'));
  const [{ filename }] = JSON.parse(sh('npm', ['pack', '--json', '--pack-destination', dir], ROOT));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'smoke', private: true, type: 'module' }));
  sh('npm', ['install', '--no-audit', '--no-fund', '--no-save', join(dir, filename)], dir);
  for (const f of ['smoke.mjs', ...readdirSync(join(HERE, 'entries')).map((e) => `entries/${e}`)]) copyFileSync(join(HERE, f), join(dir, f.replace('entries/', '')));
  return dir;
}

/** Runs a command that prints the suite's JSON report as its last line. */
function runCli(cmd, args, cwd, env = {}) {
  return new Promise((resolveRun) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let out = '', err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 180_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      const last = out.trim().split('\n').pop();
      try {
        resolveRun(JSON.parse(last));
      } catch {
        resolveRun({ passed: 0, failed: 1, results: [{ name: 'run', ok: false, error: `exit ${code}\n${out}\n${err}` }] });
      }
    });
  });
}

function nodeBinary(version) {
  const bin = join(NODES, `node_modules/node${version}/bin/node`);
  if (!existsSync(bin)) sh('npm', ['ci', '--no-audit', '--no-fund'], NODES);
  return bin;
}

const runtimes = {
  node20: (dir) => runCli(process.execPath, ['cli.mjs'], dir),
  node22: (dir) => runCli(nodeBinary(22), ['cli.mjs'], dir),
  node24: (dir) => runCli(nodeBinary(24), ['cli.mjs'], dir),
  deno: (dir) => runCli(join(BIN, 'deno'), ['run', '--allow-all', 'cli.mjs'], dir),
  bun: (dir) => runCli(join(BIN, 'bun'), ['cli.mjs'], dir),
  ...browserRuntimes,
  async workerd(dir) {
    const out = join(dir, 'workerd-out');
    const { modules } = await bundleWorker(join(dir, 'worker.mjs'), out);
    const server = await serveWorker(out, modules);
    try {
      return await (await fetch(server.url)).json();
    } catch (e) {
      return { passed: 0, failed: 1, results: [{ name: 'request', ok: false, error: `${e}\n${server.log()}` }] };
    } finally {
      await server.stop();
    }
  },
  'edge example': (dir) => runCli(process.execPath, [join(ROOT, 'examples/edge/test.mjs')], ROOT, { TORCHLET_FROM: dir }),
};

if (process.versions.node.split('.')[0] !== '20') console.warn(`note: node20 runs under this node, ${process.version}`);
const wanted = process.argv.slice(2);
const chosen = Object.keys(runtimes).filter((n) => !wanted.length || wanted.some((w) => n.startsWith(w)));
const dir = project();
let passed = 0, failed = 0;
const started = Date.now();
for (const name of chosen) {
  const t0 = Date.now();
  const report = await runtimes[name](dir).catch((e) => ({ passed: 0, failed: 1, results: [{ name: 'start', ok: false, error: String(e?.stack ?? e) }] }));
  passed += report.passed;
  failed += report.failed;
  const notes = report.results.filter((r) => r.ok && r.detail && ['ready and backend', 'threads', 'predictions', 'latency', 'bundle'].includes(r.name)).map((r) => JSON.stringify(r.detail));
  console.log(`${report.failed ? 'FAIL' : 'ok  '} ${name.padEnd(26)} ${report.passed}/${report.passed + report.failed} checks  ${((Date.now() - t0) / 1000).toFixed(1)} s  ${notes.join(' ')}`);
  for (const r of report.results.filter((x) => !x.ok)) console.log(`       ${r.name}: ${r.error}`);
}
rmSync(dir, { recursive: true, force: true });
console.log(`runtime matrix: ${chosen.length} runtimes in ${((Date.now() - started) / 1000).toFixed(0)} s`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
