// The combined table: every family's rows, the peers side by side, and
// issue 4's targets marked met or missed. A row, as the families write it:
//
//   { family, op, size, n?, build, threads, flops? | bytes?, kind?,
//     torchlet: stats, peers: { 'tfjs-wasm' | 'ort-wasm-1t' | 'ort-wasm-2t' | 'plain-js': stats },
//     ref?: stats, refName? }
//
// where stats is compare()'s { median, q1, q3, cpuMedian, ... } in ms per call,
// and ref is a same-process reference a target compares against (the
// contiguous product, the 1-thread product).
import { readFileSync, existsSync } from 'node:fs';
import { table, writeFile } from './_harness.mjs';
import { checkRow } from './_targets.mjs';

export const PEERS = [
  ['tfjs-wasm', 'TF.js wasm'],
  ['ort-wasm-1t', 'ORT Web 1T'],
  ['ort-wasm-2t', 'ORT Web 2T'],
  ['plain-js', 'plain JS'],
];
const HEADER = ['op', 'size', 'torchlet build', 'torchlet', ...PEERS.map(([, label]) => label), '(rate)', 'vs TF.js', 'targets'];

export const time = (ms) => (ms === undefined || ms === null || !Number.isFinite(ms) ? null : ms >= 1000 ? `${ms.toFixed(0)} ms` : ms >= 1 ? `${ms.toPrecision(3)} ms` : `${(ms * 1000).toPrecision(3)} us`);
/** GFLOP/s or GB/s of a contender on this row, or null when the row counts neither. */
export const rate = (row, stats) => (!stats ? null : row.flops ? row.flops / stats.median / 1e6 : row.bytes ? row.bytes / stats.median / 1e6 : null);
const unit = (row) => (row.flops ? 'GFLOP/s' : row.bytes ? 'GB/s' : '');

/** Marks a time taken in the matmul family's second process (ONNX Runtime on 2 threads). */
const SECOND_PASS = '†';
const SECOND_PASS_NOTE = `${SECOND_PASS} ORT Web 2T runs in a second process, beside torchlet's picked build on 1 thread (two copies of ORT in one process slow each other down 2-3x); latest.json has torchlet's time there as torchletSamePass.`;

function cell(row, stats) {
  if (!stats) return null;
  const r = rate(row, stats);
  return `${time(stats.median)}${r === null ? '' : ` (${r.toPrecision(3)})`}${stats.pass === 2 ? ` ${SECOND_PASS}` : ''}`;
}
const secondPass = (rows) => rows.some((r) => Object.values(r.peers).some((p) => p.pass === 2));

function targetCell(checks) {
  if (!checks.length) return '';
  return checks.map((c) => `${c.short}: ${c.shown} ${c.met === null ? '?' : c.met ? 'met' : 'MISSED'}`).join('; ');
}

/** Rows with their target checks attached. */
export const judged = (rows) => rows.map((row) => ({ ...row, targets: checkRow(row) }));

const buildLabel = (row) => (row.threads > 1 ? `${row.build}, ${row.threads} threads` : row.build);

function cells(row) {
  const tf = row.peers['tfjs-wasm'];
  return [
    row.op,
    row.size,
    buildLabel(row),
    cell(row, row.torchlet),
    ...PEERS.map(([key]) => cell(row, row.peers[key])),
    unit(row),
    tf ? `${(tf.median / row.torchlet.median).toFixed(2)}x` : null,
    targetCell(row.targets),
  ];
}

/**
 * What the core can do at all, from the matmul family's ceiling probes
 * (_ceiling.mjs), set against the 1024 products: how close each build is to
 * its ceiling, and the rate 1.5x TF.js asks for. Null without probe results.
 */
function ceilingNote(rows) {
  const at1024 = rows.filter((r) => r.op === 'matmul' && r.n === 1024 && r.threads === 1 && r.ceiling);
  if (!at1024.length) return null;
  const { separate, fused } = at1024[0].ceiling;
  const gf = (r) => r.flops / r.torchlet.median / 1e6;
  const builds = at1024.map((r) => {
    const top = r.build === 'relaxed' ? fused : separate;
    return `${r.build} ${gf(r).toFixed(1)} GFLOP/s = ${((100 * gf(r)) / top).toFixed(0)}% of ${r.build === 'relaxed' ? 'the fused' : 'the separate'} ceiling`;
  });
  const tf = at1024[0].peers['tfjs-wasm'];
  const need = tf ? `; 1.5x TF.js (${(at1024[0].flops / tf.median / 1e6).toFixed(1)} GFLOP/s) needs ${((1.5 * at1024[0].flops) / tf.median / 1e6).toFixed(1)}` : '';
  return `Ceilings of one core, measured in the matmul process (benches/_ceiling.mjs, independent 128-bit multiply-adds fed from L1): separate mul + add ${separate} GFLOP/s, fused (relaxed_madd) ${fused ?? 'n/a'} GFLOP/s. At 1024: ${builds.join(', ')}${need}.`;
}

/** Prints the rows as one aligned table, then a line per missed target. */
export function printTable(rows) {
  table(HEADER, rows.map(cells));
  if (secondPass(rows)) console.log(`\n${SECOND_PASS_NOTE}`);
  const ceilings = ceilingNote(rows);
  if (ceilings) console.log(`\n${ceilings}`);
  const all = rows.flatMap((r) => r.targets);
  const met = all.filter((c) => c.met).length;
  console.log(`\ntargets (issue 4): ${met} of ${all.length} met`);
  for (const r of rows) for (const c of r.targets) if (c.met === false) console.log(`  missed: ${r.op} ${r.size} (${buildLabel(r)}): ${c.target} [${c.shown}]`);
}

/** Other processes held the cores for much of the run. */
const busy = (meta) => Math.max(meta.loadavg[0], meta.loadavgAfter?.[0] ?? 0) > meta.cores * 0.75;

export function markdown(rows, meta) {
  const esc = (s) => (s === null || s === undefined ? '-' : String(s).replaceAll('|', '\\|'));
  const lines = [
    `| ${HEADER.join(' | ')} |`,
    `|${HEADER.map((_, i) => (i < 3 || i === HEADER.length - 1 ? '---' : '--:')).join('|')}|`,
    ...rows.map((r) => `| ${cells(r).map(esc).join(' | ')} |`),
  ];
  const all = rows.flatMap((r) => r.targets);
  return [
    `Machine: ${meta.cpu}, ${meta.cores} cores, ${meta.platform}, Node ${meta.node}${meta.nodeFlags?.length ? ` ${meta.nodeFlags.join(' ')}` : ''} (V8 ${meta.v8}); load average ${meta.loadavg.join(' ')} at the start.`,
    '',
    `Command: \`${meta.command}\`, ${meta.date}. Times are medians per call of interleaved batches in one process; (rate) = GFLOP/s or GB/s;`,
    '"vs TF.js" = TF.js ms / torchlet ms. ORT Web = ONNX Runtime Web, wasm execution provider.',
    ...(busy(meta) ? ['', `**Measured on a busy machine** (load average ${meta.loadavg[0]} at the start, ${meta.loadavgAfter?.[0] ?? '?'} at the end, on ${meta.cores} cores): other processes held the cores, so absolute times are slow and noisy; ratios between contenders of one row, timed interleaved, hold better.`] : []),
    ...(meta.quick ? ['', 'A `--quick` run: short budgets, few rounds.'] : []),
    '',
    ...lines,
    ...(secondPass(rows) ? ['', SECOND_PASS_NOTE] : []),
    ...(ceilingNote(rows) ? ['', ceilingNote(rows)] : []),
    '',
    `Targets of issue 4: ${all.filter((c) => c.met).length} of ${all.length} met.`,
    '',
  ].join('\n');
}

/** Every family's rows from benches/results/<family>.json, in family order. */
export function collect(families) {
  const rows = [], sources = {};
  for (const family of families) {
    const url = new URL(`./results/${family}.json`, import.meta.url);
    if (!existsSync(url)) continue;
    const data = JSON.parse(readFileSync(url, 'utf8'));
    if (!Array.isArray(data.rows)) continue;
    rows.push(...data.rows);
    sources[family] = { machine: data.machine, peers: data.peers, quick: data.quick };
  }
  return { rows, sources };
}

/** Writes benches/results/latest.json and latest.md for these rows. */
export function writeLatest(rows, meta, sources) {
  const rowsJudged = judged(rows);
  writeFile(new URL('./results/latest.json', import.meta.url), JSON.stringify({ ...meta, families: sources, rows: rowsJudged }, null, 2) + '\n');
  writeFile(new URL('./results/latest.md', import.meta.url), markdown(rowsJudged, meta));
  return rowsJudged;
}

const README = new URL('../README.md', import.meta.url);
const START = '<!-- bench table: written by `npm run bench` -->', END = '<!-- end of bench table -->';

/** Puts the table between README's markers (a full run of every family only: quick numbers never land there). */
export function updateReadme(md) {
  const text = readFileSync(README, 'utf8');
  const a = text.indexOf(START), b = text.indexOf(END);
  if (a < 0 || b < a) return false;
  writeFile(README, `${text.slice(0, a + START.length)}\n${md}${text.slice(b)}`);
  return true;
}
