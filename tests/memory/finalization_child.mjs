// Run with --expose-gc by finalization.test.ts: tensors dropped without
// dispose() must be reclaimed by the FinalizationRegistry, including those
// still waiting for their batched registration when they were dropped.
import * as torch from 'torchlet';

await torch.ready();
const tick = () => new Promise((r) => setTimeout(r, 0));
const base = torch.memory();
const report = {};

async function settle() {
  for (let i = 0; i < 20 && torch.memory().liveTensors > base.liveTensors; i++) {
    globalThis.gc();
    await tick();
  }
}

// a few tensors, dropped within the same synchronous block that made them
for (let i = 0; i < 10; i++) torch.ones(256).add(1);
await settle();
report.few = torch.memory().liveTensors - base.liveTensors;

// many more than one registration batch, then dropped
for (let i = 0; i < 5000; i++) torch.ones(64).mul(2);
await settle();
report.many = torch.memory().liveTensors - base.liveTensors;
report.bytes = torch.memory().liveBytes - base.liveBytes;

// kept ones survive the collections and stay usable
const kept = Array.from({ length: 100 }, (_, i) => torch.full([4], i));
await settle();
report.keptAlive = kept.every((t, i) => t.sum().item() === 4 * i);
console.log(JSON.stringify(report));
