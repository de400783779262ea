// Activation modules: thin wrappers over nn.functional with PyTorch's reprs.
import type { Tensor } from '../tensor/tensor';
import { Module } from './module';
import * as F from './functional';
import { formatFloat } from './layers';

export class ReLU extends Module {
  forward(x: Tensor): Tensor {
    return x.relu();
  }
}

export class Sigmoid extends Module {
  forward(x: Tensor): Tensor {
    return x.sigmoid();
  }
}

export class Tanh extends Module {
  forward(x: Tensor): Tensor {
    return x.tanh();
  }
}

export class SiLU extends Module {
  forward(x: Tensor): Tensor {
    return x.silu();
  }
}

export class GELU extends Module {
  constructor(readonly approximate: 'none' | 'tanh' = 'none') {
    super();
  }

  forward(x: Tensor): Tensor {
    return F.gelu(x, { approximate: this.approximate });
  }

  override extraRepr(): string {
    return `approximate='${this.approximate}'`;
  }
}

export class LeakyReLU extends Module {
  constructor(readonly negativeSlope = 0.01) {
    super();
  }

  forward(x: Tensor): Tensor {
    return F.leakyRelu(x, this.negativeSlope);
  }

  override extraRepr(): string {
    return `negative_slope=${formatFloat(this.negativeSlope)}`;
  }
}

export class Softmax extends Module {
  constructor(readonly dim: number) {
    super();
  }

  forward(x: Tensor): Tensor {
    return x.softmax(this.dim);
  }

  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}

// the bundler may rename a class whose name collides with another module's
// export (assembly/codes.ts has a Softmax enum); reprs need the real name
Object.defineProperty(Softmax, 'name', { value: 'Softmax' });

export class LogSoftmax extends Module {
  constructor(readonly dim: number) {
    super();
  }

  forward(x: Tensor): Tensor {
    return x.logSoftmax(this.dim);
  }

  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}
