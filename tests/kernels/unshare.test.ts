// The simd-private build ships as a byte rewrite of the simd build's memory
// import (src/devices/wasm/unshare.ts); it must equal what asc builds.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { unshareMemory } from '../../src/devices/wasm/unshare';

describe('unshareMemory', () => {
  it('turns the simd build into the asc-built simd-private build, byte for byte', () => {
    const simd = readFileSync('dist/wasm/torchlet.simd.wasm');
    const built = readFileSync('dist/wasm/torchlet.simd-private.wasm');
    const derived = unshareMemory(new Uint8Array(simd));
    expect(derived.length).toBe(built.length);
    expect(Buffer.from(derived).equals(built)).toBe(true);
  });

  it('leaves a module that already imports unshared memory as it is', () => {
    const built = new Uint8Array(readFileSync('dist/wasm/torchlet.simd-private.wasm'));
    expect(Buffer.from(unshareMemory(built)).equals(built)).toBe(true);
  });

});
