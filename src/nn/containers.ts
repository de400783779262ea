// Containers: Sequential, ModuleList, ModuleDict. Children are stored as
// properties named '0', '1', ... (or by key), so they register like any
// other submodule and index like PyTorch's: `seq[0]`. Lengths, iteration and
// forward go over every slot (PyTorch's _modules.values()), so a module placed
// twice runs twice, although children() lists it once.
import type { Tensor } from '../tensor/tensor';
import { Module } from './module';

const slotModules = (m: Module): Module[] => m._moduleSlots().flatMap(([, c]) => (c ? [c] : []));

export class Sequential extends Module {
  [index: number]: Module;

  constructor(...modules: Module[]) {
    super();
    modules.forEach((m, i) => this.addModule(String(i), m));
  }

  get length(): number {
    return this._moduleSlots().length;
  }

  forward(x: Tensor): Tensor {
    let y: unknown = x;
    for (const m of this) y = m.forward(y);
    return y as Tensor;
  }

  append(m: Module): this {
    this.addModule(String(this.length), m);
    return this;
  }

  [Symbol.iterator](): Iterator<Module> {
    return slotModules(this)[Symbol.iterator]();
  }
}

export class ModuleList extends Module {
  [index: number]: Module;

  constructor(modules: Iterable<Module> = []) {
    super();
    for (const m of modules) this.append(m);
  }

  get length(): number {
    return this._moduleSlots().length;
  }

  append(m: Module): this {
    this.addModule(String(this.length), m);
    return this;
  }

  extend(ms: Iterable<Module>): this {
    for (const m of ms) this.append(m);
    return this;
  }

  forward(): never {
    throw new Error('ModuleList is not callable: iterate over its modules instead');
  }

  [Symbol.iterator](): Iterator<Module> {
    return slotModules(this)[Symbol.iterator]();
  }
}

export class ModuleDict extends Module {
  constructor(modules: Record<string, Module> = {}) {
    super();
    for (const [k, m] of Object.entries(modules)) this.addModule(k, m);
  }

  get(key: string): Module | undefined {
    return this._moduleSlots().find(([k]) => k === key)?.[1] ?? undefined;
  }

  keys(): string[] {
    return this._moduleSlots().map(([k]) => k);
  }

  forward(): never {
    throw new Error('ModuleDict is not callable: look its modules up instead');
  }
}
