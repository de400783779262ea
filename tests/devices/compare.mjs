// Reading results back from any device and comparing two devices' answers.

const isTensor = (v) => v && typeof v === 'object' && typeof v.toAsync === 'function' && 'shape' in v;

/** Results as plain data: tensors become { shape, dtype, device, values }. */
export async function plain(v) {
  if (isTensor(v)) {
    const device = v.device;
    const w = await v.toAsync('wasm');
    const out = { shape: [...v.shape], dtype: v.dtype, device, values: w.dtype === 'int64' ? Array.from(w.toTypedArray(), Number) : Array.from(w.toTypedArray(), Number) };
    if (w !== v) w.dispose();
    return out;
  }
  if (Array.isArray(v)) {
    const r = [];
    for (const x of v) r.push(await plain(x));
    return r;
  }
  if (v && typeof v === 'object') {
    const r = {};
    for (const [k, x] of Object.entries(v)) r[k] = await plain(x);
    return r;
  }
  return v;
}

const FLOAT = new Set(['float32', 'float64']);

/** null when `got` (one device) matches `want` (the reference device), else what differs. */
export function differs(got, want, tol = 1e-4, path = 'result') {
  if (want && typeof want === 'object' && 'values' in want && 'shape' in want) {
    if (!got || !('values' in got)) return `${path}: not a tensor`;
    if (got.shape.join(',') !== want.shape.join(',')) return `${path}: shape [${got.shape}] vs [${want.shape}]`;
    if (got.dtype !== want.dtype) return `${path}: dtype ${got.dtype} vs ${want.dtype}`;
    const exact = !FLOAT.has(want.dtype);
    for (let i = 0; i < want.values.length; i++) {
      const a = got.values[i], e = want.values[i];
      if (Number.isNaN(e) && Number.isNaN(a)) continue;
      const ok = exact || !Number.isFinite(e) ? a === e : Math.abs(a - e) <= tol + tol * Math.abs(e);
      if (!ok) return `${path}[${i}]: ${a} vs ${e}`;
    }
    return null;
  }
  if (Array.isArray(want)) {
    if (!Array.isArray(got) || got.length !== want.length) return `${path}: length differs`;
    for (let i = 0; i < want.length; i++) {
      const r = differs(got[i], want[i], tol, `${path}[${i}]`);
      if (r) return r;
    }
    return null;
  }
  if (want && typeof want === 'object') {
    for (const k of Object.keys(want)) {
      const r = differs(got?.[k], want[k], tol, `${path}.${k}`);
      if (r) return r;
    }
    return null;
  }
  return got === want || (Number.isNaN(got) && Number.isNaN(want)) ? null : `${path}: ${got} vs ${want}`;
}

/** Whether every tensor in a result lives on `device`. */
export function allOn(v, device) {
  if (v && typeof v === 'object' && 'values' in v && 'device' in v) return v.device === device;
  if (Array.isArray(v)) return v.every((x) => allOn(x, device));
  if (v && typeof v === 'object') return Object.values(v).every((x) => allOn(x, device));
  return true;
}
