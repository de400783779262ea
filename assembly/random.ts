// Random number kernels: PyTorch's CPU generator (mt19937) and the
// distribution transforms of ATen, reproduced draw for draw so a seed gives
// the numbers PyTorch gives. The generator state is a GEN_BYTES buffer that
// TypeScript allocates; every kernel takes its address `g` first.
//
// Which draws each fill consumes is the contract with PyTorch:
//  * float32 values use one 32-bit draw, float64 values one 64-bit draw
//    (two 32-bit draws, the first one high); uniforms keep the LOW 24 / 53 bits.
//  * normal_ on >= 16 contiguous elements fills uniforms first, then turns
//    each block of 16 into normals (Box-Muller over u[j], u[j+8]); a ragged
//    tail redraws 16 fresh uniforms for the last 16 slots. Other normal_
//    calls go one value at a time in double, caching the second value.
import { beginRows, nextRow, rowPtr, geti, strideOf } from './common';
import { fmaf, fma, logCephes, sincosCephes, sinOut, cosOut } from './random_math';

const N = 624;
const M = 397;
const LEFT = 2496; // i32: draws left before the next twist (PyTorch's left_)
const NEXT = 2500; // i32: index of the next word
const DVALID = 2504; // i32: a cached double normal is waiting
const FVALID = 2508; // i32: a cached float normal is waiting (kept for get_state only)
const DNORMAL = 2512; // f64
const FNORMAL = 2520; // f32
export const GEN_BYTES: i32 = 2528;

const TWO_PI_F32: f32 = <f32>(2.0 * Math.PI);

/** PyTorch's mt19937(seed): the seed is truncated to its low 32 bits; caches are dropped. */
export function gen_seed(g: usize, seed: u32): void {
  let prev = seed;
  store<u32>(g, prev);
  for (let j: u32 = 1; j < <u32>N; j++) {
    prev = 1812433253 * (prev ^ (prev >> 30)) + j;
    store<u32>(g + (<usize>j << 2), prev);
  }
  store<i32>(g, 1, LEFT);
  store<i32>(g, 0, NEXT);
  store<i32>(g, 0, DVALID);
  store<i32>(g, 0, FVALID);
}

@inline function word(g: usize, i: i32): u32 {
  return load<u32>(g + (<usize>i << 2));
}

@inline function twist(g: usize, i: i32, i1: i32, im: i32): void {
  const y = (word(g, i) & 0x80000000) | (word(g, i1) & 0x7fffffff);
  store<u32>(g + (<usize>i << 2), word(g, im) ^ (y >> 1) ^ ((y & 1) != 0 ? 0x9908b0df : 0));
}

function regenerate(g: usize): void {
  let i = 0;
  for (; i < N - M; i++) twist(g, i, i + 1, i + M);
  for (; i < N - 1; i++) twist(g, i, i + 1, i + M - N);
  twist(g, N - 1, 0, M - 1);
}

// A fill keeps the draw position in these globals instead of the state
// buffer; open() loads it at kernel entry and close() writes it back.
let curGen: usize = 0;
let curLeft: i32 = 0;
let curNext: i32 = 0;

@inline function open(g: usize): void {
  curGen = g;
  curLeft = load<i32>(g, LEFT);
  curNext = load<i32>(g, NEXT);
}

@inline function close(): void {
  store<i32>(curGen, curLeft, LEFT);
  store<i32>(curGen, curNext, NEXT);
}

/** One 32-bit draw (PyTorch's random()) from the open generator. */
@inline function draw32(): u32 {
  if (--curLeft == 0) {
    regenerate(curGen);
    curLeft = N;
    curNext = 0;
  }
  let y = word(curGen, curNext++);
  y ^= y >> 11;
  y ^= (y << 7) & 0x9d2c5680;
  y ^= (y << 15) & 0xefc60000;
  return y ^ (y >> 18);
}

/** PyTorch's random64(): the first 32-bit draw is the high word. */
@inline function draw64(): u64 {
  const hi = <u64>draw32();
  return (hi << 32) | <u64>draw32();
}

/** One raw 32-bit draw, for TypeScript. */
export function gen_next32(g: usize): u32 {
  open(g);
  const v = draw32();
  close();
  return v;
}

@inline function uniform01f(): f32 {
  return <f32>(draw32() & 0xffffff) * <f32>(1.0 / 16777216.0);
}

@inline function uniform01d(): f64 {
  return <f64>(draw64() & 0x1fffffffffffff) * (1.0 / 9007199254740992.0);
}

// ---- strided fills (one operand, walked in the order TypeScript laid out) ----

@inline function rowStride(meta: usize, nd: i32): i32 {
  return strideOf(meta, nd, 0, nd - 1);
}

/** out = from + u * (to - from), u uniform in [0, 1); the multiply-add is fused as in PyTorch. */
export function uniform_f32(g: usize, nd: i32, meta: usize, out: usize, from: f64, to: f64): void {
  open(g);
  const lo = <f32>from;
  const span = <f32>to - lo;
  const rows = beginRows(meta, nd, 1, out, 0, 0, 0);
  const n = geti(meta, nd - 1), s = rowStride(meta, nd);
  for (let r = 0; r < rows; r++) {
    const p = rowPtr(meta, nd, 1, 0);
    for (let i = 0; i < n; i++) store<f32>(p + <usize>(i * s), fmaf(uniform01f(), span, lo));
    nextRow(meta, nd, 1);
  }
  close();
}

export function uniform_f64(g: usize, nd: i32, meta: usize, out: usize, from: f64, to: f64): void {
  open(g);
  const span = to - from;
  const rows = beginRows(meta, nd, 1, out, 0, 0, 0);
  const n = geti(meta, nd - 1), s = rowStride(meta, nd);
  for (let r = 0; r < rows; r++) {
    const p = rowPtr(meta, nd, 1, 0);
    for (let i = 0; i < n; i++) store<f64>(p + <usize>(i * s), fma(uniform01d(), span, from));
    nextRow(meta, nd, 1);
  }
  close();
}

/** at::normal_distribution<double>: Box-Muller in double, the sine half cached on the generator. */
function normalScalar(g: usize, mean: f64, std: f64): f64 {
  if (load<i32>(g, DVALID) != 0) {
    store<i32>(g, 0, DVALID);
    return fma(load<f64>(g, DNORMAL), std, mean);
  }
  const u1 = uniform01d();
  const u2 = uniform01d();
  const r = Math.sqrt(-2.0 * Math.log(1.0 - u2));
  const theta = 2.0 * Math.PI * u1;
  store<f64>(g, r * Math.sin(theta), DNORMAL);
  store<i32>(g, 1, DVALID);
  return fma(r * Math.cos(theta), std, mean);
}

export function normal_f32(g: usize, nd: i32, meta: usize, out: usize, mean: f64, std: f64): void {
  open(g);
  const rows = beginRows(meta, nd, 1, out, 0, 0, 0);
  const n = geti(meta, nd - 1), s = rowStride(meta, nd);
  for (let r = 0; r < rows; r++) {
    const p = rowPtr(meta, nd, 1, 0);
    for (let i = 0; i < n; i++) store<f32>(p + <usize>(i * s), <f32>normalScalar(g, mean, std));
    nextRow(meta, nd, 1);
  }
  close();
}

export function normal_f64(g: usize, nd: i32, meta: usize, out: usize, mean: f64, std: f64): void {
  open(g);
  const rows = beginRows(meta, nd, 1, out, 0, 0, 0);
  const n = geti(meta, nd - 1), s = rowStride(meta, nd);
  for (let r = 0; r < rows; r++) {
    const p = rowPtr(meta, nd, 1, 0);
    for (let i = 0; i < n; i++) store<f64>(p + <usize>(i * s), normalScalar(g, mean, std));
    nextRow(meta, nd, 1);
  }
  close();
}

// ---- normal_fill: contiguous tensors of >= 16 elements ----------------------

/** PyTorch's normal_fill_16_AVX2: Cephes log/sincos in float, fused final scaling. */
function normal16f(p: usize, mean: f32, std: f32): void {
  for (let j = 0; j < 8; j++) {
    const a = p + (<usize>j << 2);
    const b = a + 32;
    const radius = Mathf.sqrt(<f32>-2.0 * logCephes(<f32>1.0 - load<f32>(a)));
    sincosCephes(TWO_PI_F32 * load<f32>(b));
    store<f32>(a, fmaf(radius * cosOut, std, mean));
    store<f32>(b, fmaf(radius * sinOut, std, mean));
  }
}

/** PyTorch's generic normal_fill_16 in double (libm log/cos/sin). */
function normal16d(p: usize, mean: f64, std: f64): void {
  for (let j = 0; j < 8; j++) {
    const a = p + (<usize>j << 3);
    const b = a + 64;
    const radius = Math.sqrt(-2.0 * Math.log(1.0 - load<f64>(a)));
    const theta = 2.0 * Math.PI * load<f64>(b);
    store<f64>(a, fma(radius * Math.cos(theta), std, mean));
    store<f64>(b, fma(radius * Math.sin(theta), std, mean));
  }
}

export function normal_fill_f32(g: usize, out: usize, n: i32, mean: f64, std: f64): void {
  open(g);
  for (let i = 0; i < n; i++) store<f32>(out + (<usize>i << 2), uniform01f());
  const m = <f32>mean, sd = <f32>std;
  let i = 0;
  for (; i + 16 <= n; i += 16) normal16f(out + (<usize>i << 2), m, sd);
  if (i < n) {
    const tail = out + (<usize>(n - 16) << 2);
    for (let k = 0; k < 16; k++) store<f32>(tail + (<usize>k << 2), uniform01f());
    normal16f(tail, m, sd);
  }
  close();
}

export function normal_fill_f64(g: usize, out: usize, n: i32, mean: f64, std: f64): void {
  open(g);
  for (let i = 0; i < n; i++) store<f64>(out + (<usize>i << 3), uniform01d());
  let i = 0;
  for (; i + 16 <= n; i += 16) normal16d(out + (<usize>i << 3), mean, std);
  if (i < n) {
    const tail = out + (<usize>(n - 16) << 3);
    for (let k = 0; k < 16; k++) store<f64>(tail + (<usize>k << 3), uniform01d());
    normal16d(tail, mean, std);
  }
  close();
}

// ---- integers ---------------------------------------------------------------

/**
 * random_(from, to) and its relatives: v = draw % range + base, stored as T.
 * `range` is unsigned; 0 stands for 2^64 (the full int64 range, no modulo).
 * 64-bit draws are used only where PyTorch uses them: int64/float/double
 * outputs with a range of at least 2^32, or the full range.
 */
@inline function randomWalk<T>(g: usize, nd: i32, meta: usize, out: usize, range: u64, base: i64): void {
  const wide = range == 0 || (range >= 0x100000000 && (sizeof<T>() == 8 || isFloat<T>()));
  const rows = beginRows(meta, nd, 1, out, 0, 0, 0);
  const n = geti(meta, nd - 1), s = rowStride(meta, nd);
  for (let r = 0; r < rows; r++) {
    const p = rowPtr(meta, nd, 1, 0);
    for (let i = 0; i < n; i++) {
      const draw: u64 = wide ? draw64() : <u64>draw32();
      const v: i64 = range == 0 ? <i64>draw : <i64>(draw % range + <u64>base);
      if (isBoolean<T>()) store<u8>(p + <usize>(i * s), v != 0 ? 1 : 0);
      else store<T>(p + <usize>(i * s), <T>v);
    }
    nextRow(meta, nd, 1);
  }
}

export function random_i64(g: usize, nd: i32, meta: usize, out: usize, range: u64, base: i64): void { open(g); randomWalk<i64>(g, nd, meta, out, range, base); close(); }
export function random_i32(g: usize, nd: i32, meta: usize, out: usize, range: u64, base: i64): void { open(g); randomWalk<i32>(g, nd, meta, out, range, base); close(); }
export function random_u8(g: usize, nd: i32, meta: usize, out: usize, range: u64, base: i64): void { open(g); randomWalk<u8>(g, nd, meta, out, range, base); close(); }
export function random_bool(g: usize, nd: i32, meta: usize, out: usize, range: u64, base: i64): void { open(g); randomWalk<bool>(g, nd, meta, out, range, base); close(); }
export function random_f32(g: usize, nd: i32, meta: usize, out: usize, range: u64, base: i64): void { open(g); randomWalk<f32>(g, nd, meta, out, range, base); close(); }
export function random_f64(g: usize, nd: i32, meta: usize, out: usize, range: u64, base: i64): void { open(g); randomWalk<f64>(g, nd, meta, out, range, base); close(); }

/** randperm: the identity, then swap i with i + draw % (n - i) for i < n - 1 (32-bit draws). */
export function randperm_i64(g: usize, out: usize, n: i32): void {
  open(g);
  for (let i = 0; i < n; i++) store<i64>(out + (<usize>i << 3), i);
  for (let i = 0; i < n - 1; i++) {
    const z = <i32>(draw32() % <u32>(n - i));
    const a = out + (<usize>i << 3), b = out + (<usize>(z + i) << 3);
    const t = load<i64>(a);
    store<i64>(a, load<i64>(b));
    store<i64>(b, t);
  }
  close();
}

// ---- bernoulli (0/1 written as u8; TypeScript casts to the tensor's dtype) ---

/** bernoulli_(p): a double uniform per element (64-bit draw), 1 when u < p. */
export function bernoulli_scalar(g: usize, nd: i32, meta: usize, out: usize, prob: f64): void {
  open(g);
  const rows = beginRows(meta, nd, 1, out, 0, 0, 0);
  const n = geti(meta, nd - 1), s = rowStride(meta, nd);
  for (let r = 0; r < rows; r++) {
    const p = rowPtr(meta, nd, 1, 0);
    for (let i = 0; i < n; i++) store<u8>(p + <usize>(i * s), uniform01d() < prob ? 1 : 0);
    nextRow(meta, nd, 1);
  }
  close();
}

/**
 * bernoulli_(p tensor): float32 probabilities compare a float uniform
 * (32-bit draw), float64 ones a double uniform (64-bit draw).
 * Returns the flat index of the first p outside [0, 1], or -1.
 */
@inline function bernoulliWalk<P>(g: usize, nd: i32, meta: usize, out: usize, prob: usize): i32 {
  const rows = beginRows(meta, nd, 2, out, prob, 0, 0);
  const n = geti(meta, nd - 1), so = strideOf(meta, nd, 0, nd - 1), sp = strideOf(meta, nd, 1, nd - 1);
  for (let r = 0; r < rows; r++) {
    const o = rowPtr(meta, nd, 2, 0), q = rowPtr(meta, nd, 2, 1);
    for (let i = 0; i < n; i++) {
      const pv = load<P>(q + <usize>(i * sp));
      if (!(pv >= 0 && pv <= 1)) return r * n + i;
      const u: P = sizeof<P>() == 4 ? <P>uniform01f() : <P>uniform01d();
      store<u8>(o + <usize>(i * so), u < pv ? 1 : 0);
    }
    nextRow(meta, nd, 2);
  }
  return -1;
}

export function bernoulli_f32(g: usize, nd: i32, meta: usize, out: usize, prob: usize): i32 { open(g); const r = bernoulliWalk<f32>(g, nd, meta, out, prob); close(); return r; }
export function bernoulli_f64(g: usize, nd: i32, meta: usize, out: usize, prob: usize): i32 { open(g); const r = bernoulliWalk<f64>(g, nd, meta, out, prob); close(); return r; }
