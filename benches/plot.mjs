// Draws benches/results/matmul-gflops.svg from benches/results/latest.json:
// GFLOP/s against size for square float32 matmul, one line per contender,
// with issue 4's single-thread targets as dashed lines. Plain SVG, no deps.
//
//   node benches/plot.mjs        (npm run bench runs it after the families)
import { readFileSync } from 'node:fs';
import { writeFile } from './_harness.mjs';
import { PEERS, rate } from './_report.mjs';

const latest = JSON.parse(readFileSync(new URL('./results/latest.json', import.meta.url), 'utf8'));
const square = latest.rows.filter((r) => r.op === 'matmul' && r.n);

/** One series per torchlet build and thread count, and one per peer: [{ label, points: [[n, gflops]] }]. */
const series = new Map();
const add = (label, n, y) => {
  if (!series.has(label)) series.set(label, []);
  const points = series.get(label);
  if (!points.some(([x]) => x === n)) points.push([n, y]);
};
for (const r of square) {
  add(`torchlet ${r.build}${r.threads > 1 ? `, ${r.threads} threads` : ''}`, r.n, rate(r, r.torchlet));
  for (const [key, label] of PEERS) if (r.peers[key]) add(label, r.n, rate(r, r.peers[key]));
}

const W = 780, H = 440, L = 64, R = 220, T = 40, B = 52;
const xs = [...new Set(square.map((r) => r.n))].sort((a, b) => a - b);
const ymax = Math.max(40, ...[...series.values()].flat().map(([, y]) => y));
const ytop = Math.ceil(ymax / 10) * 10;
const px = (n) => L + ((Math.log2(n) - Math.log2(xs[0])) / Math.max(1, Math.log2(xs.at(-1)) - Math.log2(xs[0]))) * (W - L - R);
const py = (y) => T + (1 - y / ytop) * (H - T - B);
const COLORS = ['#d62728', '#ff7f0e', '#9467bd', '#1f77b4', '#2ca02c', '#17becf', '#7f7f7f', '#8c564b'];
const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;');

const parts = [
  `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
  `<rect width="${W}" height="${H}" fill="white"/>`,
  `<text x="${L}" y="22" font-size="14" font-weight="bold">float32 square matmul, GFLOP/s (higher is better)</text>`,
];
for (let y = 0; y <= ytop; y += 10) {
  parts.push(`<line x1="${L}" x2="${W - R}" y1="${py(y)}" y2="${py(y)}" stroke="#e5e5e5"/>`, `<text x="${L - 8}" y="${py(y) + 4}" text-anchor="end">${y}</text>`);
}
for (const n of xs) parts.push(`<line x1="${px(n)}" x2="${px(n)}" y1="${T}" y2="${H - B}" stroke="#f0f0f0"/>`, `<text x="${px(n)}" y="${H - B + 18}" text-anchor="middle">${n}</text>`);
parts.push(
  `<line x1="${L}" x2="${L}" y1="${T}" y2="${H - B}" stroke="black"/>`,
  `<line x1="${L}" x2="${W - R}" y1="${H - B}" y2="${H - B}" stroke="black"/>`,
  `<text x="${(L + W - R) / 2}" y="${H - 12}" text-anchor="middle">n (n x n @ n x n)</text>`,
  `<text transform="translate(16 ${(T + H - B) / 2}) rotate(-90)" text-anchor="middle">GFLOP/s</text>`,
);
for (const [y, label] of [[25, 'target, standard SIMD'], [35, 'target, relaxed SIMD']]) {
  parts.push(`<line x1="${L}" x2="${W - R}" y1="${py(y)}" y2="${py(y)}" stroke="#555" stroke-dasharray="5 4"/>`, `<text x="${L + 6}" y="${py(y) - 4}" fill="#555" font-size="10">${label} ${y}</text>`);
}
// torchlet's lines first in the legend
[...series.entries()].sort(([a], [b]) => b.startsWith('torchlet') - a.startsWith('torchlet')).forEach(([label, points], i) => {
  const color = COLORS[i % COLORS.length];
  const pts = points.sort((a, b) => a[0] - b[0]).map(([n, y]) => [px(n), py(y)]);
  parts.push(`<polyline fill="none" stroke="${color}" stroke-width="2" points="${pts.map((p) => p.map((v) => v.toFixed(1)).join(',')).join(' ')}"/>`);
  for (const [x, y] of pts) parts.push(`<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="3" fill="${color}"/>`);
  const ly = T + 10 + i * 20;
  parts.push(`<line x1="${W - R + 14}" x2="${W - R + 36}" y1="${ly}" y2="${ly}" stroke="${color}" stroke-width="2"/>`, `<text x="${W - R + 42}" y="${ly + 4}">${esc(label)}</text>`);
});
const m = latest;
parts.push(`<text x="${W - R + 14}" y="${H - B - 4}" font-size="10" fill="#555">${esc(`${m.cpu}, ${m.cores} cores`)}</text>`, `<text x="${W - R + 14}" y="${H - B + 10}" font-size="10" fill="#555">${esc(`Node ${m.node}, load ${m.loadavg[0]}`)}</text>`);
parts.push('</svg>');
writeFile(new URL('./results/matmul-gflops.svg', import.meta.url), parts.join('\n') + '\n');
