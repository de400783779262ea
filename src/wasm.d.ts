// esbuild inlines .wasm imports as bytes (loader "binary").
declare module '*.wasm' {
  const bytes: Uint8Array<ArrayBuffer>;
  export default bytes;
}
