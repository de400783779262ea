// Who frees a tensor: dispose() (or `using`), the innermost tidy() scope, or,
// as a safety net, the FinalizationRegistry once the tensor is garbage.
import type { Storage } from './storage';
import { wasm } from '../devices/wasm/module';

export interface Disposable {
  dispose(): void;
  readonly isDisposed: boolean;
  /** @internal whether the FinalizationRegistry knows it (see track) */
  _registered?: boolean;
}

let liveTensors = 0;
/** tidy() scopes, innermost last; null marks a region whose tensors no scope owns. */
const scopes: (Disposable[] | null)[] = [];

const registry = new FinalizationRegistry<Storage>((storage) => {
  liveTensors--;
  storage.release();
});

/**
 * Registering with the FinalizationRegistry costs about as much as a small
 * op, and most tensors are disposed within microseconds of their creation.
 * So new tensors wait in `pending` and are registered in batches: when
 * PENDING_MAX have piled up, or at the next microtask (before any GC could
 * finalize them, which needs a task boundary). A tensor disposed while it
 * waits is never registered at all.
 */
const pending: Disposable[] = [];
const pendingStorage: Storage[] = [];
const PENDING_MAX = 1024;
let flushQueued = false;

function flush(): void {
  flushQueued = false;
  for (let i = 0; i < pending.length; i++) {
    const t = pending[i];
    if (!t.isDisposed) {
      registry.register(t, pendingStorage[i], t);
      t._registered = true;
    }
  }
  pending.length = 0;
  pendingStorage.length = 0;
}

/** Called by every Tensor constructor. */
export function track(t: Disposable, storage: Storage): void {
  liveTensors++;
  pending.push(t);
  pendingStorage.push(storage);
  if (pending.length >= PENDING_MAX) flush();
  else if (!flushQueued) {
    flushQueued = true;
    queueMicrotask(flush);
  }
  const scope = scopes[scopes.length - 1];
  if (scope) scope.push(t);
}

/** Runs fn so that the tensors it creates belong to no tidy() scope (autograd's saved tensors). */
export function unscoped<T>(fn: () => T): T {
  scopes.push(null);
  try {
    return fn();
  } finally {
    scopes.pop();
  }
}

/** A tensor now holds another storage (`t.data = ...`): the safety net must free that one. */
export function retrack(t: Disposable, storage: Storage): void {
  flush();
  registry.unregister(t);
  registry.register(t, storage, t);
  t._registered = true;
}

/** Called once by Tensor.dispose(), after which isDisposed is true (a pending entry is then skipped). */
export function untrack(t: Disposable): void {
  liveTensors--;
  if (t._registered) {
    t._registered = false;
    registry.unregister(t);
  }
}

/** Keeps a tensor alive past the scope that created it (tidy's `keep`). */
export function keep<T extends Disposable>(t: T): T {
  for (const scope of scopes) {
    const i = scope ? scope.indexOf(t) : -1;
    if (i >= 0) scope![i] = KEPT;
  }
  return t;
}

const KEPT: Disposable = { dispose() {}, isDisposed: true };

function collectReturned(value: unknown, into: Set<unknown>, seen = new Set<unknown>()): void {
  const stack = [value];
  while (stack.length) {
    const v = stack.pop();
    if (v === null || typeof v !== 'object' || seen.has(v)) continue;
    seen.add(v);
    into.add(v);
    if (Array.isArray(v)) stack.push(...v);
    else if (v instanceof Map) stack.push(...v.keys(), ...v.values());
    else if (Object.getPrototypeOf(v) === Object.prototype) stack.push(...Object.values(v));
  }
}

/**
 * Runs fn and disposes every tensor created inside it except those it
 * returns (directly, or inside arrays, Maps and plain objects). Scopes nest.
 * If fn throws, everything it created is disposed and the error propagates.
 */
export function tidy<T>(fn: () => T): T {
  const scope: Disposable[] = [];
  scopes.push(scope);
  let result: T;
  try {
    result = fn();
  } catch (e) {
    scopes.pop();
    for (const t of scope) t.dispose();
    throw e;
  }
  scopes.pop();
  if (result instanceof Promise) {
    for (const t of scope) t.dispose();
    throw new Error('torch.tidy: fn returned a Promise; tidy only supports synchronous functions');
  }
  const returned = new Set<unknown>();
  collectReturned(result, returned);
  const parent = scopes[scopes.length - 1];
  for (const t of scope) {
    if (returned.has(t)) {
      if (parent) parent.push(t);
    } else {
      t.dispose();
    }
  }
  return result;
}

export interface MemoryInfo {
  /** Tensors created and not yet disposed or collected. */
  liveTensors: number;
  /** Bytes held by live storages and internal buffers. */
  liveBytes: number;
  /** Size of the WebAssembly memory (it grows, never shrinks). */
  wasmBytes: number;
}

export function memory(): MemoryInfo {
  const rt = wasm();
  return { liveTensors, liveBytes: rt.allocator.stats().liveBytes, wasmBytes: rt.memory.buffer.byteLength };
}

/**
 * Wraps a composite op: every tensor its body creates and does not return
 * is freed when it returns, and everything it created is freed if it throws.
 */
export function scopedOp<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
  return (...args: A) => tidy(() => fn(...args));
}
