// nn.Module and nn.Parameter. Submodules and parameters register
// themselves by plain property assignment (`this.fc = new nn.Linear(...)`),
// in assignment order, exactly as PyTorch's __setattr__ does; buffers are
// registered explicitly with registerBuffer.
import { Tensor } from '../tensor/tensor';
import type { DType } from '../tensor/dtype';
import { noGrad } from '../autograd/grad_mode';
import { formatTensor } from '../print/format';
import { readFlat } from '../tensor/data';
import { keep } from '../tensor/lifetime';

/** A tensor that a Module owns as a learnable parameter (requiresGrad by default). */
export class Parameter extends Tensor {
  constructor(data: Tensor, requiresGrad = true) {
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

export interface LoadResult {
  missingKeys: string[];
  unexpectedKeys: string[];
}

const sizeStr = (shape: readonly number[]): string => `torch.Size([${shape.join(', ')}])`;

export abstract class Module {
  training = true;
  /** Buffers (running statistics and the like): saved in stateDict, not trained. */
  private readonly _buffers = new Map<string, Tensor | null>();

  abstract forward(...inputs: unknown[]): unknown;

  /** Parameters and submodules directly on this module, in registration order. */
  private ownEntries(): [string, unknown][] {
    return Object.entries(this).filter(([k]) => !k.startsWith('_') && k !== 'training');
  }

  registerBuffer(name: string, tensor: Tensor | null): void {
    this._buffers.set(name, tensor);
    Object.defineProperty(this, name, {
      get: () => this._buffers.get(name) ?? null,
      set: (v: Tensor | null) => this._buffers.set(name, v),
      enumerable: false,
      configurable: true,
    });
  }

  registerParameter(name: string, param: Parameter | null): void {
    (this as Record<string, unknown>)[name] = param;
  }

  addModule(name: string, module: Module | null): void {
    (this as Record<string, unknown>)[name] = module;
  }

  *namedChildren(): Generator<[string, Module]> {
    for (const [k, v] of this.ownEntries()) if (v instanceof Module) yield [k, v];
  }

  children(): Module[] {
    return [...this.namedChildren()].map(([, m]) => m);
  }

  /** This module and every descendant, depth first, each once. */
  namedModules(prefix = ''): [string, Module][] {
    const out: [string, Module][] = [];
    const seen = new Set<Module>();
    const stack: [string, Module][] = [[prefix, this]];
    while (stack.length) {
      const [name, m] = stack.pop()!;
      if (seen.has(m)) continue;
      seen.add(m);
      out.push([name, m]);
      const kids = [...m.namedChildren()].map(([k, c]): [string, Module] => [name ? `${name}.${k}` : k, c]);
      for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]);
    }
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
      for (const [k, v] of m.ownEntries()) {
        if (v instanceof Parameter && !seen.has(v)) {
          seen.add(v);
          out.push([prefix ? `${prefix}.${k}` : k, v]);
        }
      }
    }
    return out;
  }

  parameters(): Parameter[] {
    return this.namedParameters().map(([, p]) => p);
  }

  namedBuffers(): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    for (const [prefix, m] of this.namedModules()) {
      for (const [k, v] of m._buffers) if (v) out.push([prefix ? `${prefix}.${k}` : k, v]);
    }
    return out;
  }

  buffers(): Tensor[] {
    return this.namedBuffers().map(([, b]) => b);
  }

  train(mode = true): this {
    for (const m of this.modules()) m.training = mode;
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

  /** Parameters and buffers by dotted name, sharing storage with the module. */
  stateDict(): StateDict {
    const sd: StateDict = {};
    for (const [k, p] of this.namedParameters()) sd[k] = p.detach();
    for (const [k, b] of this.namedBuffers()) sd[k] = b.detach();
    return sd;
  }

  /** Copies values in; with strict (the default) keys must match exactly. Shapes must always match. */
  loadStateDict(stateDict: StateDict, strict = true): LoadResult {
    const own = new Map<string, Tensor>([...this.namedParameters(), ...this.namedBuffers()]);
    const missingKeys = [...own.keys()].filter((k) => !(k in stateDict));
    const unexpectedKeys = Object.keys(stateDict).filter((k) => !own.has(k));
    const errors: string[] = [];
    if (strict) {
      if (unexpectedKeys.length) errors.push(`Unexpected key(s) in state_dict: ${unexpectedKeys.map((k) => `"${k}"`).join(', ')}. `);
      if (missingKeys.length) errors.push(`Missing key(s) in state_dict: ${missingKeys.map((k) => `"${k}"`).join(', ')}. `);
    }
    for (const [k, t] of own) {
      const src = stateDict[k];
      if (!src) continue;
      if (!(src instanceof Tensor)) {
        errors.push(`While copying the parameter named "${k}", expected torch.Tensor or Tensor-like object from checkpoint but received ${typeof src}`);
      } else if (src.shape.join() !== t.shape.join()) {
        errors.push(`size mismatch for ${k}: copying a param with shape ${sizeStr(src.shape)} from checkpoint, the shape in current model is ${sizeStr(t.shape)}.`);
      }
    }
    if (errors.length) throw new Error(`Error(s) in loading state_dict for ${this.constructor.name}:\n\t${errors.join('\n\t')}`);
    noGrad(() => {
      for (const [k, t] of own) if (stateDict[k]) t.copy_(stateDict[k]);
    });
    return { missingKeys, unexpectedKeys };
  }

  /** Casts every parameter and buffer to a floating dtype (module.double(), module.float()). */
  to(dtype: DType | string): this {
    noGrad(() => {
      for (const m of this.modules()) {
        for (const [k, v] of m.ownEntries()) {
          if (v instanceof Parameter) {
            const cast = v.to(dtype as DType);
            if (cast !== v) (m as unknown as Record<string, unknown>)[k] = new Parameter(cast, v.requiresGrad);
          }
        }
        for (const [k, b] of m._buffers) if (b) m._buffers.set(k, b.to(dtype as DType));
      }
    });
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

  toString(): string {
    const kids = [...this.namedChildren()];
    const extra = this.extraRepr();
    const name = this.constructor.name;
    if (kids.length === 0) return `${name}(${extra})`;
    const lines = extra ? extra.split('\n') : [];
    for (const [k, m] of kids) lines.push(`(${k}): ${String(m).split('\n').join('\n  ')}`);
    return `${name}(\n  ${lines.join('\n  ')}\n)`;
  }

  /** Frees every parameter, buffer and gradient this module owns. */
  dispose(): void {
    for (const p of this.parameters()) p.dispose();
    for (const b of this.buffers()) b.dispose();
  }
}

// console.log(module) in Node prints the PyTorch-style repr
Object.defineProperty(Module.prototype, Symbol.for('nodejs.util.inspect.custom'), {
  value: function (this: Module) {
    return this.toString();
  },
});
