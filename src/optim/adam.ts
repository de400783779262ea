// Adam and AdamW (decoupled weight decay), as PyTorch 1.13's single-tensor implementation.
import type { Tensor } from '../tensor/tensor';
import { formatFloat } from '../nn/layers';
import { Optimizer, checkLr, type ParamGroup, type ParamsInput, type StateValue } from './optimizer';

export interface AdamOptions {
  lr: number;
  betas: [number, number];
  eps: number;
  weightDecay: number;
  amsgrad: boolean;
  maximize: boolean;
}

function validate(d: AdamOptions): void {
  checkLr(d.lr);
  if (!(d.eps >= 0)) throw new Error(`Invalid epsilon value: ${d.eps}`);
  if (!(d.betas[0] >= 0 && d.betas[0] < 1)) throw new Error(`Invalid beta parameter at index 0: ${formatFloat(d.betas[0])}`);
  if (!(d.betas[1] >= 0 && d.betas[1] < 1)) throw new Error(`Invalid beta parameter at index 1: ${formatFloat(d.betas[1])}`);
  if (!(d.weightDecay >= 0)) throw new Error(`Invalid weight_decay value: ${d.weightDecay}`);
}

class AdamBase extends Optimizer<AdamOptions> {
  constructor(params: ParamsInput<AdamOptions>, d: AdamOptions, private readonly decoupled: boolean) {
    validate(d);
    super(params, d);
  }

  protected update(p: Tensor, grad: Tensor, g: ParamGroup<AdamOptions>, state: Record<string, StateValue>): void {
    const [beta1, beta2] = g.betas;
    if (state.step === undefined) {
      state.step = 0;
      state.exp_avg = this.persistent(() => p.zerosLike());
      state.exp_avg_sq = this.persistent(() => p.zerosLike());
      if (g.amsgrad) state.max_exp_avg_sq = this.persistent(() => p.zerosLike());
    }
    let gr = g.maximize ? grad.neg() : grad;
    const step = (state.step as number) + 1;
    state.step = step;
    if (this.decoupled) p.mul_(1 - g.lr * g.weightDecay);
    else if (g.weightDecay !== 0) gr = gr.add(p, { alpha: g.weightDecay });
    const expAvg = state.exp_avg as Tensor, expAvgSq = state.exp_avg_sq as Tensor;
    expAvg.mul_(beta1).add_(gr, { alpha: 1 - beta1 });
    expAvgSq.mul_(beta2).addcmul_(gr, gr, { value: 1 - beta2 });
    const bias1 = 1 - beta1 ** step;
    const bias2Sqrt = Math.sqrt(1 - beta2 ** step);
    let second = expAvgSq;
    if (g.amsgrad) {
      const max = state.max_exp_avg_sq as Tensor;
      max.copy_(max.maximum(expAvgSq));
      second = max;
    }
    const denom = second.sqrt().div(bias2Sqrt).add_(g.eps);
    p.addcdiv_(expAvg, denom, { value: -(g.lr / bias1) });
  }
}

export class Adam extends AdamBase {
  constructor(params: ParamsInput<AdamOptions>, o: Partial<AdamOptions> = {}) {
    super(params, { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false, ...o }, false);
  }
}

export class AdamW extends AdamBase {
  constructor(params: ParamsInput<AdamOptions>, o: Partial<AdamOptions> = {}) {
    super(params, { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 1e-2, amsgrad: false, maximize: false, ...o }, true);
  }
}
