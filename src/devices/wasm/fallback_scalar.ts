// The build without SIMD, as a separate chunk: only engines without SIMD load it.
export { default } from '../../../dist/wasm/torchlet.scalar.wasm';
