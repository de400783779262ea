// torch.nn.functional against PyTorch 1.13: activations, linear, layer norm,
// embedding, one_hot and every loss option, recorded by tests/fixtures/gen_nn.py
// in the ops-fixture format and replayed here case by case (forward value, then
// the gradient of every floating input). Refusals must throw, and their message
// must contain PyTorch's unless listed in knownMessageMismatches.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import * as torch from 'torchlet';
import { runCase, type Case, type FamilyFile } from '../helpers/fixtures';

const FAMILIES = ['activations', 'layers', 'losses', 'module-forward'];
const families: FamilyFile[] = FAMILIES.map((f) => JSON.parse(readFileSync(new URL(`../fixtures/nn/${f}.json`, import.meta.url), 'utf8')));

/** Cases that still fail, with the reason (run as it.fails, so a fix turns them red). */
const knownFailures: Record<string, string> = {};

/** Refusals whose message does not (yet) carry PyTorch's wording. */
const knownMessageMismatches: Record<string, string> = {};

beforeAll(async () => {
  await torch.ready();
});

function check(c: Case): void {
  const { failure } = runCase(c);
  if (failure !== null) throw new Error(`[${c.id}] ${failure}\n  js: ${c.js}${c.note ? `\n  note: ${c.note}` : ''}`);
}

for (const fam of families) {
  describe(fam.family, () => {
    for (const c of fam.cases) (c.id in knownFailures ? it.fails : it)(c.id, () => check(c));
  });
}

describe('error messages', () => {
  for (const fam of families) {
    for (const c of fam.cases) {
      if (!('throws' in c.expect) || c.id in knownFailures) continue;
      const { throws: want, torch: theirs } = c.expect;
      (c.id in knownMessageMismatches ? it.fails : it)(c.id, () => {
        const { message } = runCase(c);
        if (!message?.includes(want)) throw new Error(`[${c.id}] message mismatch\n  js:    ${c.js}\n  ours:  ${message ?? '(no error)'}\n  torch: ${theirs}`);
      });
    }
  }
});

describe('fixture bookkeeping', () => {
  const ids = new Set(families.flatMap((f) => f.cases.map((c) => c.id)));
  it('lists only existing cases as known failures', () => {
    expect([...Object.keys(knownFailures), ...Object.keys(knownMessageMismatches)].filter((id) => !ids.has(id))).toEqual([]);
  });
  it('was recorded from PyTorch 1.13', () => {
    for (const f of families) expect(f.torch).toMatch(/^1\.13/);
  });
  it('covers every loss with every reduction', () => {
    const js = families.flatMap((f) => f.cases.map((c) => c.js)).join('\n');
    for (const fn of ['mseLoss', 'l1Loss', 'nllLoss', 'crossEntropy', 'binaryCrossEntropy', 'binaryCrossEntropyWithLogits']) {
      for (const r of ['mean', 'sum', 'none']) expect(js).toMatch(new RegExp(`functional\\.${fn}\\(.*reduction: '${r}'`));
    }
  });
});
