// A browser page: bundled by esbuild or Vite as a user would, with no wasm configuration.
import * as torch from 'torchlet';
import { smoke } from './smoke.mjs';

// a forced fallback build (index.html) runs on unshared memory: no threads even when isolated
const variant = globalThis.TORCHLET_KERNELS;
window.smokeReport = smoke(torch, { threads: self.crossOriginIsolated === true && !variant, variant }).catch((e) => ({
  passed: 0,
  failed: 1,
  results: [{ name: 'load', ok: false, error: String(e?.stack ?? e) }],
}));
