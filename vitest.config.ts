import { defineConfig } from 'vitest/config';

// `TORCHLET_KERNELS=relaxed npm test` runs every suite on the relaxed-SIMD build;
// Node 20 has relaxed SIMD only behind a flag, which every test worker then needs
const relaxedFlag = process.env.TORCHLET_KERNELS === 'relaxed' && Number(process.versions.node.split('.')[0]) < 22;

export default defineConfig({
  test: { setupFiles: ['tests/helpers/fc_seed.ts'], ...(relaxedFlag ? { execArgv: ['--experimental-wasm-relaxed-simd'] } : {}) },
});
