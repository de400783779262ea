// torch.Generator: PyTorch's CPU generator (mt19937 plus the cached normal
// samples), its seed rules and its byte-exact get_state()/set_state()
// layout, so states move between torchlet and PyTorch. The mt19937 words
// live in a wasm buffer the kernels update in place.
import { Tensor } from '../tensor/tensor';
import { wasm } from '../devices/wasm/module';
import { kernel } from '../devices/wasm/backend';

/** Bytes of generator state the kernels expect (assembly/random.ts GEN_BYTES) and its field offsets. */
const GEN_BYTES = 2528;
const LEFT = 2496, NEXT = 2500, DVALID = 2504, FVALID = 2508, DNORMAL = 2512, FNORMAL = 2520;

/** PyTorch's default_rng_seed_val: what a new torch.Generator() starts from. */
export const DEFAULT_SEED = 67280421310721;

/** sizeof(CPUGeneratorImplState) and of the older CPUGeneratorImplStateLegacy. */
const STATE_BYTES = 5056;
const LEGACY_BYTES = 5048;

const freeState = new FinalizationRegistry<number>((ptr) => wasm().allocator.free(ptr));

/**
 * A seed as PyTorch's manual_seed reads it: any integer in
 * [-2^63, 2^64); negative ones wrap to unsigned, fractions truncate.
 */
function toSeed(seed: number | bigint): bigint {
  let s: bigint;
  if (typeof seed === 'bigint') s = seed;
  else if (typeof seed === 'number' && Number.isFinite(seed)) s = BigInt(Math.trunc(seed));
  else throw new TypeError(`manual_seed expected an integer seed, got ${String(seed)}`);
  if (s < -(2n ** 63n) || s >= 2n ** 64n) throw new RangeError('Overflow when unpacking long');
  return BigInt.asUintN(64, s);
}

/** A fresh seed from the platform's entropy, kept below 2^53 so initialSeed() round-trips as a number. */
function entropySeed(): number {
  const words = new Uint32Array(2);
  const c = (globalThis as { crypto?: { getRandomValues?(a: Uint32Array): Uint32Array } }).crypto;
  try {
    c!.getRandomValues!(words);
  } catch {
    // no Web Crypto, or workerd at global scope, where it throws "Disallowed operation"
    for (let i = 0; i < 2; i++) words[i] = Math.floor(Math.random() * 2 ** 32);
  }
  return (words[0] & 0x1fffff) * 2 ** 32 + words[1];
}

export class Generator {
  /** @internal byte address of the kernel state */
  readonly _ptr: number;
  private _seed = 0n;

  /** `new torch.Generator()` starts from PyTorch's fixed default seed. */
  constructor(options: { device?: string } = {}) {
    if (options.device !== undefined && options.device !== 'cpu' && options.device !== 'wasm') {
      throw new Error(`Generator: device '${options.device}' is not available; torchlet generates on 'cpu'`);
    }
    this._ptr = wasm().allocator.alloc(GEN_BYTES);
    freeState.register(this, this._ptr);
    this.manualSeed(DEFAULT_SEED);
  }

  get device(): 'cpu' {
    return 'cpu';
  }

  /** Reseeds (only the low 32 bits reach mt19937, as in PyTorch) and drops cached normals. */
  manualSeed(seed: number | bigint): this {
    this._seed = toSeed(seed);
    kernel('gen_seed')(this._ptr, Number(this._seed & 0xffffffffn));
    return this;
  }

  /** The seed last set (a number; seeds at or above 2^53 lose precision). */
  initialSeed(): number {
    return Number(this._seed);
  }

  /** Reseeds from platform entropy and returns the new seed. */
  seed(): number {
    const s = entropySeed();
    this.manualSeed(s);
    return s;
  }

  /** @internal one raw 32-bit draw */
  _next32(): number {
    return kernel('gen_next32')(this._ptr) >>> 0;
  }

  /** The state as a uint8 tensor laid out like PyTorch's CPUGeneratorImplState (5056 bytes). */
  getState(): Tensor {
    const mem = wasm().memory.buffer;
    const src = new DataView(mem, this._ptr, GEN_BYTES);
    const out = Tensor.empty([STATE_BYTES], 'uint8');
    const bytes = new Uint8Array(mem, out.ptr, STATE_BYTES);
    bytes.fill(0);
    const dst = new DataView(mem, out.ptr, STATE_BYTES);
    dst.setBigUint64(0, this._seed, true);
    dst.setInt32(8, src.getInt32(LEFT, true), true);
    dst.setInt32(12, 1, true); // seeded
    dst.setBigUint64(16, BigInt(src.getInt32(NEXT, true)), true);
    for (let i = 0; i < 624; i++) dst.setBigUint64(24 + 8 * i, BigInt(src.getUint32(4 * i, true)), true);
    // normal_x and normal_rho stay 0: PyTorch keeps the cached sample itself in normal_y
    if (src.getInt32(DVALID, true)) {
      dst.setFloat64(5024, src.getFloat64(DNORMAL, true), true);
      dst.setInt32(5040, 1, true);
    }
    if (src.getInt32(FVALID, true)) {
      dst.setFloat32(5048, src.getFloat32(FNORMAL, true), true);
      dst.setUint8(5052, 1);
    }
    return out;
  }

  /** Restores a state from getState() (or PyTorch's get_state(), either layout). */
  setState(state: Tensor): this {
    if (!(state instanceof Tensor) || state.dtype !== 'uint8') throw new TypeError('RNG state must be a torch.ByteTensor');
    const n = state.numel();
    if (n !== STATE_BYTES && n !== LEGACY_BYTES) {
      throw new Error(
        `Expected either a CPUGeneratorImplStateLegacy of size ${LEGACY_BYTES} or a CPUGeneratorImplState of size ${STATE_BYTES} but found the input RNG state size to be ${n}`,
      );
    }
    const raw = state.toTypedArray() as Uint8Array;
    const v = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    const left = v.getInt32(8, true);
    const seeded = v.getInt32(12, true) !== 0;
    const next = v.getBigUint64(16, true) & 0xffffffffn;
    if (!seeded || left <= 0 || left > 624 || next > 624n) throw new Error('Invalid mt19937 state');
    let dvalid = 0, dnormal = 0, fvalid = 0, fnormal = 0;
    if (v.getInt32(5040, true)) {
      dvalid = 1;
      // the legacy layout kept (x, rho) of the pending Box-Muller pair; the current one the sample
      dnormal = n === STATE_BYTES ? v.getFloat64(5024, true) : v.getFloat64(5032, true) * Math.sin(2 * Math.PI * v.getFloat64(5016, true));
    }
    if (n === STATE_BYTES && v.getUint8(5052)) {
      fvalid = 1;
      fnormal = v.getFloat32(5048, true);
    }
    const dst = new DataView(wasm().memory.buffer, this._ptr, GEN_BYTES);
    for (let i = 0; i < 624; i++) dst.setUint32(4 * i, Number(v.getBigUint64(24 + 8 * i, true) & 0xffffffffn), true);
    dst.setInt32(LEFT, left, true);
    dst.setInt32(NEXT, Number(next), true);
    dst.setInt32(DVALID, dvalid, true);
    dst.setInt32(FVALID, fvalid, true);
    dst.setFloat64(DNORMAL, dnormal, true);
    dst.setFloat32(FNORMAL, fnormal, true);
    this._seed = v.getBigUint64(0, true);
    return this;
  }
}

let defaultGen: Generator | null = null;

/**
 * The global generator. Like PyTorch's default CPU generator it is seeded
 * from entropy when first used, so unseeded runs differ; call
 * manualSeed() for reproducible numbers.
 */
export function defaultGenerator(): Generator {
  if (!defaultGen) {
    defaultGen = new Generator();
    defaultGen.seed();
  }
  return defaultGen;
}

/** Seeds the global generator without first drawing entropy (which workerd forbids at global scope). */
export function manualSeedDefault(seed: number | bigint): Generator {
  defaultGen ??= new Generator();
  return defaultGen.manualSeed(seed);
}
