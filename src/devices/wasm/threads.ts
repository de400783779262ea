// A pool of worker threads over the kernels' shared memory. Each worker
// instantiates the same compiled modules on the same WebAssembly.Memory and
// then sleeps in Atomics.wait on its slot of a small control block; a job is
// a kernel export and its integer arguments. Idle workers cost no CPU, are
// unref'd (Node) so they never keep a process alive, and a worker that fails
// to start or dies is dropped: the work it would have done runs here.
import { loaded, wasm } from './module';

/** Int32 words per worker slot: state, kernel index, argument count, arguments, error flag. */
const SLOT = 16;
const IDLE = 0, POSTED = 1, DONE = 2, STOP = 3, RUNNING = 4;
/**
 * How long a posted job may wait for its worker to claim it. A worker that
 * died while idle never claims it, and its 'exit' event cannot arrive while
 * this thread is busy: the job is then taken back and run here, and the
 * worker is dropped. (A live worker claims a job within microseconds.)
 */
const CLAIM_MS = 1000;
const MAX_ARGS = SLOT - 4;
const ERROR_WORD = SLOT - 1;
/** Kernels a worker may run; jobs name them by index. */
export const POOL_KERNELS = ['gemm_f32', 'gemm_f64', 'gemm_i32', 'gemm_i64'] as const;
export type PoolKernel = (typeof POOL_KERNELS)[number];

export interface Job {
  kernel: PoolKernel;
  args: readonly number[];
  /** Running it twice gives the same memory (it overwrites, never accumulates): a stalled run may be redone here. */
  idempotent?: boolean;
}

/**
 * A claimed job that is still running after this many times the caller's own
 * share (and at least STALL_MIN_MS) is taken to belong to a worker that died
 * mid-job: nothing can tell this busy thread so, as no 'exit' event gets in.
 * An idempotent job is then redone here (should the worker only have been
 * slow, both write the same values); other jobs are waited for.
 */
const STALL_FACTOR = 50;
const STALL_MIN_MS = 1000;

interface WorkerHandle {
  slot: number;
  alive: boolean;
  terminate(): void;
}

// Runs inside each worker (classic script in browsers and Deno/Bun, CommonJS in Node).
const WORKER_SOURCE = `
// worker_threads (Node, Deno, and Bun, whose worker_threads workers also define self but are only reached through parentPort)
// (getBuiltinModule also where the worker inherited --input-type=module and has no require)
let parentPort = null;
try { parentPort = (globalThis.process?.getBuiltinModule?.('node:worker_threads') ?? require('worker_threads')).parentPort; } catch {}
const port = parentPort ?? self;
const listen = (f) => parentPort ? parentPort.once('message', f) : (self.onmessage = (e) => { self.onmessage = null; f(e.data); });
listen(async ({ modules, memory, control, slot, names }) => {
  const ctrl = new Int32Array(control);
  const base = slot * ${SLOT};
  let fns;
  try {
    const imports = { env: { memory, abort() { throw new Error('kernel abort'); } } };
    const exports = {};
    for (const m of modules) Object.assign(exports, (await WebAssembly.instantiate(m, imports)).exports);
    fns = names.map((n) => exports[n]);
  } catch (e) {
    port.postMessage({ ready: false, error: String(e) });
    return;
  }
  port.postMessage({ ready: true });
  for (;;) {
    Atomics.wait(ctrl, base, ${IDLE});
    const state = Atomics.load(ctrl, base);
    if (state === ${STOP}) break;
    // claim the job; the poster may have taken it back (see CLAIM_MS)
    if (state !== ${POSTED} || Atomics.compareExchange(ctrl, base, ${POSTED}, ${RUNNING}) !== ${POSTED}) continue;
    const argc = ctrl[base + 2];
    const args = [];
    for (let i = 0; i < argc; i++) args.push(ctrl[base + 3 + i]);
    try {
      fns[ctrl[base + 1]](...args);
      ctrl[base + ${ERROR_WORD}] = 0;
    } catch (e) {
      ctrl[base + ${ERROR_WORD}] = 1;
    }
    Atomics.store(ctrl, base, ${DONE});
    Atomics.notify(ctrl, base);
  }
});
`;

let requested: number | null = null;
let cores = 1;
let workers: WorkerHandle[] = [];
let control: Int32Array | null = null;
let starting: Promise<void> | null = null;
/** Whether this thread may block in Atomics.wait (a browser's main thread may not). */
let canWait = true;
let warned = false;

type Env = { navigator?: { hardwareConcurrency?: number }; process?: { versions?: { node?: string } }; Worker?: unknown; crossOriginIsolated?: boolean };
const env = globalThis as unknown as Env;
// held in variables so bundlers targeting browsers leave these Node-only imports alone
const NODE_OS = 'node:os';
const NODE_WORKER_THREADS = 'node:worker_threads';
const isNode = !!env.process?.versions?.node;

/** The core count, known synchronously where the runtime says it (browsers, Deno, Bun, Node 21+). */
const detected = env.navigator?.hardwareConcurrency;
if (detected) cores = detected;
/** Resolves once the core count is known everywhere (Node 20 has no navigator). */
export const coresKnown: Promise<void> =
  detected || !isNode
    ? Promise.resolve()
    : import(/* @vite-ignore */ NODE_OS).then(
        (os: { availableParallelism?: () => number; cpus: () => unknown[] }) => void (cores = os.availableParallelism?.() ?? os.cpus().length),
        () => undefined,
      );

function warnOnce(message: string): void {
  if (warned) return;
  warned = true;
  console.warn(`torchlet: ${message}; running on fewer threads`);
}

/** Sets how many threads kernels may use (this one included). 1 turns the pool off. */
export function setNumThreads(n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new Error(`setNumThreads: expected a positive integer, got ${n}`);
  requested = n;
  // fewer threads than workers: the extra workers stay parked (asleep in Atomics.wait, no CPU, and
  // the process still exits), so raising the number again takes effect at once, as in PyTorch
}

/**
 * The number of threads kernels use: setNumThreads' value, else the number
 * of cores; 1 where threads are impossible (no shared memory, a page without
 * cross-origin isolation, workerd).
 */
export function getNumThreads(): number {
  return loaded() && !threadsPossible() ? 1 : (requested ?? cores);
}

/** Threads are possible: shared memory, and a way to start workers that can share it. */
function threadsPossible(): boolean {
  if (!wasm().shared) return false;
  if (isNode) return true;
  return typeof env.Worker === 'function' && env.crossOriginIsolated !== false;
}

/** Threads running kernels now: this one plus the live workers it may use (no side effects). */
export function runningThreads(): number {
  return Math.min(getNumThreads(), 1 + workers.filter((w) => w.alive).length);
}

/** Live workers, starting the pool in the background the first time more threads are wanted. */
export function liveWorkers(): WorkerHandle[] {
  const want = getNumThreads() - 1;
  if (want > workers.length && !starting && threadsPossible()) starting = start(want).finally(() => (starting = null));
  return workers.filter((w) => w.alive);
}

/**
 * Starts the pool when more threads are wanted and possible, and resolves once
 * its workers are up (or after 2 s at most): ready() waits for it, so code
 * that awaited ready() gets every thread even if it never yields again.
 */
export function poolStarted(): Promise<void> {
  if (getNumThreads() <= 1) return Promise.resolve();
  liveWorkers();
  if (!starting) return Promise.resolve();
  return new Promise<void>((resolve) => {
    // a ref'd timer: the workers are unref'd, and something must keep the event loop turning until they answer
    const timer = setTimeout(resolve, 2000);
    starting!.then(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

async function spawn(): Promise<(slot: number) => { post(m: unknown): void; on(e: string, f: (x: unknown) => void): void; terminate(): void }> {
  if (isNode) {
    const wt = (await import(/* @vite-ignore */ NODE_WORKER_THREADS)) as {
      Worker: new (src: string, o: { eval: boolean }) => { postMessage(m: unknown): void; once(e: string, f: (x: unknown) => void): void; on(e: string, f: (x: unknown) => void): void; terminate(): void; unref(): void };
    };
    return () => {
      const w = new wt.Worker(WORKER_SOURCE, { eval: true });
      return {
        post: (m) => w.postMessage(m),
        // a 'message' listener refs the worker's port: take it once, and unref again afterwards,
        // so an idle pool never keeps the process alive
        on: (e, f) => {
          if (e === 'message') w.once(e, f);
          else w.on(e, f);
          w.unref();
        },
        terminate: () => w.terminate(),
      };
    };
  }
  const url = URL.createObjectURL(new Blob([WORKER_SOURCE], { type: 'text/javascript' }));
  const W = env.Worker as new (u: string, o: { type: 'module' }) => { postMessage(m: unknown): void; addEventListener(e: string, f: (x: { data?: unknown }) => void): void; terminate(): void };
  return () => {
    // module workers: Deno runs no other kind
    const w = new W(url, { type: 'module' });
    return {
      post: (m) => w.postMessage(m),
      on: (e, f) => w.addEventListener(e === 'exit' ? 'error' : e, (ev) => f(e === 'message' ? ev.data : ev)),
      terminate: () => w.terminate(),
    };
  };
}

let exitHooked = false;

/**
 * Node's process.exit() terminates workers, and one asleep in Atomics.wait
 * can hang it (Node 20 and 22, about one exit in three): wake every worker
 * with STOP first, so each leaves its loop by itself.
 */
function stopWorkersOnExit(): void {
  const proc = (globalThis as { process?: { once?(e: string, f: () => void): void } }).process;
  if (exitHooked || !proc?.once) return;
  exitHooked = true;
  proc.once('exit', () => {
    for (const w of workers) signalStop(w);
  });
}

function signalStop(w: WorkerHandle): void {
  if (!control) return;
  Atomics.store(control, w.slot * SLOT, STOP);
  Atomics.notify(control, w.slot * SLOT);
}

async function start(want: number): Promise<void> {
  const rt = wasm();
  if (isNode) stopWorkersOnExit();
  let make: Awaited<ReturnType<typeof spawn>>;
  try {
    make = await spawn();
  } catch (e) {
    warnOnce(`worker threads unavailable (${(e as Error).message})`);
    return;
  }
  const slots = Math.max(want, 1);
  if (!control || control.length < slots * SLOT) {
    control = new Int32Array(new SharedArrayBuffer(slots * SLOT * 4));
  }
  if (!isNode) {
    try {
      Atomics.wait(control, 0, 1, 0);
    } catch {
      canWait = false; // a browser main thread: wait for workers by polling instead
    }
  }
  const names = [...POOL_KERNELS];
  const started = await Promise.all(
    Array.from({ length: want - workers.length }, (_, i) => workers.length + i).map(
      (slot) =>
        new Promise<WorkerHandle | null>((resolve) => {
          let w: ReturnType<typeof make>;
          try {
            w = make(slot);
          } catch (e) {
            warnOnce(`a worker failed to start (${(e as Error).message})`);
            resolve(null);
            return;
          }
          const handle: WorkerHandle = { slot, alive: false, terminate: () => w.terminate() };
          const timer = setTimeout(() => {
            warnOnce('a worker did not start within 10 s');
            w.terminate();
            resolve(null);
          }, 10_000);
          (timer as { unref?: () => void }).unref?.();
          w.on('message', (m) => {
            clearTimeout(timer);
            const ok = (m as { ready?: boolean }).ready === true;
            if (!ok) warnOnce(`a worker failed to start (${(m as { error?: string }).error})`);
            handle.alive = ok;
            resolve(ok ? handle : null);
          });
          // a worker that fails before it is ready is given up at once, not after the timeout
          w.on('error', (e) => {
            handle.alive = false;
            warnOnce(`a worker died (${(e as Error)?.message ?? e})`);
            clearTimeout(timer);
            resolve(null);
          });
          w.on('exit', () => {
            handle.alive = false;
            clearTimeout(timer);
            resolve(null);
          });
          w.post({ modules: rt.modules, memory: rt.memory, control: control!.buffer, slot, names });
        }),
    ),
  );
  workers = [...workers, ...(started.filter(Boolean) as WorkerHandle[])].slice(0, Math.max(getNumThreads() - 1, 0));
}

function post(w: WorkerHandle, job: Job): void {
  const c = control!, base = w.slot * SLOT;
  if (job.args.length > MAX_ARGS) throw new Error('torchlet: too many kernel arguments for a worker job');
  c[base + 1] = POOL_KERNELS.indexOf(job.kernel);
  c[base + 2] = job.args.length;
  job.args.forEach((a, i) => (c[base + 3 + i] = a));
  Atomics.store(c, base, POSTED);
  Atomics.notify(c, base);
}

/** Waits for a worker's job; false if the worker died or never claimed it (the job is then not done). */
function join(w: WorkerHandle, job: Job, stallMs: number): boolean {
  const c = control!, base = w.slot * SLOT;
  const claimBy = performance.now() + CLAIM_MS;
  const stalledAt = performance.now() + stallMs;
  for (let s = Atomics.load(c, base); s !== DONE; s = Atomics.load(c, base)) {
    // a job not yet claimed can be taken back safely: no worker will touch it afterwards
    if (s === POSTED && (!w.alive || performance.now() > claimBy) && Atomics.compareExchange(c, base, POSTED, IDLE) === POSTED) {
      w.alive = false;
      w.terminate();
      return false;
    }
    if (s === RUNNING && !w.alive) return false; // died mid-job: it writes nothing more
    if (s === RUNNING && job.idempotent && performance.now() > stalledAt) {
      // the slot stays RUNNING, so the dropped worker can never be handed another job
      w.alive = false;
      w.terminate();
      return false;
    }
    if (canWait) Atomics.wait(c, base, s, s === POSTED ? Math.max(claimBy - performance.now(), 1) : 1000);
  }
  const failed = c[base + ERROR_WORD] !== 0;
  Atomics.store(c, base, IDLE);
  if (failed) throw new Error('torchlet: a kernel failed in a worker thread');
  return true;
}

/**
 * Runs jobs[0] on this thread and the rest on workers, and returns when all
 * are done. Jobs beyond the live workers, or left by a dying worker, run here.
 */
export function runParallel(jobs: readonly Job[], local: (job: Job) => void): void {
  const pool = liveWorkers();
  const posted: [WorkerHandle, Job][] = [];
  for (let i = 1; i < jobs.length && posted.length < pool.length; i++) {
    const w = pool[posted.length];
    post(w, jobs[i]);
    posted.push([w, jobs[i]]);
  }
  const t0 = performance.now();
  local(jobs[0]);
  for (let i = posted.length + 1; i < jobs.length; i++) local(jobs[i]);
  const stallMs = Math.max(STALL_MIN_MS, STALL_FACTOR * (performance.now() - t0));
  for (const [w, job] of posted) {
    if (!join(w, job, stallMs)) {
      warnOnce('a worker thread died or stopped responding');
      local(job);
    }
  }
}

/** Stops every worker (tests, or a host that wants its threads back). */
export function shutdownThreads(): void {
  for (const w of workers) {
    signalStop(w);
    w.terminate();
  }
  workers = [];
}
