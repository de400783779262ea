// Learning-rate schedulers with PyTorch 1.13's recursive ("chainable")
// formulas, so the sequence of learning rates matches step for step.
import type { Optimizer } from './optimizer';

type AnyOptimizer = Optimizer<{ lr: number }>;

export abstract class LRScheduler {
  lastEpoch = -1;
  readonly baseLrs: number[];
  private lastLr: number[] = [];
  protected stepCount = 0;

  constructor(readonly optimizer: AnyOptimizer) {
    for (const g of optimizer.paramGroups) (g as { initial_lr?: number }).initial_lr ??= g.lr;
    this.baseLrs = optimizer.paramGroups.map((g) => (g as { initial_lr?: number }).initial_lr!);
    this.step();
  }

  protected abstract getLr(): number[];

  /** Advances one epoch and writes the new learning rates into the optimizer. */
  step(): void {
    this.stepCount++;
    this.lastEpoch++;
    const lrs = this.getLr();
    this.optimizer.paramGroups.forEach((g, i) => (g.lr = lrs[i]));
    this.lastLr = lrs;
  }

  getLastLr(): number[] {
    return [...this.lastLr];
  }

  protected groupLrs(): number[] {
    return this.optimizer.paramGroups.map((g) => g.lr);
  }
}

/** Multiplies the learning rate by gamma every stepSize epochs. */
export class StepLR extends LRScheduler {
  constructor(optimizer: AnyOptimizer, readonly stepSize: number, readonly gamma = 0.1) {
    super(optimizer);
  }

  protected getLr(): number[] {
    if (this.lastEpoch === 0 || this.lastEpoch % this.stepSize !== 0) return this.groupLrs();
    return this.groupLrs().map((lr) => lr * this.gamma);
  }
}

/** Cosine annealing from each base learning rate down to etaMin over tMax epochs. */
export class CosineAnnealingLR extends LRScheduler {
  constructor(optimizer: AnyOptimizer, readonly tMax: number, readonly etaMin = 0) {
    super(optimizer);
  }

  protected getLr(): number[] {
    const e = this.lastEpoch, T = this.tMax, m = this.etaMin;
    if (e === 0) return this.groupLrs();
    if (this.stepCount === 1 && e > 0) {
      return this.baseLrs.map((b) => m + ((b - m) * (1 + Math.cos((e * Math.PI) / T))) / 2);
    }
    if ((e - 1 - T) % (2 * T) === 0) {
      return this.groupLrs().map((lr, i) => lr + ((this.baseLrs[i] - m) * (1 - Math.cos(Math.PI / T))) / 2);
    }
    return this.groupLrs().map((lr) => ((1 + Math.cos((Math.PI * e) / T)) / (1 + Math.cos((Math.PI * (e - 1)) / T))) * (lr - m) + m);
  }
}
