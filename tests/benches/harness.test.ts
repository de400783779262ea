// The bench machinery, without timing anything that could be slow: the
// hand-encoded ONNX model computes a product in ONNX Runtime Web, torchlet
// builds load side by side, compare() reports every contender (sync and
// async), and the targets read rows as the families write them.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { matmulModel, loadOrtWasm } from '../../benches/_onnx.mjs';
import { compare } from '../../benches/_harness.mjs';
import { checkRow } from '../../benches/_targets.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('bench helpers', () => {
  it('encode a MatMul model that ONNX Runtime Web runs (batched too), with the network forbidden', async () => {
    expect(matmulModel([2, 3], [3, 2])).toBeInstanceOf(Uint8Array);
    const ort = await loadOrtWasm(1);
    const a = Float32Array.from([1, 2, 3, 4, 5, 6, 1, 0, 0, 0, 1, 0]);
    const b = Float32Array.from([1, 2, 3, 4, 5, 6, 1, 1, 1, 1, 1, 1]);
    const s = await ort.matmul([2, 2, 3], a, [2, 3, 2], b);
    const y = await s.run();
    expect(y.dims).toEqual([2, 2, 2]);
    expect(Array.from(y.data)).toEqual([22, 28, 49, 64, 1, 1, 1, 1]);
    await s.release();
  }, 60_000);

  it('load a torchlet build of their choosing next to the default one', () => {
    // in a plain Node process: vitest's module runner would hand back the copy it already has
    const script = `
      import { loadTorchlet } from './benches/_peers.mjs';
      const scalar = await loadTorchlet({ kernels: 'scalar' });
      const simd = await loadTorchlet({ kernels: 'simd' });
      const dflt = await loadTorchlet();
      console.log(JSON.stringify([scalar.build, simd.build, dflt.build, scalar.torch.tensor([1, 2]).add(1).tolist()]));`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', cwd: root });
    expect(r.stderr).toBe('');
    const [scalar, simd, dflt, sum] = JSON.parse(r.stdout);
    expect([scalar, simd, sum]).toEqual(['scalar', 'simd', [2, 3]]);
    expect(['simd', 'relaxed']).toContain(dflt);
  }, 60_000);

  it('compare() times sync and async contenders interleaved', async () => {
    let sync = 0, async = 0;
    const r = await compare(
      [{ name: 'sync', fn: () => sync++ }, { name: 'async', fn: async () => void async++ }],
      { warmupMs: 1, minCalls: 1, sampleMs: 0.1, minRounds: 3, maxRounds: 3, budgetMs: 0 },
    );
    expect(r.sync.samples).toBe(3);
    expect(r.async.samples).toBe(3);
    expect(async).toBeGreaterThanOrEqual(4);
    expect(r.async.median).toBeGreaterThan(0);
  });

  it('mark a row met or missed by the targets it carries', () => {
    const stats = (median: number) => ({ median });
    const row = (ms: number, tfjs: number) => ({ family: 'matmul', op: 'matmul', size: '1024x1024', n: 1024, build: 'simd', threads: 1, flops: 2 * 1024 ** 3, torchlet: stats(ms), peers: { 'tfjs-wasm': stats(tfjs) } });
    const fast = checkRow(row(60, 100));
    expect(fast.map((c: { short: string }) => c.short)).toEqual(['>=25 GF/s', '>=1.5x TF.js']);
    expect(fast.every((c: { met: boolean }) => c.met)).toBe(true);
    const slow = checkRow(row(100, 100));
    expect(slow.map((c: { met: boolean }) => c.met)).toEqual([false, false]);
    expect(checkRow({ ...row(60, 100), peers: {} })[1].met).toBe(null);
  });
});
