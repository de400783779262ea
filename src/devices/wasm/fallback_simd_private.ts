// The SIMD build on unshared memory, as a separate chunk: only engines that refuse shared memory load it.
export { default } from '../../../dist/wasm/torchlet.simd-private.wasm';
