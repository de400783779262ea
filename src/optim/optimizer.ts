// The optimizer base: parameter groups, per-parameter state, zeroGrad and
// stateDict. Updates run without recording gradients and inside a tidy
// scope; state tensors are created outside any scope because they live as
// long as the optimizer.
import { Tensor } from '../tensor/tensor';
import { noGrad } from '../autograd/grad_mode';
import { tidy, unscoped } from '../tensor/lifetime';
import { fmtShape } from '../tensor/shape';

export type ParamGroup<H> = H & { params: Tensor[] };
export type ParamsInput<H> = Iterable<Tensor> | readonly (Partial<H> & { params: Iterable<Tensor> })[];
export type StateValue = Tensor | number;

export interface OptimizerStateDict<H> {
  state: Record<number, Record<string, StateValue>>;
  param_groups: (H & { params: number[] })[];
}

export abstract class Optimizer<H extends { lr: number }> {
  readonly paramGroups: ParamGroup<H>[] = [];
  readonly state = new Map<Tensor, Record<string, StateValue>>();

  constructor(
    params: ParamsInput<H>,
    readonly defaults: H,
  ) {
    const list = [...(params as Iterable<unknown>)];
    if (list.length === 0) throw new Error('optimizer got an empty parameter list');
    type GroupInput = Partial<H> & { params: Iterable<Tensor> };
    const groups: GroupInput[] = list[0] instanceof Tensor ? [{ params: list as Tensor[] } as unknown as GroupInput] : (list as GroupInput[]);
    for (const g of groups) this.addParamGroup(g);
  }

  addParamGroup(group: Partial<H> & { params: Iterable<Tensor> }): void {
    const params = group.params instanceof Tensor ? [group.params] : [...group.params];
    for (const p of params) {
      if (!(p instanceof Tensor)) throw new TypeError(`optimizer can only optimize Tensors, but one of the params is ${typeof p}`);
      if (!p.isLeaf) throw new Error("can't optimize a non-leaf Tensor");
    }
    const existing = new Set(this.paramGroups.flatMap((g) => g.params));
    if (params.some((p) => existing.has(p))) throw new Error('some parameters appear in more than one parameter group');
    const full = { ...this.defaults, ...group, params };
    for (const [k, v] of Object.entries(full)) {
      if (v === undefined) throw new Error(`parameter group didn't specify a value of required optimization parameter ${k}`);
    }
    this.paramGroups.push(full);
  }

  /** Zeroes gradients (PyTorch 1.13's default) or drops them with setToNone. */
  zeroGrad(setToNone = false): void {
    for (const g of this.paramGroups) {
      for (const p of g.params) {
        if (!p.grad) continue;
        if (setToNone) {
          p.grad.dispose();
          p.grad = null;
        } else {
          noGrad(() => p.grad!.zero_());
        }
      }
    }
  }

  /** One update of every parameter that has a gradient; returns the closure's loss if one is given. */
  step(closure?: () => Tensor): Tensor | undefined {
    const loss = closure ? closure() : undefined;
    noGrad(() =>
      tidy(() => {
        for (const group of this.paramGroups) {
          for (const p of group.params) {
            if (p.grad && !p.isDisposed) this.update(p, p.grad, group, this.stateOf(p));
          }
        }
      }),
    );
    return loss;
  }

  /** Applies the rule to one parameter. Runs under noGrad inside tidy. */
  protected abstract update(p: Tensor, grad: Tensor, group: ParamGroup<H>, state: Record<string, StateValue>): void;

  private stateOf(p: Tensor): Record<string, StateValue> {
    let s = this.state.get(p);
    if (!s) this.state.set(p, (s = {}));
    return s;
  }

  /** A state tensor that outlives the step's tidy scope. */
  protected persistent(make: () => Tensor): Tensor {
    return unscoped(make);
  }

  stateDict(): OptimizerStateDict<H> {
    const index = new Map<Tensor, number>();
    const param_groups = this.paramGroups.map((g) => {
      const { params, ...rest } = g;
      return { ...(rest as unknown as H), params: params.map((p) => (index.has(p) ? index.get(p)! : (index.set(p, index.size), index.size - 1))) };
    });
    const state: Record<number, Record<string, StateValue>> = {};
    for (const [p, s] of this.state) if (index.has(p)) state[index.get(p)!] = { ...s };
    return { state, param_groups };
  }

  loadStateDict(sd: OptimizerStateDict<H>): void {
    // everything is checked before anything changes, so a refused state dict leaves the optimizer as it was
    if (sd === null || typeof sd !== 'object' || !Array.isArray(sd.param_groups) || sd.state === null || typeof sd.state !== 'object') {
      throw new TypeError('loaded state dict must be an object with "state" and "param_groups" (as stateDict() returns)');
    }
    if (sd.param_groups.length !== this.paramGroups.length) throw new Error('loaded state dict has a different number of parameter groups');
    sd.param_groups.forEach((g, i) => {
      if (!Array.isArray(g?.params) || g.params.length !== this.paramGroups[i].params.length) {
        throw new Error("loaded state dict contains a parameter group that doesn't match the size of optimizer's group");
      }
    });
    const params = this.paramGroups.flatMap((g) => g.params);
    for (const [k, s] of Object.entries(sd.state)) {
      const p = params[Number(k)];
      if (!p) throw new Error(`loaded state dict has state for parameter ${k}, but the optimizer has ${params.length} parameters`);
      for (const [name, v] of Object.entries(s)) {
        // per-element state (exp_avg, momentum_buffer, ...) has the parameter's shape; 0-d state (step) is a count
        if (v instanceof Tensor && v.ndim > 0 && v.shape.join() !== p.shape.join()) {
          throw new Error(`loaded state dict: state "${name}" of parameter ${k} has shape ${fmtShape(v.shape)}, but the parameter has shape ${fmtShape(p.shape)}`);
        }
      }
    }
    sd.param_groups.forEach((g, i) => {
      const { params: _ignored, ...hp } = g;
      Object.assign(this.paramGroups[i], hp);
    });
    const next = new Map<Tensor, Record<string, StateValue>>();
    for (const [k, s] of Object.entries(sd.state)) {
      const copy: Record<string, StateValue> = {};
      for (const [name, v] of Object.entries(s)) copy[name] = v instanceof Tensor ? unscoped(() => noGrad(() => v.clone())) : v; // (a detach() view would keep the old storage)
      next.set(params[Number(k)], copy);
    }
    // the replaced state tensors are freed (after copying: the new state may be the old one)
    this.dispose();
    for (const [p, s] of next) this.state.set(p, s);
  }

  /** Frees the optimizer's state tensors. */
  dispose(): void {
    for (const s of this.state.values()) for (const v of Object.values(s)) if (v instanceof Tensor) v.dispose();
    this.state.clear();
  }
}

export function checkLr(lr: number): void {
  if (!(lr >= 0)) throw new Error(`Invalid learning rate: ${lr}`);
}
