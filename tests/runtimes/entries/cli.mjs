// Node, Deno and Bun: import the installed package and run the smoke suite.
import * as torch from 'torchlet';
import { smoke } from './smoke.mjs';

const report = await smoke(torch, { threads: true, syncStart: true });
console.log(JSON.stringify(report));
globalThis.process?.exit?.(report.failed ? 1 : 0);
