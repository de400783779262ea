// The PyTorch conformance cases with their inputs on WebGPU: every case that
// can run there (see conformance_child.mjs) must give PyTorch's answer.
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
const outcome = present ? await runChild<Outcome>('tests/devices/conformance_child.mjs', [file]) : null;
if (outcome && !outcome.available) warnSkipped('WEBGPU CONFORMANCE', outcome.adapter);

describe.skipIf(!outcome?.available)(`PyTorch conformance cases on webgpu (${outcome?.adapter})`, () => {
  const results = outcome?.results ?? [];
  it('runs most cases on the GPU', () => {
    const count = (s: string): number => results.filter((r) => r.status === s).length;
    console.log(`conformance on webgpu: ${count('pass')} pass, ${count('fail')} fail, ${count('n/a')} not applicable (of ${results.length})`);
    expect(count('pass')).toBeGreaterThanOrEqual(200);
  });
  for (const r of results.filter((x) => x.status !== 'n/a')) {
    it(r.id, () => expect(r.why ?? null).toBeNull());
  }
});
