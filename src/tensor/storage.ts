// Reference-counted storage. A tensor and all of its views share one
// Storage; the bytes go back to the allocator when the last of them lets go.
import { wasm } from '../devices/wasm/module';

export class Storage {
  private refs = 1;
  /** Bumped by every in-place write; autograd compares it against what it saved. */
  version = 0;

  constructor(
    readonly ptr: number,
    readonly bytes: number,
  ) {}

  static allocate(bytes: number): Storage {
    return new Storage(wasm().allocator.alloc(bytes), bytes);
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
    if (--this.refs === 0) wasm().allocator.free(this.ptr);
  }
}
