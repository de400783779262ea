// Bundles src/ twice:
//   dist/index.js    every runtime but workerd: the kernels inlined as bytes,
//                    the scalar fallback split into dist/chunks/
//   dist/workerd.js  workerd (the package's "workerd" export condition): the
//                    .wasm files stay separate and are imported statically, so
//                    workerd (or wrangler) hands them over precompiled
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';

const common = {
  entryPoints: ['src/index.ts'],
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  minifySyntax: true,
  minifyWhitespace: true,
  ignoreAnnotations: true,
  legalComments: 'none',
  logLevel: 'warning',
};

rmSync('dist/chunks', { recursive: true, force: true });
await build({ ...common, outdir: 'dist', splitting: true, chunkNames: 'chunks/[name]-[hash]', loader: { '.wasm': 'binary' } });

const workerdBuilds = fileURLToPath(new URL('../src/devices/wasm/builds_workerd.ts', import.meta.url));
await build({
  ...common,
  outfile: 'dist/workerd.js',
  plugins: [
    {
      name: 'workerd-kernels',
      setup(b) {
        b.onResolve({ filter: /^\.\/builds$/ }, () => ({ path: workerdBuilds }));
        b.onResolve({ filter: /\.wasm$/ }, (a) => ({ path: `./wasm/${basename(a.path)}`, external: true }));
      },
    },
  ],
});
