// The relaxed-SIMD add-on: the float GEMM compiled with f32x4/f64x2.relaxed_madd
// (one fused multiply-add per step). It is instantiated on the same memory as
// the main kernels and replaces their float GEMM where the runtime supports it.
export { gemm_f32, gemm_f64, gemm_ws_bytes } from './matmul';
