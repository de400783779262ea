// Run by pool.test.ts in its own process: products split by batch, rows and
// columns across two threads must equal the single-thread results bit for
// bit, and the process must exit on its own with the pool idle.
import * as torch from 'torchlet';

await torch.ready();
torch.manualSeed(3);
const cases = [
  ['rows', [512, 300], [300, 256]],
  ['cols', [64, 784], [784, 512]],
  ['batch', [8, 128, 96], [8, 96, 160]],
  ['transposed', [300, 512], [256, 300], true],
];
const operands = cases.map(([name, sa, sb, t]) => {
  const a = torch.randn(sa), b = torch.randn(sb);
  return [name, t ? a.t() : a, t ? b.t() : b];
});
torch.setNumThreads(1);
const serial = operands.map(([, a, b]) => a.matmul(b));
torch.setNumThreads(2);
// the pool starts in the background on the first product that wants it
operands[0][1].matmul(operands[0][2]).dispose();
const deadline = performance.now() + 30000;
while (torch.backendInfo().threads < 2 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 50));
const parallel = operands.map(([, a, b]) => a.matmul(b));
const report = operands.map(([name], i) => [name, serial[i].eq(parallel[i]).all().item()]);
console.log(JSON.stringify({ threads: torch.backendInfo().threads, report }));
