// Runs conformance.mjs (the shared PyTorch cases with inputs on WebGPU) in Node or Deno.
// usage: node conformance_child.mjs TORCH_MODULE_URL CASES.json
// Prints one JSON line: { available, adapter, results: [{ id, status, why? }] }.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { readFileSync } from 'node:fs';
import { findGpu } from './gpu.mjs';
import { runConformance } from './conformance.mjs';

const [where, file] = process.argv.slice(2);
// a module URL, or a path from the working directory
const url = /^[a-z]+:/.test(where) ? where : pathToFileURL(resolve(where)).href;
const torch = await import(url);
await torch.ready();
const gpu = await findGpu();
const available = gpu ? await torch.webgpu.isAvailable({ gpu }) : false;
const { cases } = JSON.parse(readFileSync(file, 'utf8'));

const results = available ? await runConformance(torch, cases) : [];
console.log(JSON.stringify({ available, adapter: torch.webgpu.adapter(), results }));
process.exit(0);
