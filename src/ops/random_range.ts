// Integer ranges for random_ and randint: which [from, to) PyTorch really
// samples for each dtype, its bounds checks and their messages. Bounds are
// BigInts so int64 limits (and the 2^64 full range) stay exact.
import type { Tensor } from '../tensor/tensor';
import { pyTypeName } from '../tensor/pytype';
import type { DType } from '../tensor/dtype';
import { fillRandom } from './random_fill';
import type { Generator } from './generator';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Mantissa digits of the float dtypes (std::numeric_limits<T>::digits). */
const DIGITS: Partial<Record<DType, number>> = { float32: 24, float64: 53 };

/** [lowest, max] and the C++ type name PyTorch prints for the integral dtypes. */
const INT_BOUNDS: Partial<Record<DType, [bigint, bigint, string]>> = {
  uint8: [0n, 255n, 'unsigned char'],
  int32: [-(2n ** 31n), 2n ** 31n - 1n, 'int'],
  int64: [INT64_MIN, INT64_MAX, 'long'],
  bool: [0n, 1n, 'bool'],
};

function toInt(v: unknown, name: string): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  throw new TypeError(`random_(): argument '${name}' must be int, not ${pyTypeName(v)}`);
}

/** static_cast<scalar_t>(x) for an integer x: round to `digits` significant bits, ties to even. */
function roundToDigits(x: bigint, digits: number): bigint {
  const neg = x < 0n;
  const a = neg ? -x : x;
  const bits = a.toString(2).length;
  if (bits <= digits) return x;
  const shift = BigInt(bits - digits);
  let q = a >> shift;
  const rem = a - (q << shift);
  const half = 1n << (shift - 1n);
  if (rem > half || (rem === half && (q & 1n) === 1n)) q += 1n;
  return neg ? -(q << shift) : q << shift;
}

const log2Floor = (x: bigint): number => (x < 0n ? -x : x).toString(2).length - 1;

/** PyTorch's update_from: nudges `from` up to the first value the float dtype really represents. */
function updateFrom(from: bigint, digits: number): bigint {
  const plus1 = roundToDigits(from + 1n, digits);
  if (plus1 >= from) return from;
  return plus1 + (1n << BigInt(log2Floor(from + 1n) - digits + 1));
}

/** PyTorch's update_to: the mirror image for the exclusive upper bound. */
function updateTo(to: bigint, digits: number): bigint {
  const minus1 = roundToDigits(to - 1n, digits);
  if (minus1 < to) return to;
  return minus1 - (1n << BigInt(log2Floor(to - 1n) - digits + 1));
}

function checkInRange(dtype: DType, from: bigint, toInc: bigint): void {
  const b = INT_BOUNDS[dtype];
  if (!b) return; // every int64 fits a float dtype (PyTorch only warns about precision)
  if (from < b[0] || from > b[1]) throw new Error(`from is out of bounds for ${b[2]}`);
  if (toInc < b[0] || toInc > b[1]) throw new Error(`to - 1 is out of bounds for ${b[2]}`);
}

/**
 * The [range, base] PyTorch samples for random_(from, to) (to null: up to
 * the dtype's largest value). A range of 0n stands for all 2^64 values.
 */
export function randomRange(t: Tensor, fromArg: unknown, toArg: unknown): [bigint, bigint] {
  let from = toInt(fromArg, 'from');
  const digits = DIGITS[t.dtype];
  if (toArg !== null && toArg !== undefined) {
    let to = toInt(toArg, 'to');
    if (from >= to) throw new Error(`random_ expects 'from' to be less than 'to', but got from=${from} >= to=${to}`);
    if (digits) {
      from = updateFrom(from, digits);
      to = updateTo(to, digits);
      if (from >= to) {
        throw new Error(`random_ expects 'from' casted to dtype to be less than 'to' casted to dtype, but got from=${from} >= to=${to}`);
      }
    }
    checkInRange(t.dtype, from, to - 1n);
    return [BigInt.asUintN(64, to - from), from];
  }
  if (from === INT64_MIN) {
    if (t.dtype !== 'int64' && !digits) throw new Error('random_full_64_bits_range_kernel_cpu handles only int64, double, float and bfloat16');
    return [0n, 0n];
  }
  let toInc: bigint;
  if (digits) {
    toInc = 1n << BigInt(digits);
    from = updateFrom(from, digits);
    if (from >= toInc) {
      throw new Error(`random_ expects 'from' casted to dtype to be less than or equal to 'to_inc' casted to dtype, but got from=${from} > to_inc=${toInc}`);
    }
  } else {
    toInc = INT_BOUNDS[t.dtype]![1];
  }
  checkInRange(t.dtype, from, toInc);
  return [BigInt.asUintN(64, toInc - from + 1n), from];
}

/**
 * random_() with no bounds: PyTorch's uniform_int_distribution, which is
 * draw % (max + 1) with max the dtype's largest integer (2^digits for floats).
 */
export function randomDefault(t: Tensor, gen: Generator): void {
  const digits = DIGITS[t.dtype];
  const modulus = digits ? (1n << BigInt(digits)) + 1n : INT_BOUNDS[t.dtype]![1] + 1n;
  fillRandom(t, modulus, 0n, gen);
}

/** How C++ streams print a double (6 significant digits, %g style), for messages. */
export function cppNumber(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  const [mant, e] = v.toExponential(5).split('e');
  const exp = Number(e);
  const strip = (s: string): string => (s.includes('.') ? s.replace(/\.?0+$/, '') : s);
  if (exp < -4 || exp >= 6) return `${strip(mant)}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return strip(v.toFixed(5 - exp));
}
