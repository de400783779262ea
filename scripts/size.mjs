// What each runtime loads at `import * as torch from 'torchlet'`, gzipped
// (level 9): the entry file, the chunks it imports statically, and the .wasm
// files it imports (workerd). Lazy chunks (the scalar fallback) count only for
// engines that load them. Fails when the default SIMD build exceeds the budget.
//   node scripts/size.mjs [--json]
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const ROOT = resolve(import.meta.dirname, '..');
const BUDGET_KB = 150;
const kb = (n) => +(n / 1024).toFixed(1);
const gz = (bytes) => gzipSync(bytes, { level: 9 }).length;

/** The files a module graph loads before any dynamic import: static `import ... from "./x"` edges. */
function loadedFiles(entry, seen = new Set()) {
  const stack = [entry];
  while (stack.length) {
    const file = stack.pop();
    if (seen.has(file)) continue;
    seen.add(file);
    if (!file.endsWith('.js')) continue;
    const src = readFileSync(file, 'utf8');
    for (const [, spec] of src.matchAll(/(?:^|[;\n}])\s*(?:import|export)\s[^'"()]*?from\s*["'](\.[^"']+)["']/g)) stack.push(join(dirname(file), spec));
  }
  return [...seen];
}

function measure(files) {
  const raw = files.reduce((s, f) => s + readFileSync(f).length, 0);
  return { files: files.map((f) => f.replace(`${ROOT}/`, '')), raw_kb: kb(raw), gz_kb: kb(files.reduce((s, f) => s + gz(readFileSync(f)), 0)) };
}

const dist = (f) => join(ROOT, 'dist', f);
const scalarChunk = readFileSync(dist('index.js'), 'utf8').match(/import\(["'](\.\/chunks\/fallback_scalar-[^"']+)["']\)/)?.[1];

// a browser app's bundle, as esbuild would make it (minified, split), of nothing but torchlet
const app = await build({
  stdin: { contents: "import * as torch from 'torchlet'; globalThis.torch = torch;", resolveDir: ROOT, loader: 'js' },
  bundle: true, splitting: true, format: 'esm', platform: 'browser', minify: true, write: false, outdir: '/out', logLevel: 'warning',
});
const appEntry = app.outputFiles.find((f) => f.path === '/out/stdin.js');
const appScalar = app.outputFiles.find((f) => f.path.includes('fallback_scalar'));

const rows = {
  'Node, Deno, Bun (dist/index.js, SIMD)': measure(loadedFiles(dist('index.js'))),
  'workerd (dist/workerd.js + its .wasm modules)': measure(loadedFiles(dist('workerd.js'))),
  'browser app bundled by esbuild, minified': { raw_kb: kb(appEntry.contents.length), gz_kb: kb(gz(appEntry.contents)) },
  'engines without SIMD (+ scalar chunk)': measure([...loadedFiles(dist('index.js')), join(dist(''), scalarChunk)]),
  'browser app without SIMD (+ scalar chunk)': { raw_kb: kb(appEntry.contents.length + appScalar.contents.length), gz_kb: kb(gz(appEntry.contents) + gz(appScalar.contents)) },
};

if (process.argv.includes('--json')) console.log(JSON.stringify(rows, null, 2));
else for (const [name, r] of Object.entries(rows)) console.log(`${String(r.gz_kb).padStart(7)} KB gz ${String(r.raw_kb).padStart(7)} KB  ${name}`);
const main = rows['Node, Deno, Bun (dist/index.js, SIMD)'].gz_kb;
if (main > BUDGET_KB) {
  console.error(`size: the default SIMD build loads ${main} KB gzipped, over the ${BUDGET_KB} KB budget`);
  process.exit(1);
}
console.log(`size: default SIMD build ${main} KB gz, within the ${BUDGET_KB} KB budget`);
