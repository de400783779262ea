// Autograd entry points: Tensor.backward and torch.autograd.grad.
import { Tensor } from '../tensor/tensor';
import { backward, grad, type BackwardOptions, type GradOptions } from './engine';

declare module '../tensor/tensor' {
  interface Tensor {
    /** Accumulates the gradient of this tensor into the .grad of every leaf it depends on. */
    backward(gradient?: Tensor | null, options?: BackwardOptions): void;
  }
}

Tensor.prototype.backward = function (gradient, options) {
  backward(this, gradient, options);
};

export { grad, backward, type BackwardOptions, type GradOptions };
