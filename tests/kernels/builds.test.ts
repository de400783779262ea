// Which kernel builds this engine runs. A build it cannot run is reported as
// skipped, with the reason, never silently passed.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ALL_BUILDS, GEMM_BUILDS, unsupported, bench } from './harness';

describe('kernel builds', () => {
  for (const build of ALL_BUILDS) {
    const why = unsupported(build);
    it.skipIf(why)(`${build}${why ? ` (skipped: ${why})` : ''} instantiates and exports the float GEMM`, () => {
      expect(GEMM_BUILDS).toContain(build);
      expect(typeof bench(build).fn('gemm_f32')).toBe('function');
    });
  }
});

/** [start, end) of each active data segment of a wasm binary (offsets given by i32.const). */
function dataSegments(bytes: Uint8Array): [number, number][] {
  let p = 8;
  const leb = (): number => {
    let v = 0, shift = 0, b: number;
    do {
      b = bytes[p++];
      v += (b & 0x7f) * 2 ** shift;
      shift += 7;
    } while (b & 0x80);
    return v;
  };
  const out: [number, number][] = [];
  while (p < bytes.length) {
    const id = bytes[p++], size = leb(), end = p + size;
    if (id === 11) {
      for (let count = leb(); count > 0; count--) {
        const flags = leb();
        if (flags === 1) {
          p += leb(); // passive: no address
          continue;
        }
        if (flags === 2) leb(); // memory index
        expect(bytes[p++]).toBe(0x41); // i32.const (unsigned LEB is enough for the small offsets asc emits)
        const start = leb();
        expect(bytes[p++]).toBe(0x0b);
        const len = leb();
        out.push([start, start + len]);
        p += len;
      }
    }
    p = end;
  }
  return out;
}

describe('static data of modules that share one memory', () => {
  it("the relaxed add-on's data sits above the main module's and below the heap (65536)", () => {
    const main = dataSegments(readFileSync('dist/wasm/torchlet.simd.wasm'));
    const addOn = dataSegments(readFileSync('dist/wasm/torchlet.relaxed.wasm'));
    expect(main.length).toBeGreaterThan(0);
    expect(addOn.length).toBeGreaterThan(0);
    const mainEnd = Math.max(...main.map(([, e]) => e));
    expect(Math.min(...addOn.map(([s]) => s))).toBeGreaterThanOrEqual(mainEnd);
    expect(Math.max(...addOn.map(([, e]) => e))).toBeLessThanOrEqual(65536);
  });
});
