// A free-list allocator over WebAssembly linear memory, owned by JS.
// Blocks are 16-byte aligned (one v128). Freed blocks are binned by size
// class and coalesced with free neighbours, so the steady state of a
// training loop (the same sizes every step) reuses memory instead of
// growing it. Bins: exact 16-byte classes up to 1 KiB, then 8 classes per
// power of two.

const ALIGN = 16;
const SMALL_LIMIT = 1024;
const SMALL_CLASSES = SMALL_LIMIT / ALIGN; // 64
const SUB_BINS = 8;
const PAGE = 65536;
/** A split leaves a remainder only when it is at least this big. */
const MIN_REMAINDER = 64;

function classOf(size: number): number {
  if (size <= SMALL_LIMIT) return size / ALIGN - 1;
  const log = 31 - Math.clz32(size);
  const sub = Math.floor((size - 2 ** log) / 2 ** (log - 3));
  return SMALL_CLASSES + (log - 10) * SUB_BINS + sub;
}

export interface HeapStats {
  liveBytes: number;
  peakBytes: number;
  freeBytes: number;
  heapEnd: number;
  allocations: number;
}

export class Allocator {
  private readonly bins: Set<number>[] = [];
  private readonly used = new Map<number, number>();
  private readonly freeAt = new Map<number, number>(); // start -> size
  private readonly freeEndingAt = new Map<number, number>(); // end -> start
  private top: number;
  private live = 0;
  /** Bytes of the library's own buffers (meta block, GEMM workspaces), left out of liveBytes. */
  private internal = 0;
  private peak = 0;
  private freeTotal = 0;
  /** memory.buffer.byteLength as last seen */
  private capacity = 0;

  constructor(
    private readonly memory: WebAssembly.Memory,
    private readonly base: number,
    private readonly maxBytes = 2 ** 32,
  ) {
    this.top = base;
  }

  alloc(bytes: number): number {
    if (!(bytes >= 0) || !Number.isFinite(bytes)) throw new RangeError(`torchlet: invalid allocation size ${bytes}`);
    const size = Math.max(ALIGN, Math.ceil(bytes / ALIGN) * ALIGN);
    const ptr = this.takeFree(size) ?? this.bump(size, bytes);
    this.live += this.used.get(ptr)!;
    if (this.live > this.peak) this.peak = this.live;
    return ptr;
  }

  free(ptr: number): void {
    const size = this.used.get(ptr);
    if (size === undefined) return; // freeing is idempotent
    this.used.delete(ptr);
    this.live -= size;
    let start = ptr;
    let end = ptr + size;
    const before = this.freeEndingAt.get(start);
    if (before !== undefined) {
      this.unlinkFree(before);
      start = before;
    }
    const afterSize = this.freeAt.get(end);
    if (afterSize !== undefined) {
      this.unlinkFree(end);
      end += afterSize;
    }
    if (end === this.top) this.top = start;
    else this.linkFree(start, end - start);
  }

  /** A buffer the library keeps for itself: it does not count as live tensor memory. */
  allocInternal(bytes: number): number {
    const ptr = this.alloc(bytes);
    this.internal += this.used.get(ptr)!;
    return ptr;
  }

  sizeOf(ptr: number): number {
    return this.used.get(ptr) ?? 0;
  }

  stats(): HeapStats {
    return { liveBytes: this.live - this.internal, peakBytes: this.peak, freeBytes: this.freeTotal, heapEnd: this.top, allocations: this.used.size };
  }

  private takeFree(size: number): number | null {
    let c = classOf(size);
    // first fit within the request's own class (its blocks may be smaller)
    for (const start of this.bins[c] ?? []) {
      if (this.freeAt.get(start)! >= size) return this.claim(start, size);
    }
    // any block in a higher class is big enough
    for (c++; c < this.bins.length; c++) {
      const bin = this.bins[c];
      if (bin && bin.size > 0) return this.claim(bin.values().next().value as number, size);
    }
    return null;
  }

  private claim(start: number, size: number): number {
    const blockSize = this.freeAt.get(start)!;
    this.unlinkFree(start);
    if (blockSize - size >= MIN_REMAINDER) {
      this.linkFree(start + size, blockSize - size);
      this.used.set(start, size);
    } else {
      this.used.set(start, blockSize);
    }
    return start;
  }

  private bump(size: number, requested: number): number {
    const start = this.top;
    const end = start + size;
    // the cached capacity saves reading memory.buffer (slow on shared memory) per allocation
    if (end > this.capacity && end > (this.capacity = this.memory.buffer.byteLength)) {
      this.grow(end, requested);
      this.capacity = this.memory.buffer.byteLength;
    }
    this.top = end;
    this.used.set(start, size);
    return start;
  }

  private grow(end: number, requested: number): void {
    const have = this.memory.buffer.byteLength;
    const fail = () =>
      new RangeError(
        `torchlet: out of memory: cannot allocate ${requested} bytes (WebAssembly memory is ${have} bytes and cannot grow to ${end})`,
      );
    if (end > this.maxBytes) throw fail();
    const need = Math.ceil((end - have) / PAGE);
    // grow with headroom so a run of allocations does not grow page by page
    const headroom = Math.max(need, Math.ceil(have / PAGE / 8), 16);
    const maxPages = Math.floor(this.maxBytes / PAGE) - have / PAGE;
    for (const pages of [Math.min(headroom, maxPages), need]) {
      try {
        this.memory.grow(pages);
        return;
      } catch {
        // fall through to the smaller request, then give up
      }
    }
    throw fail();
  }

  private linkFree(start: number, size: number): void {
    this.freeAt.set(start, size);
    this.freeEndingAt.set(start + size, start);
    const c = classOf(size);
    (this.bins[c] ??= new Set()).add(start);
    this.freeTotal += size;
  }

  private unlinkFree(start: number): void {
    const size = this.freeAt.get(start)!;
    this.freeAt.delete(start);
    this.freeEndingAt.delete(start + size);
    this.bins[classOf(size)].delete(start);
    this.freeTotal -= size;
  }
}
