// SGD with momentum, dampening, Nesterov and weight decay, in PyTorch 1.13's order of operations.
import type { Tensor } from '../tensor/tensor';
import { Optimizer, checkLr, type ParamGroup, type ParamsInput, type StateValue } from './optimizer';

export interface SGDOptions {
  lr: number;
  momentum: number;
  dampening: number;
  weightDecay: number;
  nesterov: boolean;
  maximize: boolean;
}

export class SGD extends Optimizer<SGDOptions> {
  /** lr has no default, as in PyTorch: it must come in the options or in every parameter group. */
  constructor(params: ParamsInput<SGDOptions>, o: Partial<SGDOptions> = {}) {
    const d = { lr: undefined, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false, ...o } as unknown as SGDOptions;
    if (d.lr !== undefined) checkLr(d.lr);
    if (d.momentum < 0) throw new Error(`Invalid momentum value: ${d.momentum}`);
    if (d.weightDecay < 0) throw new Error(`Invalid weight_decay value: ${d.weightDecay}`);
    if (d.nesterov && (d.momentum <= 0 || d.dampening !== 0)) throw new Error('Nesterov momentum requires a momentum and zero dampening');
    super(params, d);
  }

  protected update(p: Tensor, grad: Tensor, g: ParamGroup<SGDOptions>, state: Record<string, StateValue>): void {
    let d = g.maximize ? grad.neg() : grad;
    if (g.weightDecay !== 0) d = d.add(p, { alpha: g.weightDecay });
    if (g.momentum !== 0) {
      let buf = state.momentum_buffer as Tensor | undefined;
      if (!buf) {
        const src = d;
        buf = this.persistent(() => src.clone());
        state.momentum_buffer = buf;
      } else {
        buf.mul_(g.momentum).add_(d, { alpha: 1 - g.dampening });
      }
      d = g.nesterov ? d.add(buf, { alpha: g.momentum }) : buf;
    }
    p.add_(d, { alpha: -g.lr });
  }
}
