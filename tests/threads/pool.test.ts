// The worker pool, exercised in child processes so its start-up and the
// process's exit are observed for real.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as torch from 'torchlet';

const root = fileURLToPath(new URL('../..', import.meta.url));
const child = fileURLToPath(new URL('./pool_child.mjs', import.meta.url));

describe('thread pool', () => {
  it('gives bit-identical products on 1 and 2 threads, then lets the process exit', () => {
    const started = Date.now();
    const r = spawnSync(process.execPath, [child], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    expect(r.error, 'the process must exit by itself').toBeUndefined();
    expect(r.status, r.stderr).toBe(0);
    const { threads, report } = JSON.parse(r.stdout.trim().split('\n').pop()!);
    expect(threads).toBe(2);
    for (const [name, same] of report) expect(same, name).toBe(true);
    expect(Date.now() - started).toBeLessThan(60_000);
  }, 90_000);

  it('lets process.exit() end a process whose workers sleep (it used to hang about one exit in three)', () => {
    const script = `import * as torch from 'torchlet';
      await torch.ready();
      torch.setNumThreads(2);
      const a = torch.ones(256, 256);
      while (torch.backendInfo().threads < 2) { a.matmul(a).dispose(); await new Promise((r) => setTimeout(r, 20)); }
      process.exit(0);`;
    for (let i = 0; i < 6; i++) {
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8', timeout: 30_000 });
      expect(r.error, `run ${i}: the process must exit`).toBeUndefined();
      expect(r.status, r.stderr).toBe(0);
    }
  }, 200_000);

  it('is running once ready() resolves, so a script that never yields again still uses every thread', () => {
    const script = `import * as torch from 'torchlet';
      torch.setNumThreads(2);
      await torch.ready();
      const threadsAtReady = torch.backendInfo().threads;
      const a = torch.randn(512, 512), b = torch.randn(512, 512);
      const serial = (() => { torch.setNumThreads(1); return a.matmul(b); })();
      const threadsAtOne = torch.backendInfo().threads;
      torch.setNumThreads(2);
      // the worker was parked, not stopped: two threads again at once, without yielding
      const threadsAgain = torch.backendInfo().threads;
      let same = true;
      for (let i = 0; i < 12; i++) { const p = a.matmul(b); same &&= p.eq(serial).all().item(); p.dispose(); }
      console.log(JSON.stringify({ threadsAtReady, threadsAtOne, threadsAgain, same }));`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8', timeout: 30_000 });
    expect(r.error, 'the process must exit by itself').toBeUndefined();
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout.trim().split('\n').pop()!)).toEqual({ threadsAtReady: 2, threadsAtOne: 1, threadsAgain: 2, same: true });
  }, 60_000);

  it('validates setNumThreads and reports getNumThreads', () => {
    const before = torch.getNumThreads();
    expect(before).toBeGreaterThanOrEqual(1);
    expect(() => torch.setNumThreads(0)).toThrow(/positive integer/);
    expect(() => torch.setNumThreads(1.5)).toThrow(/positive integer/);
    torch.setNumThreads(1);
    expect(torch.getNumThreads()).toBe(1);
    torch.setNumThreads(before);
  });
});
