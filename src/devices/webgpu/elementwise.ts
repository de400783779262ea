// Elementwise kernels on the webgpu device: one generated shader per
// (expression, dtypes, buffer aliasing), walking every operand through its
// own strides so broadcast and strided views need no copies. The entry
// points mirror devices/wasm/backend.ts, which forwards GPU operands here.
import { Unary, Binary, Compare } from '../../../assembly/codes';
import { type DType, itemSize } from '../../tensor/dtype';
import type { Strided } from '../wasm/backend';
import { collapse } from '../wasm/backend';
import { numel } from '../../tensor/shape';
import { GPU_BASE, bufferId, dispatch, pipeline, META_WORDS } from './runtime';
import { PRELUDE, clsOf, computeType, convert, load, store, unaryExpr, binaryExpr, compareExpr } from './wgsl';

const MAX_DIMS = 8;
const OPERAND = 12; // meta words before the first operand's offset
const P0_INT = 57, P1_INT = 58;

const metaBuf = new ArrayBuffer(META_WORDS * 4);
const metaU = new Uint32Array(metaBuf), metaI = new Int32Array(metaBuf), metaF = new Float32Array(metaBuf);

/** Throws PyTorch's message when an op mixes devices. */
export function sameDevice(ops: readonly Strided[]): void {
  const gpu = ops[0].ptr >= GPU_BASE;
  for (const o of ops) {
    if ((o.ptr >= GPU_BASE) !== gpu) throw new Error('Expected all tensors to be on the same device, but found at least two devices, webgpu and wasm!');
  }
}

/** The layout operandOffsets() reads: collapsed shape at [4..], operand j's offset and strides at [OPERAND + 9j..]. */
export function writeOperands(meta: Int32Array, shape: readonly number[], strides: readonly (readonly number[])[], ops: readonly Strided[]): void {
  for (let d = 0; d < shape.length; d++) meta[4 + d] = shape[d];
  ops.forEach((o, j) => {
    meta[OPERAND + j * 9] = elementOffset(o);
    for (let d = 0; d < shape.length; d++) meta[OPERAND + j * 9 + 1 + d] = strides[j][d];
  });
}

/** Element offset of a GPU pointer within its buffer. */
export const elementOffset = (o: Strided): number => (o.ptr % GPU_BASE) / itemSize(o.dtype);

/** Distinct buffer ids of the operands and, for each operand, its binding variable. */
export function bindings(ops: readonly Strided[]): { ids: number[]; names: string[] } {
  const ids: number[] = [];
  const names = ops.map((o) => {
    const id = bufferId(o.ptr);
    let k = ids.indexOf(id);
    if (k < 0) k = ids.push(id) - 1;
    return `B${k}`;
  });
  return { ids, names };
}

export function declare(ids: readonly number[], atomicName?: string): string {
  return ids.map((_, k) => `@group(0) @binding(${k + 1}) var<storage, read_write> B${k}: array<${`B${k}` === atomicName ? 'atomic<u32>' : 'u32'}>;`).join('\n');
}

export const META_DECL = '@group(0) @binding(0) var<storage, read> M: array<u32, 64>;';

/** Prelude, meta and buffer bindings of a shader. */
export const header = (ids: readonly number[], atomicName?: string): string => `${PRELUDE}\n${META_DECL}\n${declare(ids, atomicName)}`;

/** The entry point of a one-invocation-per-element shader: \`i\` counts up to M[0]. */
export const FLAT_MAIN = `@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nw: vec3<u32>) {
  let i = gid.x + gid.y * nw.x * 64u;
  if (i >= M[0]) { return; }`;

/**
 * Element offsets o0, o1, ... of element i for operands laid out as pointwise() writes
 * them (shape at M[4..], operand j's offset and strides from M[OPERAND + 9j]);
 * \`flat\` when everything collapsed to one dim.
 */
export function operandOffsets(count: number, flat: boolean): string {
  const at = (j: number): number => OPERAND + j * 9;
  if (flat) return Array.from({ length: count }, (_, j) => `let o${j} = bitcast<i32>(M[${at(j)}]) + i32(i) * bitcast<i32>(M[${at(j) + 1}]);`).join(' ');
  const offs = Array.from({ length: count }, (_, j) => `var o${j} = bitcast<i32>(M[${at(j)}]);`).join(' ');
  const steps = Array.from({ length: count }, (_, j) => `o${j} += c * bitcast<i32>(M[${at(j) + 1}u + u32(d)]);`).join(' ');
  // (integer division is slow on some GPUs: the flat case above avoids it)
  return `${offs}
  var rem = i;
  for (var d = i32(M[1]) - 1; d >= 0; d--) {
    let s = M[4u + u32(d)];
    let c = i32(rem % s);
    rem = rem / s;
    ${steps}
  }`;
}

/** Workgroups covering n invocations of 64, folded into two dims past the 65535 limit. */
export function groupsFor(n: number, size = 64): [number, number] {
  const g = Math.ceil(n / size);
  if (g <= 65535) return [Math.max(g, 1), 1];
  return [65535, Math.ceil(g / 65535)];
}

/**
 * out = expr(a0, a1, ...) over out's shape. `inputs[k]` is read as `names[k]`
 * in its compute type (converted to `argType` when given); `result` says
 * what type expr yields.
 */
function pointwise(key: string, out: Strided, inputs: readonly Strided[], args: readonly string[], expr: string, result: 'f32' | 'i32' | 'bool', argType: 'f32' | 'i32' | null, p0 = 0, p1 = 0): void {
  const n = numel(out.shape);
  if (n === 0) return;
  const ops = [out, ...inputs];
  sameDevice(ops);
  const [shape, strides] = collapse(out.shape, ops.map((o) => o.strides));
  if (shape.length > MAX_DIMS) throw new Error(`torchlet: too many dimensions for webgpu (${out.shape.length})`);
  const nd = shape.length;
  metaU.fill(0);
  metaU[0] = n;
  metaU[1] = nd;
  metaF[2] = p0;
  metaF[3] = p1;
  metaI[P0_INT] = Math.trunc(p0) | 0;
  metaI[P1_INT] = Math.trunc(p1) | 0;
  writeOperands(metaI, shape, strides, ops);
  const outCls = clsOf(out.dtype);
  const { ids, names } = bindings(ops);
  const atomicName = outCls === 'u8' ? names[0] : undefined;
  const cls = ops.map((o) => clsOf(o.dtype));
  // one collapsed dim (the dense case): no index decomposition, whose integer divisions are slow on some GPUs
  const flat = nd === 1;
  const fullKey = `ew|${key}|${ops.map((o) => o.dtype).join(',')}|${names.join(',')}|${result}|${argType}|${flat}`;
  const pipe = pipeline(fullKey, () => {
    const loads = inputs.map((o, k) => {
      const ct = computeType(o.dtype);
      let v = load(cls[k + 1], names[k + 1], `o${k + 1}`, names[k + 1] === atomicName);
      if (argType && argType !== ct) v = argType === 'f32' ? `f32(${v})` : `i32(${v})`;
      return `let ${args[k]} = ${v};`;
    }).join('\n  ');
    const pt = argType ?? computeType(out.dtype);
    const params = pt === 'f32' ? 'let p0 = bitcast<f32>(M[2]); let p1 = bitcast<f32>(M[3]);' : `let p0 = bitcast<i32>(M[${P0_INT}]); let p1 = bitcast<i32>(M[${P1_INT}]);`;
    return `${header(ids, atomicName)}
${FLAT_MAIN}
  ${operandOffsets(ops.length, flat)}
  ${params}
  _ = p0; _ = p1;
  ${loads}
  let r = ${expr};
  ${store(outCls, names[0], 'o0', convert('r', result, out.dtype))}
}`;
  });
  dispatch(pipe, metaU, ids, groupsFor(n));
}

const unsupported = (what: string, dtype: DType): Error => new Error(`torchlet: ${what} is not implemented on the webgpu device for ${dtype}`);

export function unary(op: Unary, out: Strided, x: Strided, p0 = 0, p1 = 0): void {
  const t = computeType(out.dtype);
  const expr = unaryExpr(op, t);
  if (expr === null) throw unsupported(`unary op ${Unary[op]}`, out.dtype);
  pointwise(`u${op}`, out, [x], ['x'], expr, t, t, p0, p1);
}

export function binary(op: Binary, out: Strided, a: Strided, b: Strided, p = 0): void {
  const t = computeType(out.dtype);
  const expr = binaryExpr(op, t);
  if (expr === null) throw unsupported(`binary op ${Binary[op]}`, out.dtype);
  pointwise(`b${op}`, out, [a, b], ['a', 'b'], expr, t, t, p);
}

export function compare(op: Compare, out: Strided, a: Strided, b: Strided): void {
  const t = computeType(a.dtype);
  pointwise(`c${op}`, out, [a, b], ['a', 'b'], compareExpr(op, t), 'bool', t);
}

export function where(out: Strided, cond: Strided, a: Strided, b: Strided): void {
  const t = computeType(out.dtype);
  pointwise('where', out, [cond, a, b], ['c', 'a', 'b'], 'select(b, a, c != 0)', t, null);
}

export function fill(out: Strided, value: number): void {
  const t = computeType(out.dtype);
  pointwise('fill', out, [], [], 'p0', t, t, value);
}

export function cast(out: Strided, x: Strided): void {
  pointwise('cast', out, [x], ['x'], 'x', computeType(x.dtype), null);
}
