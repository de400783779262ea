// The device suite in Chromium (--enable-unsafe-webgpu, through
// playwright-core): the same cases as webgpu.test.ts, run by a page.
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

const outcome = await runChild<Outcome>('tests/devices/chromium_child.mjs').catch(
  (e: Error): Outcome => ({ available: false, adapter: `Chromium could not run the suite: ${e.message.split('\n')[0]}`, results: [] }),
);
if (!outcome.available) warnSkipped(`WEBGPU DEVICE SUITE IN CHROMIUM (${cases.length} cases)`, outcome.adapter);

describe.skipIf(!outcome.available)(`webgpu in Chromium (${outcome.adapter}) against wasm`, () => {
  const byName = new Map(outcome.results.map((r) => [r.name, r]));
  it('ran every case', () => expect(outcome.results.length).toBe(names.length));
  for (const name of names) {
    it(name, () => expect(byName.get(name)?.error ?? null).toBeNull());
  }
});
