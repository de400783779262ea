// Random tensors. (Being implemented: PyTorch-identical mt19937 streams.)
import { Tensor } from '../tensor/tensor';
import type { TensorOptions } from './operands';

const pending = (name: string): never => {
  throw new Error(`torch.${name} is not implemented yet`);
};

export function manualSeed(_seed: number): void { pending('manualSeed'); }
export function initialSeed(): number { return pending('initialSeed'); }
export function seed(): number { return pending('seed'); }
export function rand(..._args: unknown[]): Tensor { return pending('rand'); }
export function randn(..._args: unknown[]): Tensor { return pending('randn'); }
export function randint(..._args: unknown[]): Tensor { return pending('randint'); }
export function randperm(_n: number, _o?: TensorOptions): Tensor { return pending('randperm'); }
export function randLike(_x: Tensor, _o?: TensorOptions): Tensor { return pending('randLike'); }
export function randnLike(_x: Tensor, _o?: TensorOptions): Tensor { return pending('randnLike'); }
export function randintLike(_x: Tensor, ..._args: unknown[]): Tensor { return pending('randintLike'); }
export function normal(..._args: unknown[]): Tensor { return pending('normal'); }
export function bernoulli(_p: Tensor): Tensor { return pending('bernoulli'); }

declare module '../tensor/tensor' {
  interface Tensor {
    uniform_(from?: number, to?: number): this;
    normal_(mean?: number, std?: number): this;
  }
}
Tensor.prototype.uniform_ = function () { return pending('uniform_'); };
Tensor.prototype.normal_ = function () { return pending('normal_'); };
