// Loss modules: configuration in the constructor, forward(input, target).
// Class weights are buffers, so they travel with stateDict as in PyTorch.
import type { Tensor } from '../tensor/tensor';
import { Module } from './module';
import * as F from './losses';

abstract class Loss extends Module {
  readonly reduction: F.Reduction;

  constructor(o: F.LossOptions = {}) {
    super();
    this.reduction = o.reduction ?? 'mean';
    if (!['mean', 'sum', 'none'].includes(this.reduction)) throw new Error(`${this.reduction} is not a valid value for reduction`);
  }

  abstract override forward(input: Tensor, target: Tensor): Tensor;
}

abstract class WeightedLoss extends Loss {
  declare weight: Tensor | null;

  constructor(o: F.LossOptions & { weight?: Tensor | null } = {}) {
    super(o);
    this.registerBuffer('weight', o.weight ?? null);
  }
}

export class MSELoss extends Loss {
  forward(input: Tensor, target: Tensor): Tensor {
    return F.mseLoss(input, target, { reduction: this.reduction });
  }
}

export class L1Loss extends Loss {
  forward(input: Tensor, target: Tensor): Tensor {
    return F.l1Loss(input, target, { reduction: this.reduction });
  }
}

export class NLLLoss extends WeightedLoss {
  readonly ignoreIndex: number;

  constructor(o: F.NllOptions = {}) {
    super(o);
    this.ignoreIndex = o.ignoreIndex ?? -100;
  }

  forward(input: Tensor, target: Tensor): Tensor {
    return F.nllLoss(input, target, { weight: this.weight, ignoreIndex: this.ignoreIndex, reduction: this.reduction });
  }
}

export class CrossEntropyLoss extends WeightedLoss {
  readonly ignoreIndex: number;
  readonly labelSmoothing: number;

  constructor(o: F.CrossEntropyOptions = {}) {
    super(o);
    this.ignoreIndex = o.ignoreIndex ?? -100;
    this.labelSmoothing = o.labelSmoothing ?? 0;
  }

  forward(input: Tensor, target: Tensor): Tensor {
    return F.crossEntropy(input, target, {
      weight: this.weight, ignoreIndex: this.ignoreIndex, reduction: this.reduction, labelSmoothing: this.labelSmoothing,
    });
  }
}

export class BCELoss extends WeightedLoss {
  forward(input: Tensor, target: Tensor): Tensor {
    return F.binaryCrossEntropy(input, target, { weight: this.weight, reduction: this.reduction });
  }
}

export class BCEWithLogitsLoss extends WeightedLoss {
  declare pos_weight: Tensor | null;

  constructor(o: F.BceLogitsOptions = {}) {
    super(o);
    // PyTorch's buffer name, so state dicts interchange
    this.registerBuffer('pos_weight', o.posWeight ?? null);
  }

  get posWeight(): Tensor | null {
    return this.pos_weight;
  }

  set posWeight(v: Tensor | null) {
    this.pos_weight = v;
  }

  forward(input: Tensor, target: Tensor): Tensor {
    return F.binaryCrossEntropyWithLogits(input, target, { weight: this.weight, posWeight: this.posWeight, reduction: this.reduction });
  }
}
