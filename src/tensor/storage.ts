// Reference-counted storage. A tensor and all of its views share one
// Storage; the bytes go back to their allocator when the last of them lets go.
// A webgpu storage's ptr is a GPU pointer (see devices/webgpu/runtime.ts).
import { wasm } from '../devices/wasm/module';
import * as gpu from '../devices/webgpu/runtime';

export type Device = 'wasm' | 'webgpu';

export class Storage {
  private refs = 1;
  /** Bumped by every in-place write; autograd compares it against what it saved. */
  version = 0;

  constructor(
    readonly ptr: number,
    readonly bytes: number,
  ) {}

  static allocate(bytes: number, device: Device = 'wasm'): Storage {
    if (device === 'wasm') return new Storage(wasm().allocator.alloc(bytes), bytes);
    return new Storage(gpu.allocate(bytes), bytes);
  }

  get device(): Device {
    return this.ptr >= gpu.GPU_BASE ? 'webgpu' : 'wasm';
  }

  get alive(): boolean {
    return this.refs > 0;
  }

  retain(): this {
    this.refs++;
    return this;
  }

  release(): void {
    if (this.refs <= 0) return;
    if (--this.refs === 0) {
      if (this.ptr >= gpu.GPU_BASE) gpu.free(this.ptr);
      else wasm().allocator.free(this.ptr);
    }
  }
}
