// The simd-private build differs from the simd build only in its memory
// import: `(import "env" "memory" (memory 2 65536 shared))` becomes
// `(memory 2)`. Rewriting those few bytes at load time spares shipping a
// second 190 KB module (tests/runtimes/unshare.test.ts checks the result is
// byte-identical to what asc builds for the simd-private target).

/** Reads an unsigned LEB128 at `pos`; returns [value, bytes read]. */
function leb(bytes: Uint8Array, pos: number): [number, number] {
  let value = 0, shift = 0, n = 0, b: number;
  do {
    b = bytes[pos + n++];
    value += (b & 0x7f) * 2 ** shift;
    shift += 7;
  } while (b & 0x80);
  return [value, n];
}

function encodeLeb(value: number): number[] {
  const out: number[] = [];
  do {
    let b = value % 128;
    value = Math.floor(value / 128);
    if (value) b |= 0x80;
    out.push(b);
  } while (value);
  return out;
}

/** The same module importing an unshared memory with no declared maximum. */
export function unshareMemory(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  let pos = 8; // magic and version
  while (pos < bytes.length) {
    const id = bytes[pos];
    const [size, sizeLen] = leb(bytes, pos + 1);
    const body = pos + 1 + sizeLen;
    if (id === 2) return rewriteImports(bytes, pos, body, body + size);
    pos = body + size;
  }
  throw new Error('torchlet: kernel module has no import section');
}

function rewriteImports(bytes: Uint8Array, start: number, body: number, end: number): Uint8Array<ArrayBuffer> {
  let [count, p] = leb(bytes, body);
  p += body;
  for (let i = 0; i < count; i++) {
    for (let name = 0; name < 2; name++) {
      const [len, n] = leb(bytes, p);
      p += n + len;
    }
    const kind = bytes[p++];
    if (kind === 2) {
      const flags = bytes[p];
      if (!(flags & 2)) return new Uint8Array(bytes); // already unshared
      const [initial, n] = leb(bytes, p + 1);
      let limitsEnd = p + 1 + n;
      if (flags & 1) limitsEnd += leb(bytes, limitsEnd)[1];
      const limits = [0, ...encodeLeb(initial)];
      const newBody = [...bytes.subarray(body, p), ...limits, ...bytes.subarray(limitsEnd, end)];
      const out = new Uint8Array(bytes.length - (end - start) + 1 + encodeLeb(newBody.length).length + newBody.length);
      out.set(bytes.subarray(0, start));
      out.set([2, ...encodeLeb(newBody.length), ...newBody], start);
      out.set(bytes.subarray(end), start + 1 + encodeLeb(newBody.length).length + newBody.length);
      return out;
    }
    // skip the other import kinds' descriptors: func (type index), table, global
    if (kind === 0) p += leb(bytes, p)[1];
    else if (kind === 1) {
      const flags = bytes[p + 1];
      p += 2 + leb(bytes, p + 2)[1];
      if (flags & 1) p += leb(bytes, p)[1];
    } else if (kind === 3) p += 2;
    else throw new Error(`torchlet: unexpected import kind ${kind} in kernel module`);
  }
  throw new Error('torchlet: kernel module imports no memory');
}
