// Runs every bench family: each `benches/<family>.mjs` (files starting with
// `_` are shared helpers) in its own Node process, one after another, so one
// family's JIT and heap state cannot colour another's numbers.
//
//   npm run bench                      all families
//   npm run bench -- matmul --quick    some families, short budgets
// Flags (--quick, --only TEXT) are passed through to each family.
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const args = process.argv.slice(2);
const flagArgs = [];
const names = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--only') flagArgs.push(args[i], args[++i]);
  else if (args[i].startsWith('--')) flagArgs.push(args[i]);
  else names.push(args[i]);
}

const families = readdirSync(here)
  .filter((f) => f.endsWith('.mjs') && !f.startsWith('_') && f !== 'run.mjs')
  .map((f) => f.slice(0, -4))
  .sort();
const unknown = names.filter((n) => !families.includes(n));
if (unknown.length) {
  console.error(`unknown bench famil${unknown.length > 1 ? 'ies' : 'y'}: ${unknown.join(', ')} (have: ${families.join(', ')})`);
  process.exit(2);
}

let failed = 0;
for (const family of names.length ? names : families) {
  console.log(`\n=== ${family} ===`);
  const r = spawnSync(process.execPath, [`${here}${family}.mjs`, ...flagArgs], { stdio: 'inherit' });
  if (r.status !== 0) {
    failed++;
    console.error(`bench ${family} failed (exit ${r.status ?? r.signal})`);
  }
}
process.exit(failed ? 1 : 0);
