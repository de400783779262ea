// Every kernel build through the public API: a child Node process per build,
// asked for by TORCHLET_KERNELS (src/devices/wasm/module.ts reads it at load),
// must load that build and compute products and elementwise ops right on tail
// sizes and strided operands. Without TORCHLET_KERNELS torchlet must pick the
// relaxed build where the engine has relaxed SIMD; Node 20 has it only behind
// a flag (Node 22+ needs none, and may not know the flag).
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const child = fileURLToPath(new URL('./variant_child.mjs', import.meta.url));
const root = fileURLToPath(new URL('../..', import.meta.url));

function run(kernels: string | null, relaxed: boolean): { info: { variant: string }; failures: string[] } {
  const env = { ...process.env };
  delete env.TORCHLET_KERNELS;
  if (kernels) env.TORCHLET_KERNELS = kernels;
  for (const args of relaxed ? [['--experimental-wasm-relaxed-simd', child], [child]] : [[child]]) {
    const r = spawnSync(process.execPath, args, { encoding: 'utf8', cwd: root, env });
    if (r.status === 0) return JSON.parse(r.stdout.trim().split('\n').pop()!);
    if (!/bad option/.test(r.stderr)) throw new Error(r.stderr);
  }
  throw new Error('no way to start Node with relaxed SIMD');
}

describe('kernel builds through the public API', () => {
  it('picks the relaxed-SIMD build by itself where the engine has relaxed SIMD', () => {
    const { info, failures } = run(null, true);
    expect(info.variant).toBe('relaxed');
    expect(failures).toEqual([]);
  }, 60_000);

  for (const variant of ['relaxed', 'simd', 'simd-private', 'scalar']) {
    it(`TORCHLET_KERNELS=${variant} loads that build, and its products and elementwise ops match float64 on tails and strides`, () => {
      const { info, failures } = run(variant, variant === 'relaxed');
      expect(info.variant).toBe(variant);
      expect(failures).toEqual([]);
    }, 60_000);
  }
});
