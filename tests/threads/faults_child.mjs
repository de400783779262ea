// Run by faults.test.ts, one scenario per process (argv[2]): worker threads
// that fail to start, crash on start, die while idle, or die in the middle of
// a job, unnoticed by this thread. Products must still equal the single-thread ones, torchlet must
// warn once, and the process must exit by itself.
import { createRequire, syncBuiltinESMExports } from 'node:module';

const scenario = process.argv[2];
const require = createRequire(import.meta.url);
const wt = require('node:worker_threads');
const Original = wt.Worker;
const made = [];
let constructed = 0;
wt.Worker = class extends Original {
  constructor(source, options) {
    constructed++;
    if (scenario === 'ctor-throws' && constructed === 1) throw new Error('simulated: no more threads');
    // dies-running: a worker that ends its thread as soon as it has claimed a job
    const dying = scenario === 'dies-running' ? source.replace('fns[ctrl[base + 1]](...args);', 'process.exit(7);') : source;
    if (scenario === 'dies-running' && dying === source) throw new Error('the worker source changed: update the dies-running hook');
    super(scenario === 'crash-on-start' ? "throw new Error('simulated crash on start')" : dying, options);
    made.push(this);
  }
};
syncBuiltinESMExports();

const warnings = [];
console.warn = (...a) => warnings.push(a.join(' '));

const torch = await import('torchlet');
// one thread through ready() (which would otherwise start the pool): the scenarios start it later, from a product
torch.setNumThreads(1);
await torch.ready();
torch.manualSeed(5);
const a = torch.randn([512, 300]), b = torch.randn([300, 256]);
torch.setNumThreads(1);
const serial = a.matmul(b);
torch.setNumThreads(3);
for (let i = 0; i < 8; i++) a.matmul(b).dispose(); // after a few products the pool starts in the background
// wait for start-up to settle: the threads each scenario should end up with (and the crash reported)
const expected = { none: 3, 'ctor-throws': 2, 'crash-on-start': 1, 'dies-idle': 3, 'dies-running': 3 }[scenario];
const deadline = performance.now() + 30000;
const settled = () => constructed >= 2 && torch.backendInfo().threads === expected && (scenario !== 'crash-on-start' || warnings.length > 0);
while (!settled() && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
const threadsAfterStart = torch.backendInfo().threads;

if (scenario === 'dies-idle') {
  // kill the workers behind torchlet's back, then keep this thread busy so that no 'exit'
  // event can reach it: the posted jobs are never claimed and must be taken back
  for (const w of made) w.terminate();
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1500); // time for the threads to be torn down
}
const same = [];
for (let i = 0; i < 3; i++) {
  const p = a.matmul(b);
  same.push(p.eq(serial).all().item());
  p.dispose();
}
console.log(JSON.stringify({ scenario, threadsAfterStart, threadsAtEnd: torch.backendInfo().threads, same, warnings }));
