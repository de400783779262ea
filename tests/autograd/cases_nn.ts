// Gradcheck cases for torch.nn.functional: linear, softmax wrappers,
// dropout, layerNorm, embedding and every loss with its options.
import * as torch from 'torchlet';
import { arg, fixed, long, table } from './inputs';

type Tensor = torch.Tensor;
const F = torch.nn.functional;
const { cases, c } = table();
export { cases as nnCases };

c('F.linear', 'F.linear(x, w, b)', (x, w, b) => F.linear(x, w, b), [arg([2, 3]), arg([4, 3]), arg([4])], { gradgrad: true });
c('F.linear', 'F.linear(x, w) no bias', (x, w) => F.linear(x, w), [arg([2, 3]), arg([4, 3])]);
c('F.linear', 'F.linear(x 1-d, w, b)', (x, w, b) => F.linear(x, w, b), [arg([3]), arg([2, 3]), arg([2])]);
c('F.linear', 'F.linear(x 3-d, w, b)', (x, w, b) => F.linear(x, w, b), [arg([2, 2, 3]), arg([2, 3]), arg([2])]);
c('F.softmax', 'F.softmax(x, 1)', (x) => F.softmax(x, 1), [arg([3, 4])]);
c('F.logSoftmax', 'F.logSoftmax(x, 0)', (x) => F.logSoftmax(x, 0), [arg([3, 4])]);

// dropout: p = 0 and p = 1 are deterministic; otherwise the seed fixes the mask for every evaluation
c('F.dropout', 'F.dropout(x, 0)', (x) => F.dropout(x, 0), [arg([3, 4])]);
c('F.dropout', 'F.dropout(x, 1)', (x) => F.dropout(x, 1).add(x), [arg([3, 4])]);
c('F.dropout', 'F.dropout(x, 0.5, false) in eval mode', (x) => F.dropout(x, 0.5, false).mul(2), [arg([3, 4])]);
c('F.dropout', 'F.dropout(x, 0.4) with a fixed seed', (x) => {
  torch.manualSeed(3);
  return F.dropout(x, 0.4);
}, [arg([4, 5])], { gradgrad: true });
c('F.dropout', 'F.dropout(x.t(), 0.5) with a fixed seed', (x) => {
  torch.manualSeed(11);
  return F.dropout(x.t(), 0.5);
}, [arg([3, 4])]);

c('F.layerNorm', 'F.layerNorm(x, [4])', (x) => F.layerNorm(x, [4]), [arg([3, 4])], { gradgrad: true });
c('F.layerNorm', 'F.layerNorm(x, 4, w, b)', (x, w, b) => F.layerNorm(x, 4, w, b), [arg([3, 4]), arg([4]), arg([4])], { gradgrad: true });
c('F.layerNorm', 'F.layerNorm(x, [2, 3], w, b, 1e-3)', (x, w, b) => F.layerNorm(x, [2, 3], w, b, 1e-3), [arg([2, 2, 3]), arg([2, 3]), arg([2, 3])]);
c('F.layerNorm', 'F.layerNorm(x.t(), [3], w)', (x, w) => F.layerNorm(x.t(), [3], w), [arg([3, 4]), arg([3])]);

c('F.embedding', 'F.embedding(idx, w) with repeats', (w) => F.embedding(long([1, 3, 1, 0]), w), [arg([4, 3])], { gradgrad: true });
// the paddingIdx row gets no gradient by definition (checked against PyTorch in the subgradient suite); here it is not looked up
c('F.embedding', 'F.embedding(idx 2-d, w, paddingIdx 1)', (w) => F.embedding(long([0, 3, 2, 0, 2, 3], [2, 3]), w, 1), [arg([4, 3])]);
c('F.embedding', 'F.embedding(idx, w, paddingIdx -1)', (w) => F.embedding(long([2, 0, 2]), w, -1), [arg([4, 2])]);

// losses
const REDUCTIONS = ['mean', 'sum', 'none'] as const;
for (const reduction of REDUCTIONS) {
  c('F.mseLoss', `F.mseLoss(x, y, ${reduction})`, (x, y) => F.mseLoss(x, y, { reduction }), [arg([3, 4]), arg([3, 4])], { gradgrad: true });
  c('F.l1Loss', `F.l1Loss(x, y, ${reduction})`, (x, y) => F.l1Loss(x, y, { reduction }), [arg([3, 4], { lo: 0.1, hi: 1 }), arg([3, 4], { lo: -1, hi: -0.1 })]);
}
c('F.mseLoss', 'F.mseLoss(x, y constant) 1-d', (x, y) => F.mseLoss(x, y), [arg([5]), arg([5], { grad: false })]);
// PyTorch broadcasts a differently shaped target (with a warning)
c('F.mseLoss', 'F.mseLoss(x [3, 4], y [4]) broadcast', (x, y) => F.mseLoss(x, y), [arg([3, 4]), arg([4])]);
c('F.l1Loss', 'F.l1Loss(x [3, 1], y [4]) broadcast', (x, y) => F.l1Loss(x, y, { reduction: 'sum' }), [arg([3, 1], { lo: 1, hi: 2 }), arg([4], { lo: -1, hi: 0.5 })]);
c('F.l1Loss', 'F.l1Loss(x, y constant)', (x, y) => F.l1Loss(x, y), [arg([3, 4], { minAbs: 0.1 }), fixed(new Array(12).fill(0), [3, 4], false)]);

const target3 = long([2, 0, 3]);
const weight4 = () => arg([4], { lo: 0.2, hi: 2, grad: false });
for (const reduction of REDUCTIONS) {
  c('F.nllLoss', `F.nllLoss(x, t, ${reduction})`, (x) => F.nllLoss(x, target3, { reduction }), [arg([3, 4])], { gradgrad: true });
  c('F.nllLoss', `F.nllLoss(x, t, weight, ${reduction})`, (x, w) => F.nllLoss(x, target3, { weight: w, reduction }), [arg([3, 4]), weight4()]);
  c('F.nllLoss', `F.nllLoss(x, t with ignoreIndex, ${reduction})`, (x, w) => F.nllLoss(x, long([2, -100, 1]), { weight: w, reduction }), [arg([3, 4]), weight4()]);
}
c('F.nllLoss', 'F.nllLoss(x 1-d, t 0-d)', (x) => F.nllLoss(x, long([2], [])), [arg([4])]);
c('F.nllLoss', 'F.nllLoss(x [2, 3, 2], t [2, 2]) spatial', (x) => F.nllLoss(x, long([0, 2, 1, 1], [2, 2])), [arg([2, 3, 2])]);
c('F.nllLoss', 'F.nllLoss(x, t, ignoreIndex 0)', (x) => F.nllLoss(x, target3, { ignoreIndex: 0 }), [arg([3, 4])]);

// class-index targets
const ceOptions: { name: string; o: () => Record<string, unknown>; target: Tensor }[] = [
  { name: 'plain', o: () => ({}), target: target3 },
  { name: 'weight', o: () => ({ weight: weight4() }), target: target3 },
  { name: 'ignoreIndex 3', o: () => ({ ignoreIndex: 3 }), target: target3 },
  { name: 'weight + ignoreIndex', o: () => ({ weight: weight4() }), target: long([2, -100, 3]) },
  { name: 'labelSmoothing 0.2', o: () => ({ labelSmoothing: 0.2 }), target: target3 },
  { name: 'labelSmoothing + weight', o: () => ({ labelSmoothing: 0.1, weight: weight4() }), target: target3 },
  { name: 'labelSmoothing + ignoreIndex', o: () => ({ labelSmoothing: 0.3, ignoreIndex: 0 }), target: long([2, 0, 3]) },
  { name: 'labelSmoothing + weight + ignoreIndex', o: () => ({ labelSmoothing: 0.3, weight: weight4() }), target: long([1, -100, 3]) },
];
for (const reduction of REDUCTIONS) {
  for (const { name, o, target } of ceOptions) {
    const opts = o();
    c('F.crossEntropy', `F.crossEntropy(x, class indices, ${name}, ${reduction})`, (x) => F.crossEntropy(x, target, { ...opts, reduction }), [arg([3, 4], { lo: -2, hi: 2 })], {
      gradgrad: reduction === 'mean',
    });
  }
  // probability targets (differentiable too, as in PyTorch)
  const probs = () => arg([3, 4], { lo: 0, hi: 1 }).softmax(1).detach().requiresGrad_(true);
  c('F.crossEntropy', `F.crossEntropy(x, probabilities, ${reduction})`, (x, p) => F.crossEntropy(x, p, { reduction }), [arg([3, 4]), probs()], { gradgrad: reduction === 'mean' });
  c('F.crossEntropy', `F.crossEntropy(x, probabilities, weight, labelSmoothing, ${reduction})`, (x, p, w) => F.crossEntropy(x, p, { weight: w, labelSmoothing: 0.2, reduction }), [arg([3, 4]), probs(), weight4()]);
}
c('F.crossEntropy', 'F.crossEntropy(x 1-d, t 0-d)', (x) => F.crossEntropy(x, long([1], [])), [arg([4])]);
c('F.crossEntropy', 'F.crossEntropy(x [2, 3, 2] spatial, labelSmoothing)', (x) => F.crossEntropy(x, long([0, 2, 1, 1], [2, 2]), { labelSmoothing: 0.1 }), [arg([2, 3, 2])]);
c('F.crossEntropy', 'F.crossEntropy(x.t(), t)', (x) => F.crossEntropy(x.t(), target3), [arg([4, 3])]);

const probIn = (shape: number[]) => arg(shape, { lo: 0.1, hi: 0.9 });
for (const reduction of REDUCTIONS) {
  c('F.binaryCrossEntropy', `F.binaryCrossEntropy(p, t, ${reduction})`, (p, t) => F.binaryCrossEntropy(p, t, { reduction }), [probIn([3, 4]), probIn([3, 4])], { gradgrad: reduction === 'mean' });
  c('F.binaryCrossEntropy', `F.binaryCrossEntropy(p, t, weight, ${reduction})`, (p, t, w) => F.binaryCrossEntropy(p, t, { weight: w, reduction }), [probIn([3, 4]), probIn([3, 4]), arg([3, 4], { lo: 0.2, hi: 2, grad: false })]);
  c('F.binaryCrossEntropyWithLogits', `F.binaryCrossEntropyWithLogits(x, t, ${reduction})`, (x, t) => F.binaryCrossEntropyWithLogits(x, t, { reduction }), [arg([3, 4], { lo: -3, hi: 3 }), probIn([3, 4])], {
    gradgrad: reduction === 'mean',
  });
  c('F.binaryCrossEntropyWithLogits', `F.binaryCrossEntropyWithLogits(x, t, weight, posWeight, ${reduction})`, (x, t, w, pw) => F.binaryCrossEntropyWithLogits(x, t, { weight: w, posWeight: pw, reduction }), [
    arg([3, 4], { lo: -3, hi: 3 }),
    probIn([3, 4]),
    // PyTorch refuses a weight or posWeight that requires grad
    arg([3, 4], { lo: 0.2, hi: 2, grad: false }),
    arg([4], { lo: 0.2, hi: 3, grad: false }),
  ]);
}
c('F.binaryCrossEntropy', 'F.binaryCrossEntropy(p, hard targets)', (p) => F.binaryCrossEntropy(p, fixed([1, 0, 1, 1, 0, 0], [2, 3], false)), [probIn([2, 3])]);
c('F.binaryCrossEntropyWithLogits', 'F.binaryCrossEntropyWithLogits large logits', (x, t) => F.binaryCrossEntropyWithLogits(x, t), [fixed([30, -30, 12, -15]), probIn([4])]);
c('F.binaryCrossEntropyWithLogits', 'F.binaryCrossEntropyWithLogits(x.t(), t, posWeight [3, 1])', (x, t, pw) => F.binaryCrossEntropyWithLogits(x.t(), t, { posWeight: pw }), [arg([4, 3]), probIn([3, 4]), arg([3, 1], { lo: 0.5, hi: 2, grad: false })]);
