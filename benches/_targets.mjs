// Issue 4's performance targets, one entry each, checked against the rows the
// families write (see _report.mjs for a row's shape). Times are wall-clock
// medians; ratios compare contenders timed interleaved in one process.
//
// A target names the rows it applies to, the number it measures and its goal;
// a row may carry several targets, and is met when all of them are.

const SQUARE = [256, 512, 1024, 2048];
/** torchlet's speedup over a peer: peer ms / torchlet ms. */
const over = (r, peer) => (r.peers[peer] ? r.peers[peer].median / r.torchlet.median : null);
const gflops = (r) => r.flops / r.torchlet.median / 1e6;
/** torchlet's time over the same-process reference's (contiguous operands, or one thread). */
const vsRef = (r) => (r.ref ? r.torchlet.median / r.ref.median : null);
const x = (v) => `${v.toFixed(2)}x`;

/** torchlet's square matmul on one thread in `build` at `limit` GFLOP/s or more. */
const squareGflops = (build, limit, text) => ({
  text, short: `>=${limit} GF/s`,
  applies: (r) => r.op === 'matmul' && SQUARE.includes(r.n) && r.build === build && r.threads === 1,
  measure: gflops, atLeast: limit, show: (v) => v.toFixed(1),
});
/** torchlet at least `times` as fast as TensorFlow.js wasm on the rows `applies` picks. */
const overTfjs = (times, text, applies) => ({ text, short: `>=${times}x TF.js`, applies, measure: (r) => over(r, 'tfjs-wasm'), atLeast: times, show: x });

export const TARGETS = [
  squareGflops('simd', 25, 'matmul float32 256-2048, standard SIMD, 1 thread: at least 85% of the standard-SIMD limit (25 GFLOP/s)'),
  overTfjs(1.5, 'matmul float32 1024, 1 thread: at least 1.5x TensorFlow.js wasm', (r) => r.op === 'matmul' && r.n === 1024 && r.threads === 1),
  squareGflops('relaxed', 35, 'matmul float32 256-2048, relaxed SIMD (relaxed_madd), 1 thread: at least 35 GFLOP/s'),
  {
    text: 'matmul float32 1024 on 2 threads: at least 1.8x the 1-thread time of the same build',
    short: '>=1.8x 1 thread',
    applies: (r) => r.op === 'matmul' && r.n === 1024 && r.threads === 2,
    measure: (r) => (r.ref ? r.ref.median / r.torchlet.median : null), atLeast: 1.8, show: x,
  },
  {
    text: 'transposed operands (a.t() @ b, a @ b.t()) at 1024: within 10% of the contiguous product',
    short: '<=1.1x contiguous',
    applies: (r) => (r.op === 'a.t() @ b' || r.op === 'a @ b.t()') && r.n === 1024,
    measure: vsRef, atMost: 1.1, show: x,
  },
  overTfjs(10, 'bmm [32,128,128] x [32,128,128]: at least 10x TensorFlow.js wasm', (r) => r.op === 'bmm' && r.size === '[32,128,128]x[32,128,128]' && r.threads === 1),
  {
    text: 'small bmm [32,10,20] x [32,20,30]: under 40 microseconds per call',
    short: '<40 us',
    applies: (r) => r.op === 'bmm' && r.size === '[32,10,20]x[32,20,30]' && r.threads === 1,
    measure: (r) => r.torchlet.median * 1000, below: 40, show: (v) => `${v.toFixed(1)} us`,
  },
  overTfjs(6, 'one training step of the demo network, batch 64, SGD: at least 6x TensorFlow.js wasm', (r) => r.op === 'train step'),
  overTfjs(1, 'elementwise float32 on contiguous 1M-element tensors: at least as fast as TensorFlow.js wasm', (r) => r.family === 'elementwise' && r.kind === 'contiguous'),
  {
    text: 'elementwise broadcast: within 20% of the contiguous op',
    short: '<=1.2x contiguous',
    applies: (r) => r.family === 'elementwise' && r.kind === 'broadcast',
    measure: vsRef, atMost: 1.2, show: x,
  },
  overTfjs(2, 'per-op overhead, 4x4 add: at least 2x faster than TensorFlow.js wasm', (r) => r.op === 'add' && r.size === '4x4'),
];

/** The targets a row carries, each with its measured value and whether it is met (null: not measured). */
export function checkRow(row) {
  return TARGETS.filter((t) => t.applies(row)).map((t) => {
    const value = t.measure(row);
    const met = value === null || !Number.isFinite(value) ? null : t.atLeast !== undefined ? value >= t.atLeast : t.atMost !== undefined ? value <= t.atMost : value < t.below;
    return { target: t.text, short: t.short, value, shown: value === null ? 'n/a' : t.show(value), met };
  });
}
