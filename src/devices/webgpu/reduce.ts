// Reductions on the webgpu device. One workgroup of 64 folds each output
// element: every invocation walks a strided share of the reduced elements,
// then the workgroup combines the partial results in shared memory. The
// entry points mirror devices/wasm/reductions.ts (which forwards here).
import { ArgReduce, Reduce, Scan, Softmax } from '../../../assembly/codes';
import { collapseGroup as collapseDims, type Strided } from '../wasm/backend';
import { numel } from '../../tensor/shape';
import { dispatch, pipeline, META_WORDS } from './runtime';
import { clsOf, computeType, load, store } from './wgsl';
import { FLAT_MAIN, bindings, elementOffset, groupsFor, header, sameDevice } from './elementwise';

const MAX_DIMS = 8;
const metaBuf = new ArrayBuffer(META_WORDS * 4);
const metaU = new Uint32Array(metaBuf), metaI = new Int32Array(metaBuf);

/** collapseGroup with the kernels' limit on dims. */
function collapseGroup(shape: readonly number[], strides: readonly number[]): [number[], number[]] {
  const r = collapseDims(shape, strides);
  if (r[0].length > MAX_DIMS) throw new Error('torchlet: too many dimensions for a webgpu reduction');
  return r;
}

/** WGSL statements adding the offset of linear index `i` over (shape at M[s0], strides at M[t0], n dims at M[nd]) to `o`. */
const walk = (i: string, o: string, nd: string, s0: number, t0: number): string => `{
    var rem = ${i};
    for (var d = i32(${nd}) - 1; d >= 0; d--) {
      let s = M[${s0}u + u32(d)];
      ${o} += i32(rem % s) * bitcast<i32>(M[${t0}u + u32(d)]);
      rem = rem / s;
    }
  }`;

/** The output element a workgroup works on, with more than 65535 groups folded into y. */
const GROUP_INDEX = 'let w = wid.x + wid.y * nw.x;';
const ENTRY = '@compute @workgroup_size(64)\nfn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32, @builtin(num_workgroups) nw: vec3<u32>)';

function fold(op: Reduce, t: 'f32' | 'i32'): { init: string; step: (acc: string, v: string) => string } {
  const f = t === 'f32';
  switch (op) {
    case Reduce.sum: return { init: f ? '0.0' : '0', step: (a, v) => `${a} + ${v}` };
    case Reduce.nanSum: return { init: f ? '0.0' : '0', step: (a, v) => (f ? `select(${a} + ${v}, ${a}, isnan_(${v}))` : `${a} + ${v}`) };
    case Reduce.prod: return { init: f ? '1.0' : '1', step: (a, v) => `${a} * ${v}` };
    case Reduce.max: return { init: f ? '-inf_()' : '(-2147483647 - 1)', step: (a, v) => (f ? `fmax_(${a}, ${v})` : `max(${a}, ${v})`) };
    case Reduce.min: return { init: f ? 'inf_()' : '2147483647', step: (a, v) => (f ? `fmin_(${a}, ${v})` : `min(${a}, ${v})`) };
  }
}

/** out (contiguous over the kept dims, x's dtype) = fold of x over `dims`. */
export function reduce(op: Reduce, out: Strided, x: Strided, dims: readonly number[]): void {
  const nOut = numel(out.shape);
  if (nOut === 0) return;
  sameDevice([out, x]);
  const keptD = x.shape.map((_, d) => d).filter((d) => !dims.includes(d));
  const redD = x.shape.map((_, d) => d).filter((d) => dims.includes(d));
  const [ks, kt] = collapseGroup(keptD.map((d) => x.shape[d]), keptD.map((d) => x.strides[d]));
  const [rs, rt] = collapseGroup(redD.map((d) => x.shape[d]), redD.map((d) => x.strides[d]));
  metaU.fill(0);
  metaU[0] = nOut;
  metaU[1] = numel(rs);
  metaU[2] = ks.length;
  metaU[3] = rs.length;
  metaI[4] = elementOffset(x);
  metaI[5] = elementOffset(out);
  ks.forEach((v, d) => { metaU[6 + d] = v; metaI[14 + d] = kt[d]; });
  rs.forEach((v, d) => { metaU[22 + d] = v; metaI[30 + d] = rt[d]; });
  const t = computeType(x.dtype);
  const { ids, names } = bindings([out, x]);
  const outCls = clsOf(out.dtype), xCls = clsOf(x.dtype);
  const atomicName = outCls === 'u8' ? names[0] : undefined;
  const { init, step } = fold(op, t);
  // many outputs: one invocation each, a plain loop (no barriers); few long ones: a workgroup each
  const perThread = nOut >= 256 || metaU[1] <= 256;
  if (perThread) {
    const pipe = pipeline(`reduce1|${op}|${x.dtype}|${out.dtype}|${names.join(',')}`, () => `${header(ids, atomicName)}
${FLAT_MAIN}
  let w = i;
  var base = bitcast<i32>(M[4]);
  ${walk('w', 'base', 'M[2]', 6, 14)}
  var acc = ${init};
  for (var r = 0u; r < M[1]; r++) {
    var o = base;
    ${walk('r', 'o', 'M[3]', 22, 30)}
    let v = ${load(xCls, names[1], 'o', names[1] === atomicName)};
    acc = ${step('acc', 'v')};
  }
  let oo = bitcast<i32>(M[5]) + i32(w);
  ${store(outCls, names[0], 'oo', 'acc')}
}`);
    dispatch(pipe, metaU, ids, groupsFor(nOut));
    return;
  }
  const pipe = pipeline(`reduce|${op}|${x.dtype}|${out.dtype}|${names.join(',')}`, () => `${header(ids, atomicName)}
var<workgroup> part: array<${t}, 64>;
${ENTRY} {
  ${GROUP_INDEX}
  let live = w < M[0];
  var base = bitcast<i32>(M[4]);
  ${walk('w', 'base', 'M[2]', 6, 14)}
  var acc = ${init};
  if (live) {
    for (var r = lid; r < M[1]; r += 64u) {
      var o = base;
      ${walk('r', 'o', 'M[3]', 22, 30)}
      let v = ${load(xCls, names[1], 'o', names[1] === atomicName)};
      acc = ${step('acc', 'v')};
    }
  }
  part[lid] = acc;
  workgroupBarrier();
  for (var k = 32u; k > 0u; k = k >> 1u) {
    if (lid < k) { part[lid] = ${step('part[lid]', 'part[lid + k]')}; }
    workgroupBarrier();
  }
  if (live && lid == 0u) {
    let oo = bitcast<i32>(M[5]) + i32(w);
    ${store(outCls, names[0], 'oo', 'part[0]')}
  }
}`);
  dispatch(pipe, metaU, ids, groupsFor(nOut, 1));
}

/** values/indices (contiguous over all dims but `dim`) of the max/min along `dim`; ties and NaN go to the first, as PyTorch's. */
export function argReduce(op: ArgReduce, values: Strided, indices: Strided, x: Strided, dim: number): void {
  const nOut = numel(values.shape);
  if (nOut === 0) return;
  sameDevice([values, indices, x]);
  const keptD = x.shape.map((_, d) => d).filter((d) => d !== dim);
  const [ks, kt] = collapseGroup(keptD.map((d) => x.shape[d]), keptD.map((d) => x.strides[d]));
  metaU.fill(0);
  metaU[0] = nOut;
  metaU[1] = x.shape.length ? x.shape[dim] : 1;
  metaU[2] = ks.length;
  metaI[3] = x.shape.length ? x.strides[dim] : 0;
  metaI[4] = elementOffset(x);
  metaI[5] = elementOffset(values);
  metaI[6] = elementOffset(indices);
  ks.forEach((v, d) => { metaU[7 + d] = v; metaI[15 + d] = kt[d]; });
  const t = computeType(x.dtype);
  const { ids, names } = bindings([values, indices, x]);
  const vCls = clsOf(values.dtype);
  const atomicName = vCls === 'u8' ? names[0] : undefined;
  const better = op === ArgReduce.max ? '>' : '<';
  const nanA = t === 'f32' ? 'isnan_(av)' : 'false', nanB = t === 'f32' ? 'isnan_(bv)' : 'false';
  const pipe = pipeline(`argreduce|${op}|${x.dtype}|${names.join(',')}`, () => `${header(ids, atomicName)}
var<workgroup> pv: array<${t}, 64>;
var<workgroup> pi: array<i32, 64>;
/** Whether (av, ai) beats (bv, bi): NaN first, then the better value, then the lower index. */
fn wins(av: ${t}, ai: i32, bv: ${t}, bi: i32) -> bool {
  if (bi < 0) { return ai >= 0; }
  if (ai < 0) { return false; }
  let an = ${nanA}; let bn = ${nanB};
  if (an || bn) { if (an && bn) { return ai < bi; } return an; }
  if (av ${better} bv) { return true; }
  if (av == bv) { return ai < bi; }
  return false;
}
${ENTRY} {
  ${GROUP_INDEX}
  let live = w < M[0];
  var base = bitcast<i32>(M[4]);
  ${walk('w', 'base', 'M[2]', 7, 15)}
  var bv = ${t === 'f32' ? '0.0' : '0'};
  var bi = -1;
  if (live) {
    for (var r = lid; r < M[1]; r += 64u) {
      let v = ${load(clsOf(x.dtype), names[2], 'base + i32(r) * bitcast<i32>(M[3])', names[2] === atomicName)};
      if (wins(v, i32(r), bv, bi)) { bv = v; bi = i32(r); }
    }
  }
  pv[lid] = bv;
  pi[lid] = bi;
  workgroupBarrier();
  for (var k = 32u; k > 0u; k = k >> 1u) {
    if (lid < k && wins(pv[lid + k], pi[lid + k], pv[lid], pi[lid])) { pv[lid] = pv[lid + k]; pi[lid] = pi[lid + k]; }
    workgroupBarrier();
  }
  if (live && lid == 0u) {
    let ov = bitcast<i32>(M[5]) + i32(w);
    let oi = bitcast<i32>(M[6]) + i32(w);
    ${store(vCls, names[0], 'ov', 'pv[0]')}
    ${store(clsOf(indices.dtype), names[1], 'oi', 'pi[0]')}
  }
}`);
  dispatch(pipe, metaU, ids, groupsFor(nOut, 1));
}

/** Running sum/prod/max/min along `dim`, one invocation per line. */
export function scan(op: Scan, out: Strided, x: Strided, dim: number): void {
  const n = numel(out.shape);
  if (n === 0) return;
  sameDevice([out, x]);
  const keptD = x.shape.map((_, d) => d).filter((d) => d !== dim);
  if (keptD.length > MAX_DIMS) throw new Error('torchlet: too many dimensions for a webgpu scan');
  metaU.fill(0);
  metaU[0] = numel(keptD.map((d) => x.shape[d]));
  metaU[1] = x.shape.length ? x.shape[dim] : 1;
  metaU[2] = keptD.length;
  metaI[3] = x.shape.length ? x.strides[dim] : 0;
  metaI[4] = x.shape.length ? out.strides[dim] : 0;
  metaI[5] = elementOffset(x);
  metaI[6] = elementOffset(out);
  keptD.forEach((d, i) => { metaU[7 + i] = x.shape[d]; metaI[15 + i] = x.strides[d]; metaI[23 + i] = out.strides[d]; });
  const t = computeType(x.dtype);
  const { ids, names } = bindings([out, x]);
  const cls = clsOf(x.dtype);
  const atomicName = cls === 'u8' ? names[0] : undefined;
  const f = t === 'f32';
  const step = [(a: string, v: string) => `${a} + ${v}`, (a: string, v: string) => `${a} * ${v}`,
    (a: string, v: string) => (f ? `fmax_(${a}, ${v})` : `max(${a}, ${v})`), (a: string, v: string) => (f ? `fmin_(${a}, ${v})` : `min(${a}, ${v})`)][op];
  const pipe = pipeline(`scan|${op}|${x.dtype}|${names.join(',')}`, () => `${header(ids, atomicName)}
${FLAT_MAIN}
  let line = i;
  var xo = bitcast<i32>(M[5]);
  var oo = bitcast<i32>(M[6]);
  ${walk('line', 'xo', 'M[2]', 7, 15)}
  ${walk('line', 'oo', 'M[2]', 7, 23)}
  var acc = ${load(cls, names[1], 'xo', names[1] === atomicName)};
  ${store(cls, names[0], 'oo', 'acc')}
  for (var j = 1u; j < M[1]; j++) {
    let v = ${load(cls, names[1], 'xo + i32(j) * bitcast<i32>(M[3])', names[1] === atomicName)};
    acc = ${step('acc', 'v')};
    ${store(cls, names[0], 'oo + i32(j) * bitcast<i32>(M[4])', 'acc')}
  }
}`);
  dispatch(pipe, metaU, ids, groupsFor(metaU[0]));
}

/** Softmax or log-softmax along `dim` of contiguous x into contiguous out; one workgroup per row. */
export function softmax(op: Softmax, out: Strided, x: Strided, dim: number): void {
  const n = numel(out.shape);
  if (n === 0) return;
  sameDevice([out, x]);
  const len = x.shape.length ? x.shape[dim] : 1;
  const inner = numel(x.shape.slice(dim + 1));
  metaU.fill(0);
  metaU[0] = n / len;
  metaU[1] = len;
  metaU[2] = inner;
  metaI[3] = elementOffset(x);
  metaI[4] = elementOffset(out);
  clsOf(x.dtype);
  const { ids, names } = bindings([out, x]);
  const at = (j: string): string => `rowBase + i32(${j}) * i32(M[2])`;
  const result = op === Softmax.softmax ? 'exp(v - mx) / total' : 'v - mx - log(total)';
  const pipe = pipeline(`softmax|${op}|${names.join(',')}`, () => `${header(ids)}
var<workgroup> part: array<f32, 64>;
${ENTRY} {
  ${GROUP_INDEX}
  let live = w < M[0];
  let inner = M[2];
  let row = i32((w / inner) * M[1] * inner + w % inner);
  let rowBase = row;
  var m = -inf_();
  if (live) { for (var j = lid; j < M[1]; j += 64u) { m = fmax_(m, ${load('f32', names[1], `bitcast<i32>(M[3]) + ${at('j')}`)}); } }
  part[lid] = m;
  workgroupBarrier();
  for (var k = 32u; k > 0u; k = k >> 1u) { if (lid < k) { part[lid] = fmax_(part[lid], part[lid + k]); } workgroupBarrier(); }
  let mx = part[0];
  workgroupBarrier();
  var s = 0.0;
  if (live) { for (var j = lid; j < M[1]; j += 64u) { s += exp(${load('f32', names[1], `bitcast<i32>(M[3]) + ${at('j')}`)} - mx); } }
  part[lid] = s;
  workgroupBarrier();
  for (var k = 32u; k > 0u; k = k >> 1u) { if (lid < k) { part[lid] = part[lid] + part[lid + k]; } workgroupBarrier(); }
  let total = part[0];
  if (live) {
    for (var j = lid; j < M[1]; j += 64u) {
      let v = ${load('f32', names[1], `bitcast<i32>(M[3]) + ${at('j')}`)};
      ${store('f32', names[0], `bitcast<i32>(M[4]) + ${at('j')}`, result)}
    }
  }
}`);
  dispatch(pipe, metaU, ids, groupsFor(metaU[0], 1));
}
