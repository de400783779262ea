// The device suite in Chromium's WebGPU (--enable-unsafe-webgpu), driven by
// playwright-core: the page imports the bundle and suite.mjs from a routed
// http://localhost origin (WebGPU needs a secure context).
// usage: node chromium_child.mjs TORCH_BUNDLE [--filter TEXT] [--conformance CASES.json]
// Prints the suite's JSON line (with --conformance, conformance.mjs's results
// instead). CHROMIUM overrides the browser executable.
import { readFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const [bundle, ...rest] = process.argv.slice(2);
const option = (name) => (rest.includes(name) ? rest[rest.indexOf(name) + 1] : null);
const filter = option('--filter');
const conformance = option('--conformance') ? JSON.parse(readFileSync(option('--conformance'), 'utf8')).cases : null;
const here = fileURLToPath(new URL('.', import.meta.url));
const executablePath = process.env.CHROMIUM ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find(existsSync);
if (!executablePath) {
  console.log(JSON.stringify({ available: false, adapter: 'no Chromium executable (set CHROMIUM)', results: [] }));
  process.exit(0);
}
const files = {
  '/torchlet.mjs': bundle.startsWith('file:') ? fileURLToPath(bundle) : resolve(bundle),
  '/suite.mjs': join(here, 'suite.mjs'),
  '/cases.mjs': join(here, 'cases.mjs'),
  '/compare.mjs': join(here, 'compare.mjs'),
  '/conformance.mjs': join(here, 'conformance.mjs'),
};
const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--enable-unsafe-webgpu', '--enable-features=Vulkan'] });
try {
  const page = await browser.newPage();
  await page.route('http://localhost/**', (route) => {
    const path = new URL(route.request().url()).pathname;
    if (path === '/') return route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>torchlet webgpu</title>' });
    const file = files[path];
    return file ? route.fulfill({ contentType: 'text/javascript', body: readFileSync(file, 'utf8') }) : route.fulfill({ status: 404, body: '' });
  });
  await page.goto('http://localhost/');
  const out = await page.evaluate(async ({ filter, conformance }) => {
    const torch = await import('/torchlet.mjs');
    await torch.ready();
    const gpu = navigator.gpu ?? null;
    if (conformance) {
      const available = gpu ? await torch.webgpu.isAvailable({ gpu }) : false;
      const { runConformance } = await import('/conformance.mjs');
      return { available, adapter: torch.webgpu.adapter() || 'no adapter', results: available ? await runConformance(torch, conformance) : [] };
    }
    const { runSuite } = await import('/suite.mjs');
    const r = await runSuite(torch, gpu, filter);
    return { ...r, adapter: r.adapter || (gpu ? 'no adapter' : 'no navigator.gpu') };
  }, { filter, conformance });
  console.log(JSON.stringify(out));
} finally {
  await browser.close();
}
