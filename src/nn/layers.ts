// Layers with parameters or configuration: Linear, Embedding, LayerNorm,
// Dropout, Flatten, Identity. Defaults and reprs as PyTorch's.
import { Tensor } from '../tensor/tensor';
import type { DType } from '../tensor/dtype';
import { empty } from '../ops/create';
import { noGrad } from '../autograd/grad_mode';
import { Module, Parameter } from './module';
import * as F from './functional';
import * as init from './init';

export interface FactoryOptions {
  dtype?: DType;
}

const pyBool = (b: boolean): string => (b ? 'True' : 'False');

export class Linear extends Module {
  weight: Parameter;
  bias: Parameter | null;

  constructor(
    readonly inFeatures: number,
    readonly outFeatures: number,
    bias = true,
    o: FactoryOptions = {},
  ) {
    super();
    this.weight = new Parameter(empty([outFeatures, inFeatures], { dtype: o.dtype ?? 'float32' }));
    this.bias = bias ? new Parameter(empty([outFeatures], { dtype: o.dtype ?? 'float32' })) : null;
    this.resetParameters();
  }

  /** PyTorch's default: kaiming_uniform_(a=sqrt(5)) on the weight, U(-1/sqrt(in), 1/sqrt(in)) on the bias. */
  resetParameters(): void {
    init.kaimingUniform_(this.weight, { a: Math.sqrt(5) });
    if (this.bias) {
      const [fanIn] = init.calculateFanInAndFanOut(this.weight);
      const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
      init.uniform_(this.bias, -bound, bound);
    }
  }

  forward(x: Tensor): Tensor {
    return F.linear(x, this.weight, this.bias);
  }

  override extraRepr(): string {
    return `in_features=${this.inFeatures}, out_features=${this.outFeatures}, bias=${pyBool(this.bias !== null)}`;
  }
}

export class Identity extends Module {
  forward(x: Tensor): Tensor {
    return x;
  }
}

export class Flatten extends Module {
  constructor(
    readonly startDim = 1,
    readonly endDim = -1,
  ) {
    super();
  }

  forward(x: Tensor): Tensor {
    return x.flatten(this.startDim, this.endDim);
  }

  override extraRepr(): string {
    return `start_dim=${this.startDim}, end_dim=${this.endDim}`;
  }
}

export class Dropout extends Module {
  constructor(readonly p = 0.5) {
    super();
    if (!(p >= 0 && p <= 1)) throw new Error(`dropout probability has to be between 0 and 1, but got ${p}`);
  }

  forward(x: Tensor): Tensor {
    return F.dropout(x, this.p, this.training);
  }

  override extraRepr(): string {
    return `p=${formatFloat(this.p)}, inplace=False`;
  }
}

export interface EmbeddingOptions extends FactoryOptions {
  paddingIdx?: number | null;
}

export class Embedding extends Module {
  weight: Parameter;
  readonly paddingIdx: number | null;

  constructor(
    readonly numEmbeddings: number,
    readonly embeddingDim: number,
    o: EmbeddingOptions = {},
  ) {
    super();
    let pad = o.paddingIdx ?? null;
    if (pad !== null) {
      if (pad >= numEmbeddings || pad < -numEmbeddings) throw new Error('Padding_idx must be within num_embeddings');
      if (pad < 0) pad += numEmbeddings;
    }
    this.paddingIdx = pad;
    this.weight = new Parameter(empty([numEmbeddings, embeddingDim], { dtype: o.dtype ?? 'float32' }));
    init.normal_(this.weight);
    if (pad !== null) noGrad(() => this.weight.select(0, pad!).fill_(0));
  }

  forward(input: Tensor): Tensor {
    return F.embedding(input, this.weight, this.paddingIdx);
  }

  override extraRepr(): string {
    return `${this.numEmbeddings}, ${this.embeddingDim}${this.paddingIdx === null ? '' : `, padding_idx=${this.paddingIdx}`}`;
  }
}

export interface LayerNormOptions extends FactoryOptions {
  eps?: number;
  elementwiseAffine?: boolean;
}

export class LayerNorm extends Module {
  readonly normalizedShape: number[];
  readonly eps: number;
  weight: Parameter | null;
  bias: Parameter | null;

  constructor(normalizedShape: number | readonly number[], o: LayerNormOptions = {}) {
    super();
    this.normalizedShape = typeof normalizedShape === 'number' ? [normalizedShape] : [...normalizedShape];
    this.eps = o.eps ?? 1e-5;
    const affine = o.elementwiseAffine ?? true;
    const dtype = o.dtype ?? 'float32';
    this.weight = affine ? new Parameter(init.ones_(empty(this.normalizedShape, { dtype }))) : null;
    this.bias = affine ? new Parameter(init.zeros_(empty(this.normalizedShape, { dtype }))) : null;
  }

  forward(x: Tensor): Tensor {
    return F.layerNorm(x, this.normalizedShape, this.weight, this.bias, this.eps);
  }

  override extraRepr(): string {
    const shape = `(${this.normalizedShape.join(', ')}${this.normalizedShape.length === 1 ? ',' : ''})`;
    return `${shape}, eps=${formatFloat(this.eps)}, elementwise_affine=${pyBool(this.weight !== null)}`;
  }
}

/**
 * Python's repr of a float, as module reprs show hyperparameters: the shortest
 * digits that round-trip (JS and Python agree on those), fixed notation for
 * exponents -4..15 with a trailing ".0" on integers, else 1e-05 / 1.5e+16.
 */
export function formatFloat(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  if (v === 0) return Object.is(v, -0) ? '-0.0' : '0.0';
  const [m, e] = Math.abs(v).toExponential().split('e');
  const digits = m.replace('.', '');
  const exp = Number(e);
  let body: string;
  if (exp < -4 || exp >= 16) {
    body = `${digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  } else if (exp < 0) {
    body = `0.${'0'.repeat(-exp - 1)}${digits}`;
  } else if (digits.length <= exp + 1) {
    body = `${digits}${'0'.repeat(exp + 1 - digits.length)}.0`;
  } else {
    body = `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
  }
  return (v < 0 ? '-' : '') + body;
}
