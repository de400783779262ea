// A browser page: bundled by esbuild or Vite as a user would, with no wasm configuration.
import * as torch from 'torchlet';
import { smoke } from './smoke.mjs';

window.smokeReport = smoke(torch, { threads: self.crossOriginIsolated === true }).catch((e) => ({
  passed: 0,
  failed: 1,
  results: [{ name: 'load', ok: false, error: String(e?.stack ?? e) }],
}));
