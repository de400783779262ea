// A workerd module worker; bundled the way wrangler bundles (tests/runtimes/workerd.mjs).
import * as torch from 'torchlet';
import { smoke } from './smoke.mjs';

// at global scope, where workerd forbids crypto.getRandomValues: seeding must not draw entropy
torch.manualSeed(0);
const atStartup = torch.rand(2).tolist();
// and an unseeded module (nn.Linear draws from the default generator) must still start
const unseeded = new torch.nn.Linear(2, 2).weight.shape;

export default {
  async fetch() {
    const report = await smoke(torch, { threads: false, syncStart: true });
    const ok = atStartup[0] === 0.49625658988952637 && atStartup[1] === 0.7682217955589294 && unseeded.join() === '2,2';
    report.results.push(ok ? { name: 'seeded at global scope', ok, detail: null } : { name: 'seeded at global scope', ok, error: `rand(2) gave ${atStartup}` });
    report[ok ? 'passed' : 'failed']++;
    return Response.json(report);
  },
};
