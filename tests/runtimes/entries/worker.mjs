// A workerd module worker; bundled the way wrangler bundles (tests/runtimes/bundle.mjs).
import * as torch from 'torchlet';
import { smoke } from './smoke.mjs';

export default {
  async fetch() {
    return Response.json(await smoke(torch, { threads: false }));
  },
};
