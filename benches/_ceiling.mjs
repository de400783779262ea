// The arithmetic ceilings of one core for 128-bit wasm SIMD, measured in the
// bench process: what a float32 GEMM kernel could reach at best if it did
// nothing but its multiply-adds. Two probes, compiled from AssemblyScript
// here (asc is a dev dependency), each a loop of independent vector
// multiply-adds fed by loads from a small, L1-resident buffer, the shape of
// a GEMM micro-kernel's inner loop without its packing or its C traffic:
//   fused      f32x4.relaxed_madd (the relaxed build's kernel)
//   separate   f32x4.mul then f32x4.add (all the standard SIMD build has)
// Ten accumulators: more independent chains than FMA latency x FMA ports
// (4 x 2) keeps busy, yet with the four loaded vectors and a product they
// fit the 15 xmm registers V8 allocates (twelve spill and read lower).
// Each is fed its own product of two of the four vectors: with one shared
// multiplier, newer V8s (Node 24) compute each product once and the probe
// measures adds. Each probe reports its best of several runs in GFLOP/s.
import asc from 'assemblyscript/asc';

// the ten distinct pairs (i <= j) of four vectors
const PAIRS = [];
for (let i = 0; i < 4; i++) for (let j = i; j < 4; j++) PAIRS.push([i, j]);
const accs = PAIRS.map((_, i) => `c${i}`);
const probe = (name, step) => `
export function ${name}(n: i32, p: usize): f32 {
  ${accs.map((c) => `let ${c} = f32x4.splat(0);`).join(' ')}
  for (let i = 0; i < n; i++) {
    const q = p + (<usize>(i & 63) << 6);
    const v0 = v128.load(q), v1 = v128.load(q, 16), v2 = v128.load(q, 32), v3 = v128.load(q, 48);
    ${PAIRS.map(([a, b], i) => `c${i} = ${step(`c${i}`, `v${a}`, `v${b}`)};`).join('\n    ')}
  }
  let s = f32x4.splat(0);
  ${accs.map((c) => `s = f32x4.add(s, ${c});`).join(' ')}
  return f32x4.extract_lane(s, 0);
}`;

const SEPARATE = probe('separate', (c, x, y) => `f32x4.add(${c}, f32x4.mul(${x}, ${y}))`);
const FUSED = probe('fused', (c, x, y) => `f32x4.relaxed_madd(${x}, ${y}, ${c})`);
const FLOPS_PER_TRIP = PAIRS.length * 8;

async function compile(source, features) {
  const { error, binary, stderr } = await asc.compileString(source, { optimizeLevel: 3, runtime: 'stub', initialMemory: 1, enable: features });
  if (error) throw new Error(`ceiling probe: ${error.message}\n${stderr}`);
  return binary;
}

async function best(bytes, name) {
  const { instance } = await WebAssembly.instantiate(bytes, {});
  const f = instance.exports[name];
  // wasm starts in V8's baseline tier; the optimized code replaces it between calls, and newer
  // V8s (Node 24) install it from the event loop, so the warm-up yields to it now and then
  for (let i = 0; i < 40; i++) {
    f(2e5, 1024);
    if (i % 10 === 9) await new Promise((resolve) => setTimeout(resolve, 20));
  }
  let top = 0;
  for (let r = 0; r < 7; r++) {
    const trips = 1e7, t = performance.now();
    f(trips, 1024);
    top = Math.max(top, (trips * FLOPS_PER_TRIP) / (performance.now() - t) / 1e6);
  }
  return +top.toFixed(1);
}

/** { separate, fused } GFLOP/s of one core; fused is null where the engine has no relaxed SIMD. */
export async function ceilings() {
  const separate = await best(await compile(SEPARATE, ['simd']), 'separate');
  const fusedBytes = await compile(FUSED, ['simd', 'relaxed-simd']);
  const fused = WebAssembly.validate(fusedBytes) ? await best(fusedBytes, 'fused') : null;
  return { separate, fused };
}
