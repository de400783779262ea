// Measurement and reporting shared by the bench families.
//
// Every contender of a case runs in this one process, interleaved: each round
// times a batch of calls of every contender in a freshly shuffled order, so
// none always follows the same neighbour, and drifting clocks, a noisy neighbour or a GC pause land on all
// of them alike. Batches are sized to take ~`sampleMs`, so microsecond-scale
// calls are not lost in timer resolution; each sample is a per-call time and
// the report is the median over rounds, with the quartiles to show the noise.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import os from 'node:os';

const now = () => performance.now();

function quantile(sorted, q) {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos), hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** Times n calls of fn: wall and process CPU ms per call. Async contenders (ORT's run) are awaited one by one. */
async function timeBatch(fn, n, isAsync) {
  const c0 = process.cpuUsage();
  const t0 = now();
  if (isAsync) for (let i = 0; i < n; i++) await fn();
  else for (let i = 0; i < n; i++) fn();
  const wall = now() - t0, cpu = process.cpuUsage(c0);
  return { wall: wall / n, cpu: (cpu.user + cpu.system) / 1000 / n };
}

/**
 * Times `contenders` ({ name, fn }) interleaved. Returns { [name]: { median, q1, q3, min, cpuMedian, samples, batch } }
 * in ms per call. cpuMedian is process CPU time per call: on a shared machine it leaves out the time other
 * processes held the core, so it is the steadier number when `loadavg` is high (with threads it adds up
 * every thread's time). A contender whose fn returns a promise is awaited call by call.
 * Options: warmupMs and minCalls per contender, sampleMs per batch, minRounds, maxRounds, budgetMs for the whole case.
 */
export async function compare(contenders, { warmupMs = 150, minCalls = 3, sampleMs = 8, minRounds = 7, maxRounds = 60, budgetMs = 3000 } = {}) {
  // warm-up: let the JITs tier up and the allocators reach their steady state
  const isAsync = [], batch = [];
  for (const { fn } of contenders) {
    const t0 = now();
    const first = fn();
    const async = typeof first?.then === 'function';
    if (async) await first;
    let calls = 1;
    while (now() - t0 < warmupMs || calls < minCalls) {
      if (async) await fn();
      else fn();
      calls++;
    }
    isAsync.push(async);
    batch.push(Math.max(1, Math.round(sampleMs / ((now() - t0) / calls))));
  }
  const samples = contenders.map(() => []);
  const cpuSamples = contenders.map(() => []);
  const start = now();
  // each round runs the contenders in a fresh (seeded) order: with a fixed cyclic order one
  // contender would always run right after the same other one and inherit its cache, TLB and
  // allocator state (a transposed product that always followed TF.js measured 15-20% slower)
  let seed = 0x9e3779b9;
  const random = () => ((seed = (Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32);
  const order = contenders.map((_, i) => i);
  for (let round = 0; round < maxRounds; round++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    for (const c of order) {
      const { wall, cpu } = await timeBatch(contenders[c].fn, batch[c], isAsync[c]);
      samples[c].push(wall);
      cpuSamples[c].push(cpu);
    }
    if (round + 1 >= minRounds && now() - start > budgetMs) break;
  }
  const out = {};
  contenders.forEach(({ name }, c) => {
    const sorted = samples[c].slice().sort((x, y) => x - y);
    const cpu = cpuSamples[c].slice().sort((x, y) => x - y);
    out[name] = { median: quantile(sorted, 0.5), q1: quantile(sorted, 0.25), q3: quantile(sorted, 0.75), min: sorted[0], cpuMedian: quantile(cpu, 0.5), samples: sorted.length, batch: batch[c] };
  });
  return out;
}

export function machine() {
  let cpu = os.cpus()[0]?.model ?? 'unknown';
  try {
    const m = readFileSync('/proc/cpuinfo', 'utf8').match(/^model name\s*:\s*(.*)$/m);
    if (m) cpu = m[1].trim();
  } catch {
    // not Linux: os.cpus() is the best we have
  }
  return { date: new Date().toISOString(), node: process.version, v8: process.versions.v8, cpu, cores: os.cpus().length, platform: `${process.platform}-${process.arch}`, loadavg: os.loadavg().map((x) => +x.toFixed(2)) };
}

/** Prints rows (arrays of cells) as an aligned text table; numbers are right-aligned. */
export function table(header, rows) {
  const cells = [header, ...rows].map((r) => r.map((c) => (c === null || c === undefined ? '-' : String(c))));
  const width = header.map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  const line = (r) => r.map((c, i) => (i === 0 ? c.padEnd(width[i]) : c.padStart(width[i]))).join('  ');
  console.log(line(cells[0]));
  console.log(width.map((w) => '-'.repeat(w)).join('  '));
  for (const r of cells.slice(1)) console.log(line(r));
}

export function writeFile(url, text) {
  const path = url instanceof URL ? url.pathname : url;
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  console.log(`wrote ${path}`);
}

/**
 * A family's end: writes benches/results/<family>.json ({ machine, peers, quick, rows }) and,
 * when the family runs on its own rather than under run.mjs, prints its rows as the combined table does.
 * A run restricted by --only writes nothing, so a partial run never replaces the full results.
 */
export async function finish(family, { rows, peers = {}, quick = false, only = null, ...extra }) {
  const { judged, printTable } = await import('./_report.mjs');
  if (!process.env.TORCHLET_BENCH_CHILD) {
    console.log('');
    printTable(judged(rows));
  }
  if (only) return;
  writeFile(new URL(`./results/${family}.json`, import.meta.url), JSON.stringify({ machine: machine(), loadavgAfter: os.loadavg().map((v) => +v.toFixed(2)), peers, quick, ...extra, rows }, null, 2) + '\n');
}

/** Command-line flags every family understands: --quick (short budgets), --only TEXT (case filter). */
export function flags(argv = process.argv.slice(2)) {
  const quick = argv.includes('--quick');
  const only = argv.includes('--only') ? argv[argv.indexOf('--only') + 1] : null;
  return { quick, only };
}
