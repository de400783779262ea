// dtypes and PyTorch's type promotion.
import { DTypeCode } from '../../assembly/codes';

export type DType = 'float32' | 'float64' | 'int32' | 'int64' | 'uint8' | 'bool';

export const DTYPES: readonly DType[] = ['float32', 'float64', 'int32', 'int64', 'uint8', 'bool'];

/** Promotion order for this dtype set: bool < uint8 < int32 < int64 < float32 < float64. */
const RANK: Record<DType, number> = { bool: 0, uint8: 1, int32: 2, int64: 3, float32: 4, float64: 5 };

const ITEM_SIZE: Record<DType, number> = { float32: 4, float64: 8, int32: 4, int64: 8, uint8: 1, bool: 1 };

/** Kernel export suffix per dtype; bool shares uint8's arithmetic kernels. */
export const KERNEL_SUFFIX: Record<DType, string> = { float32: 'f32', float64: 'f64', int32: 'i32', int64: 'i64', uint8: 'u8', bool: 'u8' };

/** Suffix for conversions, where bool is its own type. */
export const CAST_SUFFIX: Record<DType, string> = { float32: 'f32', float64: 'f64', int32: 'i32', int64: 'i64', uint8: 'u8', bool: 'bool' };

export const DTYPE_CODE: Record<DType, DTypeCode> = {
  float32: DTypeCode.float32, float64: DTypeCode.float64, int32: DTypeCode.int32,
  int64: DTypeCode.int64, uint8: DTypeCode.uint8, bool: DTypeCode.bool,
};

/** How PyTorch spells each dtype in reprs and messages. */
const TORCH_NAME: Record<DType, string> = {
  float32: 'torch.float32', float64: 'torch.float64', int32: 'torch.int32',
  int64: 'torch.int64', uint8: 'torch.uint8', bool: 'torch.bool',
};

/** The legacy names PyTorch uses in kernel errors ("not implemented for 'Long'"). */
const SCALAR_NAME: Record<DType, string> = {
  float32: 'Float', float64: 'Double', int32: 'Int', int64: 'Long', uint8: 'Byte', bool: 'Bool',
};

/** Accepted spellings: ours, PyTorch's attribute names and the short aliases. */
const ALIASES: Record<string, DType> = {
  float32: 'float32', float: 'float32', 'torch.float32': 'float32', 'torch.float': 'float32',
  float64: 'float64', double: 'float64', 'torch.float64': 'float64', 'torch.double': 'float64',
  int32: 'int32', int: 'int32', 'torch.int32': 'int32', 'torch.int': 'int32',
  int64: 'int64', long: 'int64', 'torch.int64': 'int64', 'torch.long': 'int64',
  uint8: 'uint8', 'torch.uint8': 'uint8', bool: 'bool', 'torch.bool': 'bool',
};

export function toDType(d: unknown): DType {
  if (typeof d === 'string' && d in ALIASES) return ALIASES[d];
  throw new TypeError(`unsupported dtype ${JSON.stringify(d)}; expected one of ${DTYPES.join(', ')}`);
}

export const itemSize = (d: DType): number => ITEM_SIZE[d];
export const torchName = (d: DType): string => TORCH_NAME[d];
export const scalarName = (d: DType): string => SCALAR_NAME[d];
export const isFloating = (d: DType): boolean => d === 'float32' || d === 'float64';
export const isIntegral = (d: DType, includeBool = false): boolean => !isFloating(d) && (includeBool || d !== 'bool');

export function promoteTypes(a: DType, b: DType): DType {
  return RANK[a] >= RANK[b] ? a : b;
}

/** A JS number or boolean used as an operand: PyTorch's "wrapped number". */
export type Scalar = number | boolean;

/** The dtype a JS scalar has on its own: integer-valued numbers count as int64. */
export function scalarDType(v: Scalar): DType {
  if (typeof v === 'boolean') return 'bool';
  return Number.isInteger(v) ? 'int64' : 'float32';
}

const category = (d: DType): number => (d === 'bool' ? 0 : isFloating(d) ? 2 : 1);

/**
 * PyTorch's result_type: dimensioned tensors decide, unless a zero-dim
 * tensor or a scalar belongs to a higher category (bool < integer < float);
 * a wrapped float scalar stands for the default dtype (float32).
 */
export function resultType(operands: readonly ({ dtype: DType; ndim: number } | Scalar)[]): DType {
  if (!Array.isArray(operands)) throw new TypeError('resultType(): expected a list of tensors and numbers');
  let dim: DType | null = null;
  let zero: DType | null = null;
  let wrapped: DType | null = null;
  for (const o of operands) {
    if (typeof o === 'number' || typeof o === 'boolean') {
      const d = scalarDType(o);
      wrapped = wrapped ? promoteTypes(wrapped, d) : d;
    } else if (o.ndim === 0) {
      zero = zero ? promoteTypes(zero, o.dtype) : o.dtype;
    } else {
      dim = dim ? promoteTypes(dim, o.dtype) : o.dtype;
    }
  }
  return combine(dim, combine(zero, wrapped)) ?? 'float32';
}

function combine(higher: DType | null, lower: DType | null): DType | null {
  if (higher === null) return lower;
  if (lower === null) return higher;
  if (category(higher) >= category(lower)) return higher;
  return promoteTypes(higher, lower);
}
