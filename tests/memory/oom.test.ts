// When the WebAssembly memory cannot grow (past the 4 GiB limit, or because
// the host refuses), the call throws a RangeError naming the bytes it asked
// for, frees what it had made, and the library keeps working.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as torch from 'torchlet';
import { Allocator } from '../../src/devices/wasm/allocator';
import { warmUp } from './helpers';

const originalGrow = WebAssembly.Memory.prototype.grow;
/** Makes every WebAssembly memory refuse to grow, as a host out of memory does. */
const refuseGrowth = () => {
  WebAssembly.Memory.prototype.grow = () => {
    throw new RangeError('WebAssembly.Memory.grow(): Maximum memory size exceeded');
  };
};
afterEach(() => {
  WebAssembly.Memory.prototype.grow = originalGrow;
});

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a throw');
}

describe('out of memory', () => {
  beforeAll(warmUp);

  it('a tensor beyond the 4 GiB limit: RangeError naming the bytes, nothing allocated, smaller requests still work', () => {
    const before = torch.memory();
    const e = thrown(() => torch.empty([2 ** 31 - 1], { dtype: 'float64' }));
    expect(e).toBeInstanceOf(RangeError);
    expect(e.message).toMatch(/out of memory: cannot allocate 17179869176 bytes/);
    expect(e.message).not.toMatch(/unreachable|out of bounds/);
    const after = torch.memory();
    expect([after.liveBytes, after.liveTensors, after.wasmBytes]).toEqual([before.liveBytes, before.liveTensors, before.wasmBytes]);
    expect(torch.tidy(() => torch.ones(1000).sum().item())).toBe(1000);
  });

  it('an op whose output does not fit fails cleanly, and tidy frees what the body had made', () => {
    const before = torch.memory();
    const one = torch.ones([1]);
    // a view of 2^30 elements costs nothing; its float32 copy would need 4 GiB
    const e = thrown(() => torch.tidy(() => one.expand(2 ** 30).add(torch.ones(100).sum())));
    one.dispose();
    expect(e).toBeInstanceOf(RangeError);
    expect(e.message).toMatch(/cannot allocate 4294967296 bytes/);
    expect(torch.memory().liveBytes).toBe(before.liveBytes);
    expect(torch.memory().liveTensors).toBe(before.liveTensors);
    expect(torch.memory().wasmBytes).toBe(before.wasmBytes);
  });

  it('when the host refuses to grow the memory: RangeError naming the bytes, and the library keeps working', () => {
    const before = torch.memory();
    const big = Math.ceil((before.wasmBytes * 2) / 4); // float32 elements that cannot fit in the current memory
    refuseGrowth();
    const e = thrown(() => torch.tidy(() => torch.ones(big).mul(2)));
    expect(e).toBeInstanceOf(RangeError);
    expect(e.message).toContain(`cannot allocate ${big * 4} bytes`);
    expect(torch.memory().liveBytes).toBe(before.liveBytes);
    // what fits in the memory already there is still served
    expect(torch.tidy(() => torch.arange(100).sum().item())).toBe(4950);
    WebAssembly.Memory.prototype.grow = originalGrow;
    // and once the host lets it grow again, so is the large request
    expect(torch.tidy(() => torch.ones(big).sum().item())).toBe(big);
  });

  it('the allocator: a refused grow is a RangeError and leaves its books intact', () => {
    const memory = new WebAssembly.Memory({ initial: 2, maximum: 4 });
    const a = new Allocator(memory, 65536);
    const small = a.alloc(1000);
    expect(() => a.alloc(10 * 65536)).toThrow(RangeError);
    expect(() => a.alloc(10 * 65536)).toThrow(/cannot allocate 655360 bytes/);
    expect(a.stats().liveBytes).toBe(a.sizeOf(small));
    const more = a.alloc(65536); // within the maximum: the memory grows
    expect(memory.buffer.byteLength).toBeGreaterThan(2 * 65536);
    a.free(small);
    a.free(more);
    expect(a.stats().liveBytes).toBe(0);
  });
});
