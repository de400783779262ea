// Chromium (Debian's, driven by playwright-core) loading the smoke page as
// bundled by esbuild and by Vite with zero wasm configuration, served with and
// without cross-origin isolation (COOP/COEP): threads only with it.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';

const ROOT = resolve(import.meta.dirname, '../..');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css' };

const bundlers = {
  /** esbuild as an app would call it: bundle, split, nothing about wasm. */
  async esbuild(dir) {
    const out = join(dir, 'web-esbuild');
    await build({ entryPoints: [join(dir, 'page.mjs')], outdir: out, bundle: true, splitting: true, format: 'esm', platform: 'browser', minify: true, outExtension: { '.js': '.mjs' }, logLevel: 'warning' });
    copyFileSync(join(dir, 'index.html'), join(out, 'index.html'));
    return out;
  },
  /** `vite build` in a project with no vite config at all. */
  async vite(dir) {
    const app = join(dir, 'web-vite');
    mkdirSync(app, { recursive: true });
    for (const f of ['index.html', 'page.mjs', 'smoke.mjs']) copyFileSync(join(dir, f), join(app, f));
    execFileSync(join(ROOT, 'node_modules/.bin/vite'), ['build', '--logLevel', 'warn'], { cwd: app, stdio: ['ignore', 'ignore', 'inherit'] });
    return join(app, 'dist');
  },
};

function serve(root, isolated) {
  const server = createServer((req, res) => {
    const path = join(root, new URL(req.url, 'http://x').pathname.replace(/\/$/, '/index.html'));
    if (!path.startsWith(root) || !existsSync(path)) return res.writeHead(404).end();
    const headers = { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' };
    if (isolated) Object.assign(headers, { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' });
    res.writeHead(200, headers).end(readFileSync(path));
  });
  return new Promise((r) => server.listen(0, '127.0.0.1', () => r(server)));
}

const built = new Map();

/** What the page loads, gzipped: every script and wasm file but the lazy scalar fallback (and the small smoke suite with it). */
function pageSize(dir) {
  const files = readdirSync(dir, { recursive: true }).filter((f) => /\.(m?js|wasm)$/.test(f) && !/scalar/.test(f));
  return { gz_kb: +(files.reduce((s, f) => s + gzipSync(readFileSync(join(dir, f)), { level: 9 }).length, 0) / 1024).toFixed(1) };
}

async function runPage(dir, bundler, isolated, kernels) {
  const key = `${dir}:${bundler}`;
  if (!built.has(key)) built.set(key, await bundlers[bundler](dir));
  const server = await serve(built.get(key), isolated);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  const errors = [];
  try {
    const page = await browser.newPage();
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(`http://127.0.0.1:${server.address().port}/${kernels ? `?kernels=${kernels}` : ''}`);
    await page.waitForFunction(() => window.smokeReport !== undefined, null, { timeout: 60_000 });
    const report = await page.evaluate(() => window.smokeReport);
    const coi = await page.evaluate(() => self.crossOriginIsolated);
    if (coi !== isolated) report.results.push({ name: 'isolation', ok: false, error: `crossOriginIsolated is ${coi}` }), report.failed++;
    report.results.push({ name: 'bundle', ok: true, detail: pageSize(built.get(key)) }), report.passed++;
    return report;
  } catch (e) {
    return { passed: 0, failed: 1, results: [{ name: 'page', ok: false, error: `${e}\n${errors.join('\n')}` }] };
  } finally {
    await browser.close();
    server.close();
  }
}

export const browserRuntimes = {
  'chromium esbuild': (dir) => runPage(dir, 'esbuild', false),
  'chromium esbuild coi': (dir) => runPage(dir, 'esbuild', true),
  'chromium vite': (dir) => runPage(dir, 'vite', false),
  'chromium vite coi': (dir) => runPage(dir, 'vite', true),
  // the fallbacks a browser without shared memory or SIMD would load: the derived unshared build, the lazy scalar chunk
  'chromium esbuild unshared': (dir) => runPage(dir, 'esbuild', true, 'simd-private'),
  'chromium esbuild scalar': (dir) => runPage(dir, 'esbuild', false, 'scalar'),
  'chromium vite scalar': (dir) => runPage(dir, 'vite', false, 'scalar'),
};
