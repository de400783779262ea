// Matrix products on the webgpu device.
//
// gemm: 64x64 tiles of C per workgroup of 256 invocations, each computing
// a 4x4 block; A and B stream through workgroup memory 16 columns/rows at a
// time, so each element loaded from a buffer is used 64 times. Any element
// strides (a transposed operand needs no copy); grid z walks the batch.
// On CPU implementations of WebGPU (SwiftShader, lavapipe) barriers are
// expensive and caches do the tiling: there each invocation reads A and B
// directly, with no workgroup memory.
import type { Strided } from '../wasm/backend';
import { dispatch, pipeline, onCpu, META_WORDS } from './runtime';
import { clsOf, computeType, load, store } from './wgsl';
import { bindings, elementOffset, header, sameDevice } from './elementwise';

const metaBuf = new ArrayBuffer(META_WORDS * 4);
const metaU = new Uint32Array(metaBuf), metaI = new Int32Array(metaBuf);

const TILE = 64, KT = 16;
const R4 = [0, 1, 2, 3];

/**
 * The main loop with the 4x4 accumulators as 16 named variables and every
 * inner loop written out: arrays indexed by loop counters end up in memory
 * on some implementations (SwiftShader among them), named values stay in registers.
 */
function unrolled(t: string, zero: string, cls: ReturnType<typeof clsOf>, names: string[], direct: boolean): string {
  const accs = R4.flatMap((i) => R4.map((j) => `var c${i}${j} = ${zero};`)).join(' ');
  const fma = R4.flatMap((i) => R4.map((j) => `c${i}${j} += a${i} * b${j};`)).join(' ');
  const regs = R4.map((i) => `let a${i} = As[kk][lid.y * 4u + ${i}u]; let b${i} = Bs[kk][lid.x * 4u + ${i}u];`).join(' ');
  const writes = R4.flatMap((i) => R4.map((j) => `put(row0 + lid.y * 4u + ${i}u, col0 + lid.x * 4u + ${j}u, c${i}${j});`)).join('\n  ');
  if (direct) {
    const rows = R4.map((i) => `let r${i} = min(row0 + lid.y * 4u + ${i}u, Mr - 1u); let q${i} = min(col0 + lid.x * 4u + ${i}u, Nc - 1u);`).join(' ');
    const loads = R4.map((i) => `let a${i} = ${load(cls, names[1], `aBase + i32(r${i}) * s(4) + i32(k) * s(5)`)}; let b${i} = ${load(cls, names[2], `bBase + i32(k) * s(7) + i32(q${i}) * s(8)`)};`).join('\n      ');
    // (rows and columns past the edge are clamped for the reads; put() skips their results)
    return `${accs}
  ${rows}
  for (var k = 0u; k < Kd; k++) {
      ${loads}
      ${fma}
  }
  ${writes}`;
  }
  return `${accs}
  for (var k0 = 0u; k0 < Kd; k0 += ${KT}u) {
    // 256 invocations load the 64x16 slice of A and the 16x64 slice of B, 4 elements each
    for (var q = 0u; q < 4u; q++) {
      let e = tid + q * 256u;
      let r = e / ${KT}u; let kk = e % ${KT}u;
      let gr = row0 + r; let gk = k0 + kk;
      var av = ${zero};
      if (gr < Mr && gk < Kd) { av = ${load(cls, names[1], 'aBase + i32(gr) * s(4) + i32(gk) * s(5)')}; }
      As[kk][r] = av;
      let kb = e / ${TILE}u; let c = e % ${TILE}u;
      let gkb = k0 + kb; let gc = col0 + c;
      var bv = ${zero};
      if (gkb < Kd && gc < Nc) { bv = ${load(cls, names[2], 'bBase + i32(gkb) * s(7) + i32(gc) * s(8)')}; }
      Bs[kb][c] = bv;
    }
    workgroupBarrier();
    for (var kk = 0u; kk < ${KT}u; kk++) {
      ${regs}
      ${fma}
    }
    workgroupBarrier();
  }
  ${writes}`;
}

/** out[b] = a[b] @ b[b] (or += when accumulate). Shapes: a [B,M,K], b [B,K,N], out [B,M,N]. */
export function gemm(out: Strided, a: Strided, b: Strided, accumulate = false): void {
  const [B, M, K] = a.shape;
  const N = b.shape[2];
  if (B === 0 || M === 0 || N === 0) return;
  sameDevice([out, a, b]);
  if (B > 65535) throw new Error('torchlet: webgpu products take at most 65535 matrices at once');
  metaU.fill(0);
  metaU[0] = M; metaU[1] = N; metaU[2] = K;
  [a, b, out].forEach((v, j) => {
    for (let d = 0; d < 3; d++) metaI[3 + j * 3 + d] = v.strides[d];
    metaI[12 + j] = elementOffset(v);
  });
  metaU[15] = accumulate ? 1 : 0;
  const t = computeType(out.dtype);
  const { ids, names } = bindings([out, a, b]);
  const cls = clsOf(out.dtype);
  if (cls === 'u8') throw new Error('torchlet: webgpu products of bool or uint8 tensors are not implemented');
  const zero = t === 'f32' ? '0.0' : '0';
  const direct = onCpu();
  const pipe = pipeline(`gemm|${out.dtype}|${names.join(',')}|${direct}`, () => `${header(ids)}
${direct ? '' : `var<workgroup> As: array<array<${t}, ${TILE}>, ${KT}>;\nvar<workgroup> Bs: array<array<${t}, ${TILE}>, ${KT}>;`}
fn s(i: u32) -> i32 { return bitcast<i32>(M[i]); }
fn put(r: u32, c: u32, acc: ${t}) {
  if (r >= M[0] || c >= M[1]) { return; }
  let o = cBaseG + i32(r) * s(10) + i32(c) * s(11);
  var v = acc;
  if (M[15] == 1u) { v += ${load(cls, names[0], 'o')}; }
  ${store(cls, names[0], 'o', 'v')}
}
var<private> cBaseG: i32;
@compute @workgroup_size(16, 16)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let Mr = M[0]; let Nc = M[1]; let Kd = M[2];
  let bat = i32(wid.z);
  let aBase = s(12) + bat * s(3);
  let bBase = s(13) + bat * s(6);
  cBaseG = s(14) + bat * s(9);
  let row0 = wid.y * ${TILE}u; let col0 = wid.x * ${TILE}u;
  let tid = lid.y * 16u + lid.x;
  ${unrolled(t, zero, cls, names, direct)}
}`);
  dispatch(pipe, metaU, ids, [Math.ceil(N / TILE), Math.ceil(M / TILE), B]);
}
