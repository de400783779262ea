// The demo network trained for a few steps on WebGPU follows wasm's loss
// curve from the same seed and reaches the same held-out accuracy.
import { describe, it, expect } from 'vitest';
import { runChild, warnSkipped } from './child';

interface Run {
  losses: number[];
  accuracy: number;
  msPerStep: number;
}
interface Outcome {
  available: boolean;
  adapter: string;
  wasm: Run;
  webgpu: Run | null;
}

const STEPS = 12;
const outcome = await runChild<Outcome>('tests/devices/train_child.mjs', [String(STEPS)]);
if (!outcome.available) warnSkipped('WEBGPU TRAINING TEST', outcome.adapter);

describe.skipIf(!outcome.available)(`training the demo network on webgpu (${outcome.adapter})`, () => {
  it('follows the wasm loss curve step by step', () => {
    const gpu = outcome.webgpu!;
    expect(gpu.losses).toHaveLength(STEPS);
    gpu.losses.forEach((l, i) => expect(Math.abs(l - outcome.wasm.losses[i])).toBeLessThan(2e-3 * Math.max(1, outcome.wasm.losses[i])));
    // and the run learned something: the loss fell
    expect(gpu.losses[STEPS - 1]).toBeLessThan(gpu.losses[0] * 0.7);
  });

  it('reaches the same held-out accuracy', () => {
    expect(Math.abs(outcome.webgpu!.accuracy - outcome.wasm.accuracy)).toBeLessThanOrEqual(0.005);
    console.log(`webgpu ${outcome.webgpu!.msPerStep.toFixed(0)} ms/step, wasm ${outcome.wasm.msPerStep.toFixed(0)} ms/step; accuracy after ${STEPS} steps: webgpu ${(100 * outcome.webgpu!.accuracy).toFixed(1)}%, wasm ${(100 * outcome.wasm.accuracy).toFixed(1)}%`);
  });
});
