// Measuring what a piece of code leaves behind in torchlet's memory.
import * as torch from 'torchlet';

export interface Delta {
  tensors: number;
  bytes: number;
}

/** Live tensors and bytes that fn leaves behind (fn must dispose everything it means to free). */
export function leftBehind(fn: () => void): Delta {
  const before = torch.memory();
  fn();
  const after = torch.memory();
  return { tensors: after.liveTensors - before.liveTensors, bytes: after.liveBytes - before.liveBytes };
}

/** Like leftBehind, for code that is expected to throw; returns the error too. */
export function leftBehindThrowing(fn: () => unknown): Delta & { error: unknown } {
  let error: unknown = null;
  const d = leftBehind(() => {
    try {
      fn();
    } catch (e) {
      error = e;
    }
  });
  return { ...d, error };
}

export const NOTHING: Delta = { tensors: 0, bytes: 0 };

/** The GEMM workspace is allocated once, on the first product: take it out of every measurement. */
export function warmUp(): void {
  torch.tidy(() => torch.ones([2, 2]).matmul(torch.ones([2, 2])));
}

/** Disposes every tensor in a (possibly nested) result. */
export function disposeAll(v: unknown): void {
  if (v instanceof torch.Tensor) v.dispose();
  else if (Array.isArray(v)) v.forEach(disposeAll);
  else if (v && typeof v === 'object') Object.values(v).forEach(disposeAll);
}
