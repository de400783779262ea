// nn.Module and nn.Parameter. Submodules and parameters register
// themselves by plain property assignment (`this.fc = new nn.Linear(...)`),
// in assignment order, exactly as PyTorch's __setattr__ does; buffers are
// registered explicitly with registerBuffer. Any property name counts,
// including ones starting with '_' (PyTorch registers `self._hidden` too);
// the module's own bookkeeping lives in private fields.
//
// Traps, all as PyTorch: names, children and modules are listed once per
// object (a module or parameter shared under two names appears under the
// first), but stateDict and loadStateDict walk every name, so a shared
// module's parameters appear (and are expected) under each of its names.
import { Tensor } from '../tensor/tensor';
import { pyTypeName } from '../ops/operands';
import { type DType, isFloating, toDType, torchName } from '../tensor/dtype';
import { noGrad } from '../autograd/grad_mode';
import { formatTensor } from '../print/format';
import { readFlat } from '../tensor/data';
import { isDeviceName, moveTo, toDevice, type DeviceLike, type TorchDevice } from '../tensor/device';
import type { Device } from '../tensor/storage';
import { keep } from '../tensor/lifetime';
import { loadInto, type LoadResult } from './state_dict';

export type { LoadResult } from './state_dict';

/** A tensor that a Module owns as a learnable parameter (requiresGrad by default). */
export class Parameter extends Tensor {
  constructor(data: Tensor, requiresGrad = true) {
    if (requiresGrad && !isFloating(data.dtype)) throw new Error('Only Tensors of floating point and complex dtype can require gradients');
    super(data.storage.retain(), data.shape, data.strides, data.offset, data.dtype);
    if (requiresGrad) this.requiresGrad = true;
    // a module's parameters live as long as the module, even when it is built inside tidy()
    keep(this);
  }

  override toString(): string {
    return `Parameter containing:\n${formatTensor({ shape: this.shape, dtype: this.dtype, values: readFlat(this), requiresGrad: this.requiresGrad, gradFn: null })}`;
  }
}

export type StateDict = Record<string, Tensor>;

export abstract class Module {
  training = true;
  /** Buffers (running statistics, loss weights): saved in stateDict unless non-persistent, never trained. */
  readonly #buffers = new Map<string, Tensor | null>();
  readonly #nonPersistent = new Set<string>();
  /** Names registered with addModule(name, null): child slots that hold no module. */
  readonly #emptyModuleSlots = new Set<string>();

  abstract forward(...inputs: unknown[]): unknown;

  /** @internal Every registered child slot in order, shared modules under each name; null for empty slots. */
  _moduleSlots(): [string, Module | null][] {
    const out: [string, Module | null][] = [];
    for (const [k, v] of Object.entries(this)) {
      if (v instanceof Module) out.push([k, v]);
      else if (v === null && this.#emptyModuleSlots.has(k)) out.push([k, null]);
    }
    return out;
  }

  /** @internal This module's own parameters in registration order (null slots skipped). */
  _ownParameters(): [string, Parameter][] {
    return Object.entries(this).filter((e): e is [string, Parameter] => e[1] instanceof Parameter);
  }

  /** @internal This module's own buffers; with persistentOnly, those stateDict saves. */
  _ownBuffers(persistentOnly = false): [string, Tensor][] {
    return [...this.#buffers].filter((e): e is [string, Tensor] => e[1] !== null && !(persistentOnly && this.#nonPersistent.has(e[0])));
  }

  registerBuffer(name: string, tensor: Tensor | null, persistent = true): void {
    if (name.includes('.')) throw new Error(`buffer name can't contain "."`);
    if (name === '') throw new Error(`buffer name can't be empty string ""`);
    this.#buffers.set(name, tensor);
    if (persistent) this.#nonPersistent.delete(name);
    else this.#nonPersistent.add(name);
    Object.defineProperty(this, name, {
      get: () => this.#buffers.get(name) ?? null,
      set: (v: Tensor | null) => this.#buffers.set(name, v),
      enumerable: false,
      configurable: true,
    });
  }

  registerParameter(name: string, param: Parameter | null): void {
    (this as Record<string, unknown>)[name] = param;
  }

  addModule(name: string, module: Module | null): void {
    if (module === null) this.#emptyModuleSlots.add(name);
    else this.#emptyModuleSlots.delete(name);
    (this as Record<string, unknown>)[name] = module;
  }

  registerModule(name: string, module: Module | null): void {
    this.addModule(name, module);
  }

  /** Direct children, each module once (PyTorch's named_children). */
  *namedChildren(): Generator<[string, Module]> {
    const seen = new Set<Module>();
    for (const [k, m] of this._moduleSlots()) {
      if (m && !seen.has(m)) {
        seen.add(m);
        yield [k, m];
      }
    }
  }

  children(): Module[] {
    return [...this.namedChildren()].map(([, m]) => m);
  }

  /** This module and every descendant, pre-order, each once under its first name. */
  namedModules(prefix = ''): [string, Module][] {
    const out: [string, Module][] = [];
    const seen = new Set<Module>();
    const visit = (name: string, m: Module): void => {
      if (seen.has(m)) return;
      seen.add(m);
      out.push([name, m]);
      for (const [k, c] of m._moduleSlots()) if (c) visit(name ? `${name}.${k}` : k, c);
    };
    visit(prefix, this);
    return out;
  }

  modules(): Module[] {
    return this.namedModules().map(([, m]) => m);
  }

  /** [dotted name, parameter] pairs, as PyTorch's named_parameters (shared parameters listed once). */
  namedParameters(): [string, Parameter][] {
    const out: [string, Parameter][] = [];
    const seen = new Set<Tensor>();
    for (const [prefix, m] of this.namedModules()) {
      for (const [k, p] of m._ownParameters()) {
        if (seen.has(p)) continue;
        seen.add(p);
        out.push([prefix ? `${prefix}.${k}` : k, p]);
      }
    }
    return out;
  }

  parameters(): Parameter[] {
    return this.namedParameters().map(([, p]) => p);
  }

  /** Every buffer, persistent or not, each once. */
  namedBuffers(): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    const seen = new Set<Tensor>();
    for (const [prefix, m] of this.namedModules()) {
      for (const [k, b] of m._ownBuffers()) {
        if (seen.has(b)) continue;
        seen.add(b);
        out.push([prefix ? `${prefix}.${k}` : k, b]);
      }
    }
    return out;
  }

  buffers(): Tensor[] {
    return this.namedBuffers().map(([, b]) => b);
  }

  train(mode = true): this {
    if (typeof mode !== 'boolean') throw new Error('training mode is expected to be boolean');
    this.training = mode;
    for (const c of this.children()) c.train(mode);
    return this;
  }

  eval(): this {
    return this.train(false);
  }

  /** Zeroes every parameter's gradient (PyTorch 1.13's default), or drops it with setToNone. */
  zeroGrad(setToNone = false): void {
    for (const p of this.parameters()) {
      if (!p.grad) continue;
      if (setToNone) {
        p.grad.dispose();
        p.grad = null;
      } else {
        noGrad(() => p.grad!.zero_());
      }
    }
  }

  requiresGrad_(requiresGrad = true): this {
    for (const p of this.parameters()) p.requiresGrad = requiresGrad;
    return this;
  }

  /**
   * Parameters and persistent buffers by dotted name, sharing storage with the
   * module: each module's parameters, then its buffers, then its children's.
   */
  stateDict(prefix = ''): StateDict {
    const sd: StateDict = {};
    const visit = (m: Module, pre: string): void => {
      for (const [k, p] of m._ownParameters()) sd[pre + k] = p.detach();
      for (const [k, b] of m._ownBuffers(true)) sd[pre + k] = b.detach();
      for (const [k, c] of m._moduleSlots()) if (c) visit(c, `${pre}${k}.`);
    };
    visit(this, prefix);
    return sd;
  }

  /**
   * Copies values in, as PyTorch's load_state_dict: shapes must match (a 1-element
   * 1-D value fills a 0-d parameter), missing and unexpected keys are errors when
   * strict. Like PyTorch, values that fit are copied even when an error is thrown.
   */
  loadStateDict(stateDict: StateDict, strict = true): LoadResult {
    if (stateDict === null || typeof stateDict !== 'object') throw new TypeError(`Expected state_dict to be dict-like, got <class '${pyTypeName(stateDict)}'>.`);
    return loadInto(this, stateDict, strict);
  }

  /**
   * Casts every floating-point parameter, gradient and buffer (module.double(), module.float()),
   * or moves every parameter, gradient and buffer to a device ('webgpu', 'wasm').
   */
  to(dtypeOrDevice: DType | string | TorchDevice): this {
    if (isDeviceName(dtypeOrDevice)) return this._toDevice(toDevice(dtypeOrDevice as DeviceLike));
    const d = toDType(dtypeOrDevice as DType | string);
    if (!isFloating(d)) throw new TypeError(`nn.Module.to only accepts floating point or complex dtypes, but got desired dtype=${torchName(d)}`);
    noGrad(() => {
      for (const m of this.modules()) {
        for (const [, p] of m._ownParameters()) {
          if (!isFloating(p.dtype) || p.dtype === d) continue;
          // the same Parameter objects, so an optimizer built before .to() still holds them
          const view = p.detach();
          const converted = view.to(d);
          view.dispose();
          p.data = converted;
          converted.dispose();
          if (p.grad) {
            const g = p.grad.to(d);
            p.grad.data = g;
            g.dispose();
          }
        }
        for (const [k, b] of m._ownBuffers()) if (isFloating(b.dtype)) m.#buffers.set(k, b.to(d));
      }
    });
    return this;
  }

  /** @internal The same Parameter objects get the moved storage, so optimizers built earlier keep working. */
  _toDevice(device: Device): this {
    const move = (t: Tensor): void => {
      const view = t.detach();
      const moved = moveTo(view, device);
      view.dispose();
      t.data = moved;
      moved.dispose();
    };
    noGrad(() => {
      for (const m of this.modules()) {
        for (const [, p] of m._ownParameters()) {
          if (p.device === device) continue;
          move(p);
          if (p.grad) move(p.grad);
        }
        for (const [k, b] of m._ownBuffers()) if (b.device !== device) m.#buffers.set(k, moveTo(b, device));
      }
    });
    return this;
  }

  /** module.to(device) that also goes from webgpu back to wasm (which needs the GPU's answer). */
  async toAsync(device: DeviceLike): Promise<this> {
    const d = toDevice(device);
    if (d !== 'wasm') return this._toDevice(d);
    const move = async (t: Tensor): Promise<void> => {
      if (t.device === d) return;
      const moved = await t.toAsync(d);
      t.data = moved;
      moved.dispose();
    };
    for (const m of this.modules()) {
      for (const [, p] of m._ownParameters()) {
        await move(p);
        if (p.grad) await move(p.grad);
      }
      for (const [, b] of m._ownBuffers()) await move(b);
    }
    return this;
  }

  double(): this {
    return this.to('float64');
  }

  float(): this {
    return this.to('float32');
  }

  /** Applies fn to every submodule (children first) and this module, as PyTorch's apply. */
  apply(fn: (m: Module) => void): this {
    for (const c of this.children()) c.apply(fn);
    fn(this);
    return this;
  }

  /** What appears inside the parentheses of this module's repr. */
  extraRepr(): string {
    return '';
  }

  /** PyTorch's Module.__repr__: extra_repr lines, then each child slot indented. */
  toString(): string {
    const extra = this.extraRepr();
    const extraLines = extra ? extra.split('\n') : [];
    const childLines = this._moduleSlots().map(([k, m]) => `(${k}): ${m === null ? 'None' : String(m).split('\n').join('\n  ')}`);
    const lines = [...extraLines, ...childLines];
    const name = this.constructor.name;
    if (lines.length === 0) return `${name}()`;
    if (extraLines.length === 1 && childLines.length === 0) return `${name}(${extraLines[0]})`;
    return `${name}(\n  ${lines.join('\n  ')}\n)`;
  }

  /** Frees every parameter, buffer and gradient this module owns. */
  dispose(): void {
    for (const p of this.parameters()) p.dispose();
    for (const b of this.buffers()) b.dispose();
  }
}

// the bundler renames classes that refer to their own private fields
Object.defineProperty(Module, 'name', { value: 'Module' });

// console.log(module) in Node prints the PyTorch-style repr
Object.defineProperty(Module.prototype, Symbol.for('nodejs.util.inspect.custom'), {
  value: function (this: Module) {
    return this.toString();
  },
});
