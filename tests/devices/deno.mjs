// The device cases and the shared PyTorch conformance cases on Deno's built-in
// WebGPU (lavapipe, Debian's mesa-vulkan-drivers, where there is no GPU).
// Exits non-zero when a case fails or when Deno finds no adapter.
//   npm run test:deno-webgpu
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const bundle = 'dist/device-tests.mjs';
const cases = resolve(process.env.CONFORMANCE ?? '../shared/conformance/public.json');

function deno(script, ...args) {
  const r = spawnSync('deno', ['run', '--unstable-webgpu', '-A', script, bundle, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`deno ${script} exited with ${r.status ?? r.signal}:\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

let failures = 0;
const build = spawnSync(process.execPath, ['tests/devices/bundle.mjs', bundle], { stdio: 'inherit' });
if (build.status !== 0) process.exit(1);

const suite = deno('tests/devices/run_cases.mjs');
if (!suite.available) {
  console.error(`Deno found no WebGPU adapter (${suite.adapter}); install mesa-vulkan-drivers`);
  process.exit(1);
}
const bad = suite.results.filter((r) => !r.ok);
console.log(`deno webgpu (${suite.adapter}): ${suite.results.length - bad.length}/${suite.results.length} device cases agree with wasm`);
for (const r of bad) console.error(`  FAIL ${r.name}: ${r.error}`);
failures += bad.length;

if (existsSync(cases)) {
  const { results } = deno('tests/devices/conformance_child.mjs', cases);
  const count = (s) => results.filter((r) => r.status === s).length;
  console.log(`deno webgpu conformance: ${count('pass')} pass, ${count('fail')} fail, ${count('n/a')} need wasm`);
  for (const r of results.filter((x) => x.status === 'fail')) console.error(`  FAIL ${r.id}: ${r.why}`);
  failures += count('fail');
  if (count('pass') < 200) failures++;
} else {
  console.warn(`!! deno webgpu conformance skipped: no cases at ${cases} (set CONFORMANCE)`);
}
process.exit(failures ? 1 : 0);
