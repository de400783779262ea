// Softmax and log-softmax over the middle dim of a contiguous [outer, n, inner]
// block: the row maximum (the reductions' foldRun), exponentials and their sum
// in registers, then one pass writing the result.
import { Reduce, Softmax } from './codes';
import { isF32 } from './common';
import { vexp, expNeg4 } from './vmath';
import { foldRun } from './fold';

@inline function expT<T>(x: T): T {
  if (isF32<T>()) return <T>Mathf.exp(<f32>x);
  return <T>Math.exp(<f64>x);
}

@inline function logT<T>(x: T): T {
  if (isF32<T>()) return <T>Mathf.log(<f32>x);
  return <T>Math.log(<f64>x);
}

/**
 * Softmax / log-softmax over the middle dim of a contiguous [outer, n, inner]
 * block: max-shifted, so large logits cannot overflow.
 */
/** One contiguous float32 row: max, exp and sum on four lanes at a time. */
function softmaxRowF32(op: i32, n: i32, po: usize, px: usize): void {
  let i = 0;
  const m = foldRun<f32>(Reduce.max, px, n);
  const shift: f32 = m == -Infinity ? 0 : m;
  const vs = f32x4.splat(shift);
  let vsum = f32x4.splat(0);
  let tail: f32 = 0;
  i = 0;
  if (op == Softmax.softmax) {
    for (; i + 16 <= n; i += 16) {
      const q = px + (<usize>i << 2), d = po + (<usize>i << 2);
      vsum = f32x4.add(vsum, expNeg4(d, f32x4.sub(v128.load(q), vs), f32x4.sub(v128.load(q, 16), vs), f32x4.sub(v128.load(q, 32), vs), f32x4.sub(v128.load(q, 48), vs)));
    }
    for (; i + 4 <= n; i += 4) {
      const e = vexp(f32x4.sub(v128.load(px + (<usize>i << 2)), vs));
      v128.store(po + (<usize>i << 2), e);
      vsum = f32x4.add(vsum, e);
    }
    for (; i < n; i++) {
      const e = Mathf.exp(load<f32>(px + (<usize>i << 2)) - shift);
      store<f32>(po + (<usize>i << 2), e);
      tail += e;
    }
  } else {
    // the exponentials go through the output row as scratch: it is overwritten below
    for (; i + 16 <= n; i += 16) {
      const q = px + (<usize>i << 2), d = po + (<usize>i << 2);
      vsum = f32x4.add(vsum, expNeg4(d, f32x4.sub(v128.load(q), vs), f32x4.sub(v128.load(q, 16), vs), f32x4.sub(v128.load(q, 32), vs), f32x4.sub(v128.load(q, 48), vs)));
    }
    for (; i + 4 <= n; i += 4) vsum = f32x4.add(vsum, vexp(f32x4.sub(v128.load(px + (<usize>i << 2)), vs)));
    for (; i < n; i++) tail += Mathf.exp(load<f32>(px + (<usize>i << 2)) - shift);
  }
  const sum = (f32x4.extract_lane(vsum, 0) + f32x4.extract_lane(vsum, 1)) + (f32x4.extract_lane(vsum, 2) + f32x4.extract_lane(vsum, 3)) + tail;
  i = 0;
  if (op == Softmax.softmax) {
    const inv = f32x4.splat(<f32>1 / sum);
    for (; i + 4 <= n; i += 4) v128.store(po + (<usize>i << 2), f32x4.mul(v128.load(po + (<usize>i << 2)), inv));
    for (; i < n; i++) store<f32>(po + (<usize>i << 2), load<f32>(po + (<usize>i << 2)) * (<f32>1 / sum));
  } else {
    // (x - max) - log(sum), as PyTorch orders it: adding log(sum) to a large max first loses its low bits
    const logSum = Mathf.log(sum);
    const vl = f32x4.splat(logSum);
    for (; i + 4 <= n; i += 4) v128.store(po + (<usize>i << 2), f32x4.sub(f32x4.sub(v128.load(px + (<usize>i << 2)), vs), vl));
    for (; i < n; i++) store<f32>(po + (<usize>i << 2), (load<f32>(px + (<usize>i << 2)) - shift) - logSum);
  }
}

function softmaxWalk<T>(op: i32, outer: i32, n: i32, inner: i32, out: usize, x: usize): void {
  if (ASC_FEATURE_SIMD) {
    if (isF32<T>() && inner == 1) {
      for (let o = 0; o < outer; o++) softmaxRowF32(op, n, out + (<usize>(o * n) << 2), x + (<usize>(o * n) << 2));
      return;
    }
  }
  const s = <usize>inner * sizeof<T>();
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const px = x + (<usize>(o * n) * <usize>inner + <usize>j) * sizeof<T>();
      const po = out + (<usize>(o * n) * <usize>inner + <usize>j) * sizeof<T>();
      let m = <T>-Infinity;
      for (let i = 0; i < n; i++) m = max<T>(m, load<T>(px + <usize>i * s));
      // all -inf: PyTorch gives NaN for softmax; shifting by 0 reproduces that
      const shift = m == <T>-Infinity ? <T>0 : m;
      let sum = <T>0;
      if (op == Softmax.softmax) {
        for (let i = 0; i < n; i++) {
          const e = expT<T>(load<T>(px + <usize>i * s) - shift);
          store<T>(po + <usize>i * s, e);
          sum += e;
        }
        const inv = <T>1 / sum;
        for (let i = 0; i < n; i++) store<T>(po + <usize>i * s, load<T>(po + <usize>i * s) * inv);
      } else {
        for (let i = 0; i < n; i++) sum += expT<T>(load<T>(px + <usize>i * s) - shift);
        // (x - max) - log(sum), as PyTorch orders it: adding log(sum) to a large max first loses its low bits
        const logSum = logT<T>(sum);
        for (let i = 0; i < n; i++) store<T>(po + <usize>i * s, (load<T>(px + <usize>i * s) - shift) - logSum);
      }
    }
  }
}

export function softmax_f32(op: i32, outer: i32, n: i32, inner: i32, out: usize, x: usize): void { softmaxWalk<f32>(op, outer, n, inner, out, x); }
export function softmax_f64(op: i32, outer: i32, n: i32, inner: i32, out: usize, x: usize): void { softmaxWalk<f64>(op, outer, n, inner, out, x); }
