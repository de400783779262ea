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

/** Each scenario: the threads it starts with, the threads it ends with, and its one warning. */
const SCENARIOS: [string, string, { afterStart: number; atEnd?: number; warning: RegExp }][] = [
  ['ctor-throws', 'a worker that fails to construct: the others run, one warning',
    { afterStart: 2, warning: /a worker failed to start \(simulated: no more threads\); running on fewer threads/ }],
  ['crash-on-start', 'workers that crash on start: one thread, one warning',
    { afterStart: 1, warning: /simulated crash on start.*running on fewer threads/ }],
  ['dies-running', 'workers that die in the middle of a job, unnoticed: the stalled jobs are redone here, one warning',
    { afterStart: 3, atEnd: 1, warning: /died or stopped responding; running on fewer threads/ }],
  ['dies-idle', 'workers that die while idle, unnoticed: their jobs are taken back and run here, one warning',
    { afterStart: 3, atEnd: 1, warning: /running on fewer threads/ }],
];

describe('thread pool faults', () => {
  for (const [scenario, title, want] of SCENARIOS) {
    it(title, () => {
      const r = run(scenario);
      expect(r.threadsAfterStart).toBe(want.afterStart);
      expect(r.same).toEqual([true, true, true]);
      if (want.atEnd !== undefined) expect(r.threadsAtEnd).toBe(want.atEnd);
      expect(r.warnings).toHaveLength(1);
      expect(r.warnings[0]).toMatch(want.warning);
    }, 90_000);
  }
});
