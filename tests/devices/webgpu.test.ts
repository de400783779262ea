// The device suite: every case in cases.mjs runs on wasm and on WebGPU and
// the answers are compared. WebGPU runs in a child process (see child.ts)
// through Node's npm package `webgpu`. The cases are skipped, loudly, only
// when no adapter exists.
import { describe, it, expect } from 'vitest';
import { runChild, warnSkipped } from './child';
import { cases } from './cases.mjs';
import { API_CHECKS } from './suite.mjs';

const names = [...cases.map((c) => c.name), ...Object.keys(API_CHECKS)];

interface Outcome {
  available: boolean;
  adapter: string;
  results: { name: string; ok: boolean; error?: string }[];
}

const outcome = await runChild<Outcome>('tests/devices/run_cases.mjs').catch(
  (e: Error): Outcome => ({ available: false, adapter: `the WebGPU child process failed: ${e.message.split('\n')[0]}`, results: [] }),
);
if (!outcome.available) warnSkipped(`WEBGPU DEVICE SUITE (${cases.length} cases)`, outcome.adapter);

describe.skipIf(!outcome.available)(`webgpu (${outcome.adapter}) against wasm`, () => {
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
