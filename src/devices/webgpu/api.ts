// torch.webgpu: bringing the device up and asking about it.
import { init, isReady, adapterName, flush, download, allocate, free, gpuMemory, preferCpuKernels, type InitOptions } from './runtime';

export { init, type InitOptions };

/** Whether a WebGPU adapter and device can be had here (initialises the device on first call). */
export async function isAvailable(options: InitOptions = {}): Promise<boolean> {
  return isReady() || init(options);
}

/** Resolves when the GPU has run every command recorded so far. */
export async function synchronize(): Promise<void> {
  if (!isReady()) return;
  flush();
  const p = allocate(4);
  try {
    await download(p, 4);
  } finally {
    free(p);
  }
}

/** The adapter's vendor and architecture, as the implementation reports them. */
export const adapter = (): string => adapterName();

export const memory = gpuMemory;

/** @internal see runtime.preferCpuKernels */
export const _preferCpuKernels = preferCpuKernels;
