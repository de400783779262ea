// RMSprop (optionally centered, with momentum), as PyTorch 1.13's single-tensor implementation.
import type { Tensor } from '../tensor/tensor';
import { Optimizer, checkLr, type ParamGroup, type ParamsInput, type StateValue } from './optimizer';

export interface RMSpropOptions {
  lr: number;
  alpha: number;
  eps: number;
  weightDecay: number;
  momentum: number;
  centered: boolean;
  maximize: boolean;
}

export class RMSprop extends Optimizer<RMSpropOptions> {
  constructor(params: ParamsInput<RMSpropOptions>, o: Partial<RMSpropOptions> = {}) {
    const d: RMSpropOptions = { lr: 1e-2, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false, maximize: false, ...o };
    checkLr(d.lr);
    if (!(d.eps >= 0)) throw new Error(`Invalid epsilon value: ${d.eps}`);
    if (!(d.momentum >= 0)) throw new Error(`Invalid momentum value: ${d.momentum}`);
    if (!(d.weightDecay >= 0)) throw new Error(`Invalid weight_decay value: ${d.weightDecay}`);
    if (!(d.alpha >= 0)) throw new Error(`Invalid alpha value: ${d.alpha}`);
    super(params, d);
  }

  protected update(p: Tensor, grad: Tensor, g: ParamGroup<RMSpropOptions>, state: Record<string, StateValue>): void {
    if (state.step === undefined) {
      state.step = 0;
      state.square_avg = this.persistent(() => p.zerosLike());
      if (g.momentum > 0) state.momentum_buffer = this.persistent(() => p.zerosLike());
      if (g.centered) state.grad_avg = this.persistent(() => p.zerosLike());
    }
    state.step = (state.step as number) + 1;
    let gr = g.maximize ? grad.neg() : grad;
    if (g.weightDecay !== 0) gr = gr.add(p, { alpha: g.weightDecay });
    const squareAvg = state.square_avg as Tensor;
    squareAvg.mul_(g.alpha).addcmul_(gr, gr, { value: 1 - g.alpha });
    let avg: Tensor;
    if (g.centered) {
      const gradAvg = state.grad_avg as Tensor;
      gradAvg.mul_(g.alpha).add_(gr, { alpha: 1 - g.alpha });
      avg = squareAvg.addcmul(gradAvg, gradAvg, { value: -1 }).sqrt_();
    } else {
      avg = squareAvg.sqrt();
    }
    avg.add_(g.eps);
    if (g.momentum > 0) {
      const buf = state.momentum_buffer as Tensor;
      buf.mul_(g.momentum).addcdiv_(gr, avg);
      p.add_(buf, { alpha: -g.lr });
    } else {
      p.addcdiv_(gr, avg, { value: -g.lr });
    }
  }
}
