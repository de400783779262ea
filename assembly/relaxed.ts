// The relaxed-SIMD add-on: kernels compiled with f32x4/f64x2.relaxed_madd
// (one fused multiply-add per step), instantiated on the same memory as the
// main kernels where the runtime supports relaxed SIMD. Its float GEMM
// replaces theirs (same export names); unary16_f32 is extra, and TypeScript
// sends contiguous float32 exp, sigmoid, silu and tanh to it.
//
// Its static data (vmath's constant table) must not land on the main
// module's: asconfig.json gives this target its own memoryBase, above the
// main module's data and below the heap (tests/kernels/builds.test.ts checks).
import { Unary } from './codes';
import { exp4, sigmoid4, tanh4 } from './vmath';

export { gemm_f32, gemm_f64, gemm_ws_bytes } from './matmul';

@inline function run16(op: i32, out: usize, x: usize, n: i32): void {
  for (let i = 0; i < n; i += 16) {
    const p = x + (<usize>i << 2), o = out + (<usize>i << 2);
    const a = v128.load(p), b = v128.load(p, 16), c = v128.load(p, 32), d = v128.load(p, 48);
    if (op == Unary.exp) exp4(o, a, b, c, d);
    else if (op == Unary.tanh) tanh4(o, a, b, c, d);
    else sigmoid4(o, a, b, c, d, op == Unary.silu);
  }
}

/**
 * out[i] = op(x[i]) for i < n over contiguous float32 (out may be x), n a
 * multiple of 16, op one of exp, sigmoid, silu, tanh (anything else: no-op).
 */
export function unary16_f32(op: i32, out: usize, x: usize, n: i32): void {
  if (op == Unary.exp) run16(Unary.exp, out, x, n);
  else if (op == Unary.sigmoid) run16(Unary.sigmoid, out, x, n);
  else if (op == Unary.silu) run16(Unary.silu, out, x, n);
  else if (op == Unary.tanh) run16(Unary.tanh, out, x, n);
}
