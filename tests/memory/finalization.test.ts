// The FinalizationRegistry safety net, observed with a forced GC in a child
// process (vitest's workers have no --expose-gc).
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const child = fileURLToPath(new URL('./finalization_child.mjs', import.meta.url));

describe('garbage tensors', () => {
  it('are freed by the FinalizationRegistry, whether or not their batched registration had happened', () => {
    const r = spawnSync(process.execPath, ['--expose-gc', child], { encoding: 'utf8', cwd: fileURLToPath(new URL('../..', import.meta.url)) });
    if (r.status !== 0) throw new Error(r.stderr);
    expect(JSON.parse(r.stdout.trim().split('\n').pop()!)).toEqual({ few: 0, many: 0, bytes: 0, keptAlive: true });
  }, 60_000);
});
