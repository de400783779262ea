// Module.loadStateDict, step for step as PyTorch 1.13's load_state_dict: every
// module is visited under every name it has (shared modules more than once),
// each checks its own parameters and persistent buffers and claims the keys
// under its prefix; missing and unexpected keys are always collected and are
// errors when strict; messages are PyTorch's, in its order (Missing,
// Unexpected, then per-key problems in visiting order).
import { Tensor } from '../tensor/tensor';
import { noGrad } from '../autograd/grad_mode';
import { pyTypeName } from '../ops/operands';
import type { Module, StateDict } from './module';

export interface LoadResult {
  missingKeys: string[];
  unexpectedKeys: string[];
}

const torchSize = (shape: readonly number[]): string => `torch.Size([${shape.join(', ')}])`;

/** How Python would name the type of a JS value that reached load_state_dict. */
const pyType = (v: unknown): string => `<class '${pyTypeName(v)}'>`;

const has = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

function loadOwn(m: Module, sd: StateDict, prefix: string, missing: string[], unexpected: string[], errors: string[]): void {
  const local = new Map<string, Tensor>([...m._ownParameters(), ...m._ownBuffers(true)]);
  for (const [name, param] of local) {
    const key = prefix + name;
    if (!has(sd, key)) {
      missing.push(key);
      continue;
    }
    let input: unknown = sd[key];
    if (!(input instanceof Tensor)) {
      errors.push(`While copying the parameter named "${key}", expected torch.Tensor or Tensor-like object from checkpoint but received ${pyType(input)}`);
      continue;
    }
    let picked: Tensor | null = null;
    // a 1-D value for a 0-d parameter: checkpoints from before 0-d tensors existed
    if (param.ndim === 0 && input.ndim === 1) input = picked = (input as Tensor).select(0, 0);
    const src = input as Tensor;
    if (src.ndim !== param.ndim || src.shape.some((s, i) => s !== param.shape[i])) {
      errors.push(`size mismatch for ${key}: copying a param with shape ${torchSize(src.shape)} from checkpoint, the shape in current model is ${torchSize(param.shape)}.`);
    } else {
      try {
        noGrad(() => param.copy_(src));
      } catch (e) {
        errors.push(
          `While copying the parameter named "${key}", whose dimensions in the model are ${torchSize(param.shape)} and whose dimensions in the checkpoint are ${torchSize(src.shape)}, an exception occurred : ('${(e as Error).message}',).`,
        );
      }
    }
    picked?.dispose();
  }
  const slots = new Set(m._moduleSlots().map(([k]) => k));
  for (const key of Object.keys(sd)) {
    if (!key.startsWith(prefix)) continue;
    const first = key.slice(prefix.length).split('.', 1)[0];
    if (!slots.has(first) && !local.has(first)) unexpected.push(key);
  }
}

export function loadInto(root: Module, sd: StateDict, strict: boolean): LoadResult {
  const missingKeys: string[] = [], unexpectedKeys: string[] = [], errors: string[] = [];
  const visit = (m: Module, prefix: string): void => {
    loadOwn(m, sd, prefix, missingKeys, unexpectedKeys, errors);
    for (const [k, c] of m._moduleSlots()) if (c) visit(c, `${prefix}${k}.`);
  };
  visit(root, '');
  if (strict) {
    const quoted = (ks: string[]): string => ks.map((k) => `"${k}"`).join(', ');
    if (unexpectedKeys.length) errors.unshift(`Unexpected key(s) in state_dict: ${quoted(unexpectedKeys)}. `);
    if (missingKeys.length) errors.unshift(`Missing key(s) in state_dict: ${quoted(missingKeys)}. `);
  }
  if (errors.length) throw new Error(`Error(s) in loading state_dict for ${root.constructor.name}:\n\t${errors.join('\n\t')}`);
  return { missingKeys, unexpectedKeys };
}
