// The WebGPU device's plumbing: the adapter and device, a pool of buffers,
// and one open compute pass that collects dispatches until something must
// reach the GPU (a read, an upload, or a full batch).
//
// A GPU storage lives in its own GPUBuffer but is addressed like wasm
// memory: its "pointer" is id * GPU_BASE, so the byte arithmetic that views,
// joins and products already do on pointers works unchanged, and a kernel
// call tells the devices apart with one comparison (ptr >= GPU_BASE).

/* eslint-disable @typescript-eslint/no-explicit-any -- WebGPU types are not in our lib set */
type GPUBufferLike = any;

/** Pointers at or above this are on the GPU: buffer id in the high bits, byte offset in the low 32. */
export const GPU_BASE = 2 ** 32;

const STORAGE = 0x80, COPY_SRC = 0x04, COPY_DST = 0x08, MAP_READ = 0x01;
/** One dispatch's parameters: 64 u32 (the last two reserved) at the storage-offset alignment every implementation accepts. */
export const META_WORDS = 64;
const META_SLOTS = 2048;
const BATCH_DISPATCHES = 512;

interface Gpu {
  device: any;
  encoder: any;
  pass: any;
  dispatches: number;
  meta: Uint32Array;
  metaUsed: number;
  metaBuffer: GPUBufferLike;
  adapterInfo: string;
}

let gpu: Gpu | null = null;
let initing: Promise<boolean> | null = null;
let userGpu: any = null;

const buffers = new Map<number, GPUBufferLike>();
const freeIds: number[] = [];
let nextId = 1;
const pool = new Map<number, GPUBufferLike[]>();
let pooledBytes = 0;
const POOL_LIMIT = 256 << 20;

/** Buffers are handed out in power-of-two sizes so the pool can reuse them. */
const bucket = (bytes: number): number => Math.max(16, 2 ** Math.ceil(Math.log2(Math.max(bytes, 1))));

export interface InitOptions {
  /** A `GPU` object (navigator.gpu, or `create([])` from the npm package `webgpu` in Node). */
  gpu?: unknown;
  powerPreference?: 'low-power' | 'high-performance';
}

function findGpu(): any {
  return userGpu ?? (globalThis as any).navigator?.gpu ?? null;
}

/** Requests an adapter and a device; resolves false when there is no WebGPU here. */
export function init(o: InitOptions = {}): Promise<boolean> {
  if (o.gpu) {
    userGpu = o.gpu;
    initing = null;
  }
  if (gpu) return Promise.resolve(true);
  initing ??= (async () => {
    const g = findGpu();
    if (!g) return false;
    const adapter = await g.requestAdapter({ powerPreference: o.powerPreference });
    if (!adapter) return false;
    const device = await adapter.requestDevice({
      requiredLimits: { maxStorageBuffersPerShaderStage: Math.min(8, adapter.limits.maxStorageBuffersPerShaderStage) },
    });
    const metaBuffer = device.createBuffer({ size: META_SLOTS * META_WORDS * 4, usage: STORAGE | COPY_DST });
    // kernels and bind groups of an earlier (lost) device cannot be used with this one
    pipelines.clear();
    layouts.clear();
    groups.clear();
    const info = adapter.info ?? {};
    gpu = {
      device, encoder: null, pass: null, dispatches: 0, meta: new Uint32Array(META_SLOTS * META_WORDS), metaUsed: 0, metaBuffer,
      adapterInfo: [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' '),
    };
    device.lost?.then?.(() => { gpu = null; initing = null; });
    return true;
  })().catch(() => false);
  return initing;
}

export const isReady = (): boolean => gpu !== null;

export function adapterName(): string {
  return gpu?.adapterInfo ?? '';
}

let cpuKernels: boolean | null = null;

/** Whether the adapter is a CPU implementation of WebGPU, where some kernels take another shape. */
export const onCpu = (): boolean => cpuKernels ?? /swiftshader|llvmpipe|lavapipe/i.test(gpu?.adapterInfo ?? '');

/** @internal Forces the CPU-implementation kernels on or off (null: by adapter), so tests reach both shapes. */
export function preferCpuKernels(on: boolean | null): void {
  cpuKernels = on;
}

export function device(): Gpu {
  if (!gpu) throw new Error("torchlet: the webgpu device is not initialised; call `await torch.webgpu.init()` (in Node: `torch.webgpu.init({ gpu })`) first");
  return gpu;
}

/** A fresh buffer of at least `bytes`; returns its pointer (id * GPU_BASE). */
export function allocate(bytes: number): number {
  const g = device();
  const size = bucket(bytes);
  const list = pool.get(size);
  let buf = list?.pop();
  if (buf) pooledBytes -= size;
  else buf = g.device.createBuffer({ size, usage: STORAGE | COPY_SRC | COPY_DST });
  const id = freeIds.pop() ?? nextId++;
  buffers.set(id, buf);
  return id * GPU_BASE;
}

/** Returns a storage's buffer to the pool (commands already recorded still see its old contents: they run first). */
export function free(ptr: number): void {
  const id = Math.floor(ptr / GPU_BASE);
  const buf = buffers.get(id);
  if (!buf) return;
  buffers.delete(id);
  freeIds.push(id);
  const size = buf.size as number;
  if (pooledBytes + size > POOL_LIMIT) {
    flush();
    buf.destroy();
    groups.clear(); // some may hold the destroyed buffer (rare: the pool is full)
    return;
  }
  let list = pool.get(size);
  if (!list) pool.set(size, (list = []));
  list.push(buf);
  pooledBytes += size;
}

/** The buffer and byte offset behind a GPU pointer. */
export function bufferOf(ptr: number): { buffer: GPUBufferLike; offset: number } {
  const id = Math.floor(ptr / GPU_BASE);
  const buffer = buffers.get(id);
  if (!buffer) throw new Error('torchlet: use of a freed webgpu buffer');
  return { buffer, offset: ptr - id * GPU_BASE };
}

export const bufferId = (ptr: number): number => Math.floor(ptr / GPU_BASE);

/** A compiled kernel and the bind group layout its `count` buffers use. */
export interface Kernel {
  pipe: any;
  layout: any;
  count: number;
}

const pipelines = new Map<string, Kernel>();
const layouts = new Map<number, { group: any; pipeline: any }>();
const COMPUTE = 4;

/**
 * One layout per buffer count: the meta block at binding 0 with a dynamic
 * offset (so a bind group serves every dispatch over the same buffers), then
 * read-write storage buffers.
 */
function layoutFor(count: number): { group: any; pipeline: any } {
  let l = layouts.get(count);
  if (!l) {
    const d = device().device;
    const entries = [{ binding: 0, visibility: COMPUTE, buffer: { type: 'read-only-storage', hasDynamicOffset: true } }];
    for (let i = 1; i <= count; i++) entries.push({ binding: i, visibility: COMPUTE, buffer: { type: 'storage' } as any });
    const group = d.createBindGroupLayout({ entries });
    l = { group, pipeline: d.createPipelineLayout({ bindGroupLayouts: [group] }) };
    layouts.set(count, l);
  }
  return l;
}

export function pipeline(key: string, code: () => string): Kernel {
  let p = pipelines.get(key);
  if (!p) {
    const d = device().device;
    const text = code();
    const count = (text.match(/var<storage, read_write>/g) ?? []).length;
    const { group, pipeline: layout } = layoutFor(count);
    const module = d.createShaderModule({ code: text });
    p = { pipe: d.createComputePipeline({ layout, compute: { module, entryPoint: 'main' } }), layout: group, count };
    pipelines.set(key, p);
  }
  return p;
}

// Bind groups by buffer serials: pooled buffers come back for the next training step,
// so the same few groups serve again and again (creating one costs more than the dispatch).
const serials = new WeakMap<object, number>();
let nextSerial = 1;
const groups = new Map<string, any>();
const serialOf = (buf: object): number => {
  let s = serials.get(buf);
  if (s === undefined) serials.set(buf, (s = nextSerial++));
  return s;
};

function bindGroup(k: Kernel, ids: readonly number[]): any {
  const bufs = ids.map((id) => buffers.get(id));
  const key = `${k.count}|${bufs.map(serialOf).join(',')}`;
  let bind = groups.get(key);
  if (!bind) {
    if (groups.size >= 8192) groups.clear();
    const entries = [{ binding: 0, resource: { buffer: device().metaBuffer, offset: 0, size: META_WORDS * 4 } as any }];
    bufs.forEach((buffer, i) => entries.push({ binding: i + 1, resource: { buffer } }));
    bind = device().device.createBindGroup({ layout: k.layout, entries });
    groups.set(key, bind);
  }
  return bind;
}

/**
 * Records one dispatch: `meta` (at most META_WORDS words) goes to binding 0,
 * then the given buffers (distinct, by id) to bindings 1.. in order.
 */
export function dispatch(k: Kernel, meta: ArrayLike<number>, ids: readonly number[], grid: [number, number?, number?]): void {
  const g = device();
  if (g.metaUsed === META_SLOTS || g.dispatches >= BATCH_DISPATCHES) flush();
  const slot = g.metaUsed++;
  const base = slot * META_WORDS;
  for (let i = 0; i < meta.length; i++) g.meta[base + i] = meta[i];
  g.meta[base + META_WORDS - 2] = 0x7fc00000; // NaN and +inf for the WGSL prelude
  g.meta[base + META_WORDS - 1] = 0x7f800000;
  const bind = bindGroup(k, ids);
  if (!g.pass) {
    g.encoder = g.device.createCommandEncoder();
    g.pass = g.encoder.beginComputePass();
  }
  g.pass.setPipeline(k.pipe);
  g.pass.setBindGroup(0, bind, [base * 4]);
  g.pass.dispatchWorkgroups(grid[0], grid[1] ?? 1, grid[2] ?? 1);
  g.dispatches++;
}

/** Submits everything recorded so far (the meta block is written first: queue order). */
export function flush(): void {
  const g = gpu;
  if (!g || !g.pass) return;
  g.pass.end();
  g.device.queue.writeBuffer(g.metaBuffer, 0, g.meta.buffer, 0, g.metaUsed * META_WORDS * 4);
  g.device.queue.submit([g.encoder.finish()]);
  g.pass = g.encoder = null;
  g.metaUsed = 0;
  g.dispatches = 0;
}

/** Copies bytes into a GPU pointer (after the recorded work, which may still read the old contents). */
export function upload(ptr: number, bytes: Uint8Array): void {
  flush();
  const { buffer, offset } = bufferOf(ptr);
  // writeBuffer wants sizes in multiples of 4; buffers are at least that much larger
  const padded = bytes.byteLength % 4 === 0 ? bytes : (() => {
    const p = new Uint8Array(Math.ceil(bytes.byteLength / 4) * 4);
    p.set(bytes);
    return p;
  })();
  device().device.queue.writeBuffer(buffer, offset, padded.buffer, padded.byteOffset, padded.byteLength);
}

/** Reads `bytes` bytes at a GPU pointer. */
export async function download(ptr: number, bytes: number): Promise<Uint8Array> {
  const g = device();
  const { buffer, offset: at } = bufferOf(ptr);
  const offset = at & ~3, skip = at - offset;
  const size = Math.ceil((bytes + skip) / 4) * 4;
  const staging = g.device.createBuffer({ size: Math.max(size, 4), usage: MAP_READ | COPY_DST });
  flush();
  const enc = g.device.createCommandEncoder();
  if (size > 0) enc.copyBufferToBuffer(buffer, offset, staging, 0, size);
  g.device.queue.submit([enc.finish()]);
  await staging.mapAsync(MAP_READ);
  const out = new Uint8Array(staging.getMappedRange().slice(skip, skip + bytes));
  staging.unmap();
  staging.destroy();
  return out;
}

/** Live and pooled GPU bytes, for torch.memory()-style reports. */
export function gpuMemory(): { buffers: number; pooledBytes: number } {
  return { buffers: buffers.size, pooledBytes };
}
