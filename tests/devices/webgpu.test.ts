// The device suite: every case in cases.mjs runs on wasm and on WebGPU and
// the answers are compared. WebGPU runs in a child process (so a driver
// crash cannot take the test runner down, and so VK_ICD_FILENAMES reaches
// Dawn before it loads): Node's npm package `webgpu`, on a real GPU where
// there is one, else on the SwiftShader CPU driver that ships with Debian's
// chromium package. The cases are skipped, loudly, only when no adapter exists.
import { describe, it, expect } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { cases } from './cases.mjs';

const SWIFTSHADER = '/usr/lib/chromium/vk_swiftshader_icd.json';

interface Outcome {
  available: boolean;
  adapter: string;
  results: { name: string; ok: boolean; error?: string }[];
}

async function runOnWebGpu(): Promise<Outcome> {
  const dir = mkdtempSync(join(tmpdir(), 'torchlet-webgpu-'));
  try {
    // the suite tests the sources as they are, bundled as `npm run build:js` does
    const bundle = join(dir, 'torchlet.mjs');
    await build({
      entryPoints: ['src/index.ts'], bundle: true, format: 'esm', platform: 'neutral', target: 'es2022',
      loader: { '.wasm': 'binary' }, outfile: bundle, logLevel: 'error', ignoreAnnotations: true,
    });
    const env = { ...process.env };
    if (!env.VK_ICD_FILENAMES && existsSync(SWIFTSHADER)) env.VK_ICD_FILENAMES = SWIFTSHADER;
    const out = execFileSync(process.execPath, ['tests/devices/run_cases.mjs', pathToFileURL(bundle).href], {
      env, encoding: 'utf8', timeout: 600_000, maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'ignore'],
    });
    return JSON.parse(out.trim().split('\n').pop()!) as Outcome;
  } catch (e) {
    return { available: false, adapter: `the WebGPU child process failed: ${(e as Error).message.split('\n')[0]}`, results: [] };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const outcome = await runOnWebGpu();
if (!outcome.available) {
  const line = '!'.repeat(78);
  console.warn(`\n${line}\n!! WEBGPU DEVICE SUITE SKIPPED: no WebGPU adapter here (${outcome.adapter || 'none'}).\n!! ${cases.length} device cases did NOT run. In Node, install the dev dependency 'webgpu' and a\n!! Vulkan driver (a GPU's, or SwiftShader: apt-get install chromium libvulkan1).\n${line}\n`);
}

describe.skipIf(!outcome.available)(`webgpu (${outcome.adapter}) against wasm`, () => {
  const byName = new Map(outcome.results.map((r) => [r.name, r]));
  it('ran every case', () => expect(outcome.results.length).toBe(cases.length));
  for (const c of cases) {
    it(c.name, () => {
      const r = byName.get(c.name);
      expect(r, 'no result (the child process stopped early?)').toBeDefined();
      expect(r!.error ?? null).toBeNull();
    });
  }
});
