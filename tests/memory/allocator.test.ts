// The JS-side allocator, model-checked with fast-check: random sequences of
// allocations and frees must hand out aligned, non-overlapping blocks that
// keep their contents, account for every byte (live + free = heap), reuse
// freed memory, and shrink back to nothing when everything is freed.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Allocator } from '../../src/devices/wasm/allocator';

const BASE = 65536;

type Cmd = { kind: 'alloc'; bytes: number } | { kind: 'free'; pick: number } | { kind: 'double-free'; pick: number };

const cmdArb: fc.Arbitrary<Cmd> = fc.oneof(
  { weight: 5, arbitrary: fc.oneof(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 900, max: 5000 }), fc.integer({ min: 60000, max: 300000 })).map((bytes) => ({ kind: 'alloc' as const, bytes })) },
  { weight: 4, arbitrary: fc.nat().map((pick) => ({ kind: 'free' as const, pick })) },
  { weight: 1, arbitrary: fc.nat().map((pick) => ({ kind: 'double-free' as const, pick })) },
);

interface Block {
  ptr: number;
  bytes: number;
  tag: number;
}

function fresh(): { memory: WebAssembly.Memory; a: Allocator } {
  const memory = new WebAssembly.Memory({ initial: 2 });
  return { memory, a: new Allocator(memory, BASE) };
}

/** Writes the block's tag into its first and last requested byte (when it has any). */
function stamp(memory: WebAssembly.Memory, b: Block): void {
  const u8 = new Uint8Array(memory.buffer);
  if (b.bytes > 0) {
    u8[b.ptr] = b.tag;
    u8[b.ptr + b.bytes - 1] = b.tag;
  }
}

function checkInvariants(memory: WebAssembly.Memory, a: Allocator, live: Block[]): void {
  const stats = a.stats();
  const sorted = [...live].sort((x, y) => x.ptr - y.ptr);
  let liveBytes = 0;
  for (let i = 0; i < sorted.length; i++) {
    const b = sorted[i];
    const size = a.sizeOf(b.ptr);
    expect(b.ptr % 16, 'alignment').toBe(0);
    expect(b.ptr).toBeGreaterThanOrEqual(BASE);
    expect(size, 'block holds the request').toBeGreaterThanOrEqual(Math.max(b.bytes, 1));
    expect(b.ptr + size, 'inside the heap').toBeLessThanOrEqual(stats.heapEnd);
    if (i + 1 < sorted.length) expect(b.ptr + size, 'no overlap').toBeLessThanOrEqual(sorted[i + 1].ptr);
    liveBytes += size;
  }
  expect(stats.liveBytes).toBe(liveBytes);
  expect(stats.allocations).toBe(live.length);
  expect(stats.liveBytes + stats.freeBytes, 'every byte is live or free').toBe(stats.heapEnd - BASE);
  expect(stats.heapEnd).toBeLessThanOrEqual(memory.buffer.byteLength);
  const u8 = new Uint8Array(memory.buffer);
  for (const b of live) {
    if (b.bytes > 0) expect([u8[b.ptr], u8[b.ptr + b.bytes - 1]], 'contents survive').toEqual([b.tag, b.tag]);
  }
}

describe('Allocator', () => {
  it('random alloc/free sequences keep every invariant', () => {
    fc.assert(
      fc.property(fc.array(cmdArb, { minLength: 1, maxLength: 120 }), (cmds) => {
        const { memory, a } = fresh();
        const live: Block[] = [];
        const freed: number[] = [];
        let tag = 1;
        for (const c of cmds) {
          if (c.kind === 'alloc') {
            const b = { ptr: a.alloc(c.bytes), bytes: c.bytes, tag: (tag++ % 250) + 1 };
            expect(live.some((l) => l.ptr === b.ptr), 'a live block handed out twice').toBe(false);
            stamp(memory, b);
            live.push(b);
          } else if (c.kind === 'free' && live.length) {
            const [b] = live.splice(c.pick % live.length, 1);
            a.free(b.ptr);
            freed.push(b.ptr);
          } else if (c.kind === 'double-free' && freed.length) {
            const ptr = freed[c.pick % freed.length];
            if (!live.some((l) => l.ptr === ptr)) a.free(ptr); // freeing a freed block is a no-op
          }
          checkInvariants(memory, a, live);
        }
        for (const b of live.splice(0)) a.free(b.ptr);
        expect(a.stats()).toMatchObject({ liveBytes: 0, freeBytes: 0, heapEnd: BASE, allocations: 0 });
      }),
      { numRuns: 300 },
    );
  });

  it('reuses freed blocks: a repeated pattern stops growing memory and the heap', () => {
    const { memory, a } = fresh();
    const pattern = [16, 48, 1000, 4096, 70000, 33, 250000];
    const once = () => {
      const ptrs = pattern.map((n) => a.alloc(n));
      ptrs.forEach((p, i) => i % 2 && a.free(p)); // holes between live blocks
      const more = pattern.map((n) => a.alloc(n));
      ptrs.forEach((p, i) => i % 2 || a.free(p));
      more.forEach((p) => a.free(p));
    };
    once();
    const bytes = memory.buffer.byteLength;
    const peak = a.stats().peakBytes;
    for (let i = 0; i < 500; i++) once();
    expect(memory.buffer.byteLength).toBe(bytes);
    expect(a.stats().peakBytes).toBe(peak);
    expect(a.stats()).toMatchObject({ liveBytes: 0, heapEnd: BASE });
  });

  it('coalesces neighbours so a big request fits where small blocks were', () => {
    const { a } = fresh();
    const keep = a.alloc(16);
    const small = Array.from({ length: 32 }, () => a.alloc(1024));
    const fence = a.alloc(16); // keeps the freed run from simply lowering the heap end
    const end = a.stats().heapEnd;
    small.forEach((p, i) => i % 2 === 0 && a.free(p));
    small.forEach((p, i) => i % 2 === 1 && a.free(p));
    const big = a.alloc(32 * 1024);
    expect(big).toBe(small[0]);
    expect(a.stats().heapEnd).toBe(end);
    [keep, fence, big].forEach((p) => a.free(p));
    expect(a.stats().heapEnd).toBe(BASE);
  });

  it('refuses invalid sizes and reports running out of memory as a RangeError', () => {
    const memory = new WebAssembly.Memory({ initial: 2, maximum: 4 });
    const a = new Allocator(memory, BASE, 4 * 65536);
    expect(() => a.alloc(-1)).toThrow(RangeError);
    expect(() => a.alloc(NaN)).toThrow(RangeError);
    expect(() => a.alloc(Infinity)).toThrow(RangeError);
    const p = a.alloc(65536);
    expect(() => a.alloc(3 * 65536)).toThrow(/out of memory/);
    expect(a.stats().liveBytes).toBe(65536); // the failed request left nothing behind
    a.free(p);
  });
});
