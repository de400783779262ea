// Gradcheck cases for in-place ops on non-leaf tensors and on views of
// non-leaf tensors (PyTorch's CopySlices path: the base is rebased and the
// view becomes a region of it).
import * as torch from 'torchlet';
import { arg, type ArgOptions, table } from './inputs';

type Tensor = torch.Tensor;
const { cases, c } = table();
export { cases as inplaceCases };

interface InplaceOp {
  /** Values of x (the tensor written into) where the op is smooth. */
  x?: ArgOptions;
  /** Extra operands for a region of this shape. */
  others?: (shape: number[]) => unknown[];
  apply: (t: any, ...o: any[]) => unknown;
  what: string;
}

const same = (o: ArgOptions = {}) => (s: number[]) => [arg(s, o)];
const row = (o: ArgOptions = {}) => (s: number[]) => [arg(s.slice(-1), o)];
const offGrid: ArgOptions = { lo: -3, hi: 3, offGrid: true };

const OPS: Record<string, InplaceOp[]> = {
  add_: [
    { what: 'add_(b)', others: same(), apply: (t, b) => t.add_(b) },
    { what: 'add_(b row, { alpha: -2 })', others: row(), apply: (t, b) => t.add_(b, { alpha: -2 }) },
    { what: 'add_(1.5)', apply: (t) => t.add_(1.5) },
  ],
  sub_: [
    { what: 'sub_(b)', others: same(), apply: (t, b) => t.sub_(b) },
    { what: 'sub_(b, { alpha: 0.5 })', others: row(), apply: (t, b) => t.sub_(b, { alpha: 0.5 }) },
  ],
  mul_: [
    { what: 'mul_(b)', others: same(), apply: (t, b) => t.mul_(b) },
    { what: 'mul_(-2)', apply: (t) => t.mul_(-2) },
  ],
  div_: [
    { what: 'div_(b)', others: same({ minAbs: 0.4 }), apply: (t, b) => t.div_(b) },
    { what: 'div_(b row)', others: row({ minAbs: 0.4 }), apply: (t, b) => t.div_(b) },
  ],
  pow_: [
    { what: 'pow_(3)', apply: (t) => t.pow_(3) },
    { what: 'pow_(b)', x: { lo: 0.5, hi: 2 }, others: same(), apply: (t, b) => t.pow_(b) },
  ],
  clamp_: [
    { what: 'clamp_(-0.5, 0.5)', x: { avoid: [-0.5, 0.5] }, apply: (t) => t.clamp_(-0.5, 0.5) },
    { what: 'clamp_(null, 0.2)', x: { avoid: [0.2] }, apply: (t) => t.clamp_(null, 0.2) },
  ],
  fill_: [
    { what: 'fill_(2.5)', apply: (t) => t.fill_(2.5) },
    { what: 'fill_(0-d tensor)', others: () => [arg([])], apply: (t, v) => t.fill_(v) },
  ],
  zero_: [{ what: 'zero_()', apply: (t) => t.zero_() }],
  copy_: [
    { what: 'copy_(src)', others: same(), apply: (t, s) => t.copy_(s) },
    { what: 'copy_(src row) broadcast', others: row(), apply: (t, s) => t.copy_(s) },
  ],
  addcmul_: [{ what: 'addcmul_(a, b, { value: 0.5 })', others: (s) => [arg(s), arg(s.slice(-1))], apply: (t, a, b) => t.addcmul_(a, b, { value: 0.5 }) }],
  addcdiv_: [{ what: 'addcdiv_(a, b)', others: (s) => [arg(s), arg(s, { minAbs: 0.4 })], apply: (t, a, b) => t.addcdiv_(a, b) }],
  lerp_: [
    { what: 'lerp_(end, 0.3)', others: same(), apply: (t, e) => t.lerp_(e, 0.3) },
    { what: 'lerp_(end, weight tensor)', others: (s) => [arg(s), arg(s.slice(-1))], apply: (t, e, w) => t.lerp_(e, w) },
  ],
  neg_: [{ what: 'neg_()', apply: (t) => t.neg_() }],
  abs_: [{ what: 'abs_()', x: { minAbs: 0.1 }, apply: (t) => t.abs_() }],
  exp_: [{ what: 'exp_()', apply: (t) => t.exp_() }],
  log_: [{ what: 'log_()', x: { lo: 0.2, hi: 3 }, apply: (t) => t.log_() }],
  sqrt_: [{ what: 'sqrt_()', x: { lo: 0.2, hi: 3 }, apply: (t) => t.sqrt_() }],
  relu_: [{ what: 'relu_()', x: { minAbs: 0.1 }, apply: (t) => t.relu_() }],
  sigmoid_: [{ what: 'sigmoid_()', apply: (t) => t.sigmoid_() }],
  tanh_: [{ what: 'tanh_()', apply: (t) => t.tanh_() }],
  square_: [{ what: 'square_()', apply: (t) => t.square_() }],
  reciprocal_: [{ what: 'reciprocal_()', x: { minAbs: 0.3 }, apply: (t) => t.reciprocal_() }],
  floor_: [{ what: 'floor_()', x: offGrid, apply: (t) => t.floor_() }],
  ceil_: [{ what: 'ceil_()', x: offGrid, apply: (t) => t.ceil_() }],
  round_: [{ what: 'round_()', x: offGrid, apply: (t) => t.round_() }],
  sign_: [{ what: 'sign_()', x: { minAbs: 0.1 }, apply: (t) => t.sign_() }],
};

/** Where the op writes: the whole non-leaf, or a view of it; returns what the case outputs. */
const TARGETS: { name: string; shape: number[]; run: (y: Tensor, op: (t: Tensor) => unknown) => unknown }[] = [
  { name: 'a non-leaf', shape: [3, 4], run: (y, op) => (op(y), y) },
  { name: 'a narrowed view of a non-leaf', shape: [3, 2], run: (y, op) => (op(y.narrow(1, 1, 2)), y) },
  {
    name: 'a selected row, returning base and view',
    shape: [4],
    run: (y, op) => {
      const v = y.select(0, 1);
      op(v);
      return [y, v.mul(2)];
    },
  },
  { name: 'a transposed view', shape: [4, 3], run: (y, op) => (op(y.t()), y) },
];

for (const [name, variants] of Object.entries(OPS)) {
  for (const v of variants) {
    for (const target of TARGETS) {
      const others = v.others ? v.others(target.shape) : [];
      c(name, `${v.what} on ${target.name}`, (x: Tensor, ...o: unknown[]) => target.run(x.mul(1), (t) => v.apply(t, ...o)), [arg([3, 4], v.x ?? {}), ...others], {
        layouts: ['contiguous', 'transposed'],
      });
    }
  }
}

// chains through CopySlices: view of a view, two writes, reads of other views
c('mul_', 'mul_ on a view of a view', (x, w) => {
  const y = x.mul(1);
  y.narrow(1, 1, 2).select(0, 2).mul_(w);
  return y;
}, [arg([3, 4]), arg([2])], { gradgrad: true });
c('add_', 'two in-place writes to overlapping views', (x, a, b) => {
  const y = x.add(1);
  y.narrow(1, 0, 3).add_(a);
  y.narrow(0, 1, 2).mul_(b);
  return y.sum(1);
}, [arg([3, 4]), arg([3]), arg([4])]);
c('mul_', 'in-place on a view, then a sibling view is read', (x, w) => {
  const y = x.mul(2);
  const left = y.narrow(1, 0, 2), right = y.narrow(1, 2, 2);
  left.mul_(w);
  return right.add(y.narrow(1, 1, 2));
}, [arg([3, 4]), arg([3, 1])]);
c('exp_', 'in-place result used by a later op (saved output)', (x) => {
  const y = x.mul(1);
  y.exp_();
  return y.mul(y);
}, [arg([3, 4])], { gradgrad: true });
c('pow_', 'pow_(b) on a narrowed view, twice differentiated', (x, b) => {
  const y = x.mul(1);
  y.narrow(1, 1, 2).pow_(b);
  return y;
}, [arg([3, 4], { lo: 0.5, hi: 2 }), arg([3, 2])], { gradgrad: true });
