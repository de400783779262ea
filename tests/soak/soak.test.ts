// The soak in CI, shortened: tests/soak/soak.mjs runs in child processes
// (so each has a fresh heap, and one may run with --expose-gc) and exits 1
// when memory is not flat. The full 100,000-step figures are in the README.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const script = fileURLToPath(new URL('./soak.mjs', import.meta.url));

function soak(args: string[], node: string[] = []): Record<string, unknown> {
  const r = spawnSync(process.execPath, [...node, script, ...args], { cwd: root, encoding: 'utf8', timeout: 240_000 });
  expect(r.error, 'the soak must finish').toBeUndefined();
  const report = JSON.parse(r.stdout.trim().split('\n').pop()!);
  console.log(`soak ${args.join(' ')} ${node.join(' ')}: ${JSON.stringify(report)}`);
  expect(r.status, JSON.stringify(report)).toBe(0);
  return report;
}

describe('soak', () => {
  it('the README training loop (tidy, SGD) keeps liveBytes flat and stops growing the wasm memory', () => {
    const r = soak(['--steps', '3000', '--hidden', '128,128', '--batch', '8']);
    const live = r.liveBytes as Record<string, number>;
    expect(live.end).toBe(live.afterWarmup);
    expect((r.wasmBytes as Record<string, number>).end).toBe((r.wasmBytes as Record<string, number>).afterWarmup);
  }, 300_000);

  it('a loop that never disposes but awaits each step is kept bounded by the FinalizationRegistry', () => {
    soak(['--steps', '8000', '--mode', 'await', '--hidden', '32']);
  }, 300_000);

  it('the same with --expose-gc and gc() every 1000 steps', () => {
    soak(['--steps', '8000', '--mode', 'await', '--hidden', '32'], ['--expose-gc']);
  }, 300_000);
});
