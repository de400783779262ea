// The PyTorch conformance cases (../shared/conformance, see its README) with
// their inputs on WebGPU. A case whose code needs something only wasm has (a
// synchronous read, a factory without { device }, float64) is "not
// applicable" rather than failed; everything else must match PyTorch. No
// runtime-specific imports: Node, Deno and a browser page run this file.

/** Errors that say the case needs wasm, not that WebGPU computed something wrong. */
export const WASM_ONLY = /synchronously|same device|does not support float64|not implemented on the webgpu|webgpu products|webgpu probability|needs numClasses|isTensor/;

const decode = (v) => (Array.isArray(v) ? v.map(decode) : v === 'nan' ? NaN : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : v);
const isTensor = (t) => t && typeof t === 'object' && typeof t.toAsync === 'function' && 'shape' in t;
const close = (a, e, tol, exact) => {
  if (typeof e === 'boolean' || exact) return a === e || (Number.isNaN(a) && Number.isNaN(e));
  if (typeof a !== 'number') return false;
  if (Number.isNaN(e)) return Number.isNaN(a);
  if (!Number.isFinite(e)) return a === e;
  return Math.abs(a - e) <= tol.atol + tol.rtol * Math.abs(e);
};
function sameData(a, e, tol, exact, path = '') {
  if (Array.isArray(e)) {
    if (!Array.isArray(a) || a.length !== e.length) return `length differs at ${path || 'top'}`;
    for (let i = 0; i < e.length; i++) {
      const r = sameData(a[i], e[i], tol, exact, `${path}[${i}]`);
      if (r) return r;
    }
    return null;
  }
  return close(a, e, tol, exact) ? null : `value at ${path || 'top'}: got ${a}, want ${e}`;
}
// WGSL's transcendental functions may be less exact than wasm's: a looser float tolerance than run.mjs
const tolFor = (caseTol) => caseTol ?? { rtol: 1e-3, atol: 1e-4 };

/** Checks a result read back from the GPU; `onGpu` records whether every tensor was computed there. */
async function check(actual, expect, caseTol, onGpu) {
  if ('tensor' in expect) {
    const e = expect.tensor;
    if (!isTensor(actual)) return `expected a tensor, got ${typeof actual}`;
    if (actual.device !== 'webgpu') onGpu.ok = false;
    if ([...actual.shape].join(',') !== e.shape.join(',')) return `shape: got [${[...actual.shape]}], want [${e.shape}]`;
    if (actual.dtype !== e.dtype) return `dtype: got ${actual.dtype}, want ${e.dtype}`;
    return sameData(await actual.tolistAsync(), decode(e.data), tolFor(caseTol), !e.dtype.startsWith('float'));
  }
  if ('list' in expect) {
    const list = actual && typeof actual[Symbol.iterator] === 'function' && typeof actual !== 'string' ? Array.from(actual) : null;
    if (!list || list.length !== expect.list.length) return 'list differs';
    for (let i = 0; i < list.length; i++) {
      const r = await check(list[i], expect.list[i], caseTol, onGpu);
      if (r) return `[${i}] ${r}`;
    }
    return null;
  }
  // plain values (shapes, dtypes, flags) are metadata of GPU tensors: they need no read
  if ('scalar' in expect) return close(actual, decode(expect.scalar), caseTol || { rtol: 2e-5, atol: 1e-6 }, typeof expect.scalar === 'boolean') ? null : `got ${actual}, want ${expect.scalar}`;
  if ('string' in expect) return actual === expect.string ? null : `got ${JSON.stringify(actual)}, want ${JSON.stringify(expect.string)}`;
  onGpu.ok = false;
  return null;
}

async function runCase(torch, c) {
  const names = Object.keys(c.inputs);
  if (names.length === 0) return { status: 'n/a', why: 'no tensor inputs' };
  if (names.some((n) => c.inputs[n].dtype === 'float64')) return { status: 'n/a', why: 'float64 input' };
  const values = names.map((n) => {
    const i = c.inputs[n];
    const t = torch.tensor(decode(i.data), { dtype: i.dtype }).to('webgpu');
    return i.requiresGrad ? t.requiresGrad_(true) : t;
  });
  const body = /\breturn\b|;\s*$|\n/.test(c.js.trim()) ? c.js : `return (${c.js});`;
  const fn = new Function('torch', ...names, body);
  if ('throws' in c.expect) {
    try {
      fn(torch, ...values);
    } catch (e) {
      const msg = String(e?.message ?? e);
      if (WASM_ONLY.test(msg)) return { status: 'n/a', why: msg };
      if (c.expect.throws && !msg.includes(c.expect.throws)) return { status: 'fail', why: `message ${JSON.stringify(msg)} lacks ${JSON.stringify(c.expect.throws)}` };
      return { status: 'pass' };
    }
    return { status: 'n/a', why: 'did not throw (a data-dependent check webgpu skips?)' };
  }
  const onGpu = { ok: true };
  const out = fn(torch, ...values);
  const r = await check(out, c.expect, c.tol, onGpu);
  if (r) return { status: 'fail', why: r };
  if (c.grads) {
    out.backward(c.gradOut !== undefined ? torch.tensor(decode(c.gradOut), { dtype: out.dtype }).to('webgpu') : undefined);
    for (const [n, g] of Object.entries(c.grads)) {
      const t = values[names.indexOf(n)];
      if (g === null) {
        if (t.grad) return { status: 'fail', why: `grad of ${n}: expected none` };
        continue;
      }
      if (!t.grad) return { status: 'fail', why: `grad of ${n}: missing` };
      const rg = await check(t.grad, { tensor: { shape: [...t.shape], dtype: t.dtype, data: g } }, c.tol, onGpu);
      if (rg) return { status: 'fail', why: `grad of ${n}: ${rg}` };
    }
  }
  return onGpu.ok ? { status: 'pass' } : { status: 'n/a', why: 'the result was not computed on webgpu' };
}

/** [{ id, status: 'pass' | 'fail' | 'n/a', why? }] for every case. */
export async function runConformance(torch, cases) {
  const results = [];
  for (const c of cases) {
    let r;
    try {
      r = await runCase(torch, c);
    } catch (e) {
      const msg = String(e?.message ?? e).split('\n')[0];
      r = WASM_ONLY.test(msg) ? { status: 'n/a', why: msg } : { status: 'fail', why: `threw: ${msg}` };
    }
    results.push({ id: c.id, ...r });
  }
  return results;
}
