// The relaxed-SIMD build through the public API. Node 20 has relaxed SIMD only
// behind a flag, so the check runs in a child process started with it (Node 22+
// needs no flag); the build must be the one torchlet chose by itself.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const child = fileURLToPath(new URL('./relaxed_child.mjs', import.meta.url));

function run(): { info: { variant: string }; failures: string[] } {
  for (const args of [['--experimental-wasm-relaxed-simd', child], [child]]) {
    const r = spawnSync(process.execPath, args, { encoding: 'utf8', cwd: fileURLToPath(new URL('../..', import.meta.url)) });
    if (r.status === 0) return JSON.parse(r.stdout.trim().split('\n').pop()!);
    if (!/bad option/.test(r.stderr)) throw new Error(r.stderr);
  }
  throw new Error('no way to start Node with relaxed SIMD');
}

describe('relaxed-SIMD build', () => {
  it('is chosen where the engine has relaxed SIMD, and its GEMM matches a float64 reference', () => {
    const { info, failures } = run();
    expect(info.variant).toBe('relaxed');
    expect(failures).toEqual([]);
  }, 60_000);
});
