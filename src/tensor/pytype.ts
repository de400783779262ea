// Python's names for the types of JS values, for messages that read like PyTorch's
// argument parser ("must be Tensor, not NoneType").
import { Tensor } from './tensor';

/** How Python would name the type of a JS value, for PyTorch's "must be Tensor, not ..." messages. */
export function pyTypeName(v: unknown): string {
  if (v === null || v === undefined) return 'NoneType';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (typeof v === 'bigint') return 'int';
  if (typeof v === 'string') return 'str';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return 'list';
  if (v instanceof Tensor) return 'Tensor';
  return typeof v === 'object' ? 'dict' : typeof v;
}
