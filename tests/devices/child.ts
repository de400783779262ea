// Runs a device script in a child process against the current sources,
// bundled as `npm run build:js` bundles them. A child process, so that
// VK_ICD_FILENAMES reaches Dawn before it loads and a driver crash cannot
// take the test runner down. Without a GPU driver, Debian's chromium
// package ships SwiftShader, a CPU Vulkan driver, which is used when present.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const SWIFTSHADER = '/usr/lib/chromium/vk_swiftshader_icd.json';

/** The last stdout line of `node script bundleUrl ...args`, parsed as JSON. */
export async function runChild<T>(script: string, args: string[] = []): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'torchlet-webgpu-'));
  try {
    const bundle = join(dir, 'torchlet.mjs');
    await build({
      entryPoints: ['src/index.ts'], bundle: true, format: 'esm', platform: 'neutral', target: 'es2022',
      loader: { '.wasm': 'binary' }, outfile: bundle, logLevel: 'error', ignoreAnnotations: true,
    });
    const env = { ...process.env };
    if (!env.VK_ICD_FILENAMES && existsSync(SWIFTSHADER)) env.VK_ICD_FILENAMES = SWIFTSHADER;
    const out = execFileSync(process.execPath, [script, pathToFileURL(bundle).href, ...args], {
      env, encoding: 'utf8', timeout: 900_000, maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'ignore'],
    });
    return JSON.parse(out.trim().split('\n').pop()!) as T;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The banner a skipped device suite prints: a missing GPU must never pass silently. */
export function warnSkipped(what: string, reason: string): void {
  const line = '!'.repeat(78);
  console.warn(`\n${line}\n!! ${what} SKIPPED: no WebGPU adapter here (${reason || 'none'}).\n!! In Node: the dev dependency 'webgpu' and a Vulkan driver (a GPU's, or SwiftShader:\n!! apt-get install chromium libvulkan1).\n${line}\n`);
}
