// The worker pool under faults, each in its own process: a worker that cannot
// be constructed, one that crashes on start, and workers that die while idle
// or mid-job without this thread hearing of it (it is busy, so no 'exit' event
// arrives).
// The pool falls back to fewer threads, warns once, gives the single-thread
// answers, never deadlocks, and lets the process exit.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const child = fileURLToPath(new URL('./faults_child.mjs', import.meta.url));

function run(scenario: string) {
  const r = spawnSync(process.execPath, [child, scenario], { cwd: root, encoding: 'utf8', timeout: 60_000 });
  expect(r.error, 'the process must exit by itself (no deadlock, no worker keeping it alive)').toBeUndefined();
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

describe('thread pool faults', () => {
  it('a worker that fails to construct: the others run, one warning', () => {
    const r = run('ctor-throws');
    expect(r.same).toEqual([true, true, true]);
    expect(r.threadsAfterStart).toBe(2);
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toMatch(/a worker failed to start \(simulated: no more threads\); running on fewer threads/);
  }, 90_000);

  it('workers that crash on start: one thread, one warning', () => {
    const r = run('crash-on-start');
    expect(r.same).toEqual([true, true, true]);
    expect(r.threadsAfterStart).toBe(1);
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toMatch(/simulated crash on start.*running on fewer threads/);
  }, 90_000);

  it('workers that die in the middle of a job, unnoticed: the stalled jobs are redone here, one warning', () => {
    const r = run('dies-running');
    expect(r.threadsAfterStart).toBe(3);
    expect(r.same).toEqual([true, true, true]);
    expect(r.threadsAtEnd).toBe(1);
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toMatch(/died or stopped responding; running on fewer threads/);
  }, 90_000);

  it('workers that die while idle, unnoticed: their jobs are taken back and run here, one warning', () => {
    const r = run('dies-idle');
    expect(r.threadsAfterStart).toBe(3);
    expect(r.same).toEqual([true, true, true]);
    expect(r.threadsAtEnd).toBe(1);
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toMatch(/running on fewer threads/);
  }, 90_000);
});
