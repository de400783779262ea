// Bundles a module worker the way wrangler does and serves it with workerd on
// loopback. Like wrangler: esbuild with the conditions workerd, worker and
// browser; `.wasm` imports stay separate modules that workerd compiles ahead
// of the request (CompiledWasm), and `.safetensors` ones are Data modules
// (an ArrayBuffer), the rule examples/edge/wrangler.toml declares.
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { basename, join, resolve } from 'node:path';
import { build } from 'esbuild';

const MODULE_TYPES = { '.wasm': 'wasm', '.safetensors': 'data' };
const ROOT = resolve(import.meta.dirname, '../..');
export const WORKERD = join(ROOT, 'node_modules/.bin/workerd');

/** Bundles `entry` into `outdir`; returns the module list and the bytes each takes. */
export async function bundleWorker(entry, outdir) {
  mkdirSync(outdir, { recursive: true });
  const assets = new Map();
  await build({
    entryPoints: { worker: entry },
    outdir,
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['module', 'main'],
    minify: true,
    logLevel: 'warning',
    plugins: [
      {
        name: 'module-rules',
        setup(b) {
          b.onResolve({ filter: /\.(wasm|safetensors)$/ }, (a) => {
            const path = resolve(a.resolveDir, a.path);
            assets.set(basename(path), path);
            return { path: `./${basename(path)}`, external: true };
          });
        },
      },
    ],
  });
  const modules = [{ name: 'worker.js', type: 'esModule', path: join(outdir, 'worker.js') }];
  for (const [name, path] of assets) {
    copyFileSync(path, join(outdir, name));
    modules.push({ name, type: MODULE_TYPES[name.slice(name.lastIndexOf('.'))], path: join(outdir, name) });
  }
  return { modules, bytes: Object.fromEntries(modules.map((m) => [m.name, statSync(m.path).size])) };
}

async function freePort() {
  const server = createServer();
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  await new Promise((r) => server.close(r));
  return port;
}

/** Starts workerd on 127.0.0.1 serving the bundled modules; resolves once it answers. */
export async function serveWorker(outdir, modules) {
  const port = await freePort();
  const config = `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = .worker) ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "main") ],
);
const worker :Workerd.Worker = (
  modules = [ ${modules.map((m) => `(name = "${m.name}", ${m.type} = embed "${m.name}")`).join(', ')} ],
  compatibilityDate = "2025-09-01",
);
`;
  writeFileSync(join(outdir, 'config.capnp'), config);
  const child = spawn(WORKERD, ['serve', 'config.capnp'], { cwd: outdir, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  const url = `http://127.0.0.1:${port}`;
  const stop = () => new Promise((r) => (child.exitCode !== null ? r() : (child.once('exit', r), child.kill())));
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) break;
    const up = await new Promise((r) => {
      const socket = connect(port, '127.0.0.1', () => (socket.end(), r(true)));
      socket.on('error', () => r(false));
    });
    if (up) return { url, stop, log: () => log };
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error(`workerd did not start:\n${log}`);
}
