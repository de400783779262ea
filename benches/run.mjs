// Runs every bench family: each `benches/<family>.mjs` (files starting with
// `_` are shared helpers) in its own Node process, one after another, so one
// family's JIT and heap state cannot colour another's numbers; then prints
// every family's latest rows (this run's and earlier runs' of the families not
// run) as one table with issue 4's targets marked, writes
// benches/results/latest.json and latest.md, and draws the matmul plot. A full
// run of every family also puts the table into README.md's Benchmarks section.
//
//   npm run bench                      all families
//   npm run bench -- matmul --quick    some families, short budgets
//   npm run bench -- --report          no timing: table, files and plot again from the last results
// Flags (--quick, --only TEXT) are passed through to each family; a run with
// --only prints each family's own rows and leaves the results files alone.
import { readdirSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import { machine } from './_harness.mjs';
import { collect, markdown, printTable, updateReadme, writeLatest } from './_report.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const args = process.argv.slice(2);
const flagArgs = [];
const names = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--only') flagArgs.push(args[i], args[++i]);
  else if (args[i].startsWith('--')) flagArgs.push(args[i]);
  else names.push(args[i]);
}

const ORDER = ['matmul', 'training', 'elementwise'];
const order = (f) => (ORDER.includes(f) ? ORDER.indexOf(f) : ORDER.length);
const families = readdirSync(here)
  .filter((f) => f.endsWith('.mjs') && !f.startsWith('_') && f !== 'run.mjs' && f !== 'plot.mjs')
  .map((f) => f.slice(0, -4))
  // issue 4's order first, then any other family
  .sort((a, b) => order(a) - order(b) || a.localeCompare(b));
const unknown = names.filter((n) => !families.includes(n));
if (unknown.length) {
  console.error(`unknown bench famil${unknown.length > 1 ? 'ies' : 'y'}: ${unknown.join(', ')} (have: ${families.join(', ')})`);
  process.exit(2);
}

// Node 20 has relaxed SIMD behind a flag (22+ without): pass it, so torchlet picks its relaxed build as it would there
const relaxedFlag = spawnSync(process.execPath, ['--experimental-wasm-relaxed-simd', '-e', '0']).status === 0 ? ['--experimental-wasm-relaxed-simd'] : [];
const only = flagArgs.includes('--only');
// --report: no timing, the table and the files again from the families' last results (after a change to the report)
const reportOnly = flagArgs.includes('--report');
const last = new URL('./results/latest.json', import.meta.url);
const meta = reportOnly
  ? (({ rows, families: _, ...m }) => m)(JSON.parse(readFileSync(last, 'utf8')))
  : { ...machine(), command: `npm run bench${args.length ? ' -- ' + args.join(' ') : ''}`, nodeFlags: relaxedFlag, quick: flagArgs.includes('--quick') };

let failed = 0;
const ran = reportOnly ? [] : names.length ? names : families;
for (const family of ran) {
  console.log(`\n=== ${family} ===`);
  const env = only ? process.env : { ...process.env, TORCHLET_BENCH_CHILD: '1' };
  const r = spawnSync(process.execPath, [...relaxedFlag, `${here}${family}.mjs`, ...flagArgs], { stdio: 'inherit', env });
  if (r.status !== 0) {
    failed++;
    console.error(`bench ${family} failed (exit ${r.status ?? r.signal})`);
  }
}
if (!only) {
  if (!reportOnly) meta.loadavgAfter = os.loadavg().map((x) => +x.toFixed(2));
  const { rows, sources } = collect(families);
  console.log(`\n=== all families (${meta.cpu}, ${meta.cores} cores, node ${meta.node}, load average ${meta.loadavg.join(' ')} -> ${meta.loadavgAfter.join(' ')}) ===\n`);
  const judgedRows = writeLatest(rows, meta, sources);
  printTable(judgedRows);
  if (!meta.quick && !names.length && !failed) updateReadme(markdown(judgedRows, meta));
  const plot = spawnSync(process.execPath, [`${here}plot.mjs`], { stdio: 'inherit' });
  if (plot.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
