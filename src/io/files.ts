// File helpers for runtimes with a file system (Node, Deno, Bun). The
// module name is hidden from bundlers so browser builds never try to
// resolve it; calling these in a browser fails with a clear error.
import { save, load, type StateDict } from './safetensors';

interface Fs {
  readFile(path: string): Promise<Uint8Array>;
  writeFile(path: string, data: Uint8Array): Promise<void>;
}

async function fs(): Promise<Fs> {
  const name = 'node:fs/promises';
  try {
    return (await import(/* @vite-ignore */ name)) as Fs;
  } catch {
    throw new Error('torch.saveFile/loadFile need a file system (Node, Deno or Bun); use torch.save/torch.load with bytes instead');
  }
}

export async function saveFile(path: string, tensors: StateDict, metadata?: Record<string, string>): Promise<void> {
  await (await fs()).writeFile(path, save(tensors, metadata));
}

export async function loadFile(path: string): Promise<StateDict> {
  return load(await (await fs()).readFile(path));
}
