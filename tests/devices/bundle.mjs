// Bundles src/ for the device scripts run outside vitest (Deno, browsers).
// usage: node tests/devices/bundle.mjs OUT.mjs
import { build } from 'esbuild';

await build({
  entryPoints: ['src/index.ts'], bundle: true, format: 'esm', platform: 'neutral', target: 'es2022',
  loader: { '.wasm': 'binary' }, outfile: process.argv[2], logLevel: 'error', ignoreAnnotations: true,
});
