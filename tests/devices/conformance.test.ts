// The PyTorch conformance cases with their inputs on WebGPU, in Node (the npm
// package `webgpu`) and in Chromium: every case that can run on a GPU (see
// conformance.mjs) must give PyTorch's answer.
import { describe, it, expect } from 'vitest';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { runChild, warnSkipped } from './child';

interface Outcome {
  available: boolean;
  adapter: string;
  results: { id: string; status: 'pass' | 'fail' | 'n/a'; why?: string }[];
}

// the shared cases live next to the checkout (../shared/conformance), or where CONFORMANCE points
const file = resolve(process.env.CONFORMANCE ?? '../shared/conformance/public.json');
const present = existsSync(file);
if (!present) console.warn(`\n!! WEBGPU CONFORMANCE SKIPPED: no cases at ${file} (set CONFORMANCE=path/to/public.json)\n`);

const failed = (e: Error): Outcome => ({ available: false, adapter: `the child process failed: ${e.message.split('\n')[0]}`, results: [] });
const runs: [string, Outcome | null][] = [
  ['Node', present ? await runChild<Outcome>('tests/devices/conformance_child.mjs', [file]).catch(failed) : null],
  ['Chromium', present ? await runChild<Outcome>('tests/devices/chromium_child.mjs', ['--conformance', file]).catch(failed) : null],
];

for (const [where, outcome] of runs) {
  if (outcome && !outcome.available) warnSkipped(`WEBGPU CONFORMANCE IN ${where.toUpperCase()}`, outcome.adapter);
  describe.skipIf(!outcome?.available)(`PyTorch conformance cases on webgpu in ${where} (${outcome?.adapter})`, () => {
    const results = outcome?.results ?? [];
    it('runs most cases on the GPU', () => {
      const count = (s: string): number => results.filter((r) => r.status === s).length;
      console.log(`conformance on webgpu in ${where}: ${count('pass')} pass, ${count('fail')} fail, ${count('n/a')} not applicable (of ${results.length})`);
      expect(count('pass')).toBeGreaterThanOrEqual(200);
    });
    for (const r of results.filter((x) => x.status !== 'n/a')) {
      it(r.id, () => expect(r.why ?? null).toBeNull());
    }
  });
}
