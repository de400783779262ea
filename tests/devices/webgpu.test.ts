// The device suite: every case in cases.mjs (and the API checks in suite.mjs)
// runs on wasm and on WebGPU and the answers are compared, in Node (the npm
// package `webgpu`) and in Chromium (--enable-unsafe-webgpu through
// playwright-core), each in a child process (see child.ts). A runtime's
// cases are skipped, loudly, only when it has no WebGPU adapter.
import { describe, it, expect } from 'vitest';
import { runChild, warnSkipped } from './child';
import { cases } from './cases.mjs';
import { API_CHECKS } from './suite.mjs';

interface Outcome {
  available: boolean;
  adapter: string;
  results: { name: string; ok: boolean; error?: string }[];
}

const names = [...cases.map((c) => c.name), ...Object.keys(API_CHECKS)];
const failed = (e: Error): Outcome => ({ available: false, adapter: `the child process failed: ${e.message.split('\n')[0]}`, results: [] });
const runs: [string, Outcome][] = [
  ['Node', await runChild<Outcome>('tests/devices/run_cases.mjs').catch(failed)],
  ['Chromium', await runChild<Outcome>('tests/devices/chromium_child.mjs').catch(failed)],
];

for (const [where, outcome] of runs) {
  if (!outcome.available) warnSkipped(`WEBGPU DEVICE SUITE IN ${where.toUpperCase()} (${names.length} cases)`, outcome.adapter);
  describe.skipIf(!outcome.available)(`webgpu in ${where} (${outcome.adapter}) against wasm`, () => {
    const byName = new Map(outcome.results.map((r) => [r.name, r]));
    it('ran every case', () => expect(outcome.results.length).toBe(names.length));
    for (const name of names) {
      it(name, () => {
        const r = byName.get(name);
        expect(r, 'no result (the child process stopped early?)').toBeDefined();
        expect(r!.error ?? null).toBeNull();
      });
    }
  });
}
