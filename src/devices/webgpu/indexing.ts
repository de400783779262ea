// Indexed reads and writes on the webgpu device: gather, index_select,
// scatter_add and index_add, with atomics where indices may repeat.
import type { Strided } from '../wasm/backend';
import { collapse } from '../wasm/backend';
import { numel } from '../../tensor/shape';
import { dispatch, pipeline, META_WORDS } from './runtime';
import { clsOf, computeType, load, store } from './wgsl';
import { FLAT_MAIN, bindings, groupsFor, header, operandOffsets, sameDevice, writeOperands } from './elementwise';

const metaBuf = new ArrayBuffer(META_WORDS * 4);
const metaU = new Uint32Array(metaBuf), metaI = new Int32Array(metaBuf);

/**
 * The indexed family: walks `shape` over (out, other, index) with their strides
 * (the indexed operand's stride along the dim already zeroed), and moves the
 * indexed operand by index[p] * dimStride. 'take' reads other into out;
 * 'add' adds other into out with atomics (indices may repeat).
 */
export function indexed(kind: 'take' | 'add', shape: readonly number[], out: Strided, other: Strided, index: Strided, dimStride: number): void {
  const n = numel(shape);
  if (n === 0) return;
  const ops = [out, other, index];
  sameDevice(ops);
  const [cs, cst] = collapse(shape, ops.map((o) => o.strides));
  if (cs.length > 8) throw new Error('torchlet: too many dimensions for webgpu indexing');
  metaU.fill(0);
  metaU[0] = n;
  metaU[1] = cs.length;
  writeOperands(metaI, cs, cst, ops);
  metaI[40] = dimStride;
  const { ids, names } = bindings(ops);
  const cls = clsOf(out.dtype);
  const t = computeType(out.dtype);
  if (kind === 'add' && cls === 'u8') throw new Error(`torchlet: index_add/scatter_add of ${out.dtype} tensors is not implemented on webgpu`);
  const atomicName = kind === 'add' || cls === 'u8' ? names[0] : undefined;
  const idx = load(clsOf(index.dtype), names[2], 'o2', names[2] === atomicName);
  let body: string;
  if (kind === 'take') {
    body = `let v = ${load(clsOf(other.dtype), names[1], 'o1 + ix * bitcast<i32>(M[40])', names[1] === atomicName)};
  ${store(cls, names[0], 'o0', 'v')}`;
  } else {
    const v = load(clsOf(other.dtype), names[1], 'o1', names[1] === atomicName);
    const word = cls === 'i64' ? 'u32(tgt) * 2u' : 'u32(tgt)';
    body = t === 'i32'
      ? `let tgt = o0 + ix * bitcast<i32>(M[40]); atomicAdd(&${names[0]}[${word}], bitcast<u32>(${v}));`
      : `let tgt = o0 + ix * bitcast<i32>(M[40]);
  let v = ${v};
  // no float atomics in WGSL: compare-and-swap until our sum lands
  var old = atomicLoad(&${names[0]}[u32(tgt)]);
  loop {
    let r = atomicCompareExchangeWeak(&${names[0]}[u32(tgt)], old, bitcast<u32>(bitcast<f32>(old) + v));
    if (r.exchanged) { break; }
    old = r.old_value;
  }`;
  }
  const pipe = pipeline(`indexed|${kind}|${out.dtype}|${other.dtype}|${index.dtype}|${names.join(',')}`, () => `${header(ids, atomicName)}
${FLAT_MAIN}
  ${operandOffsets(3, false)}
  let ix = ${idx};
  ${body}
}`);
  dispatch(pipe, metaU, ids, groupsFor(n));
}
