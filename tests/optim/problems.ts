// The small problems of tests/fixtures/gen_nn_optim.py, built the same way in torchlet:
// initial parameters and a loss over them.
import * as torch from 'torchlet';

type Params = torch.Tensor[];

export const dataOf = (n: number, k = 0): number[] => Array.from({ length: n }, (_, i) => (((i * 37 + k * 11) % 101) - 50) / 64);

const QA = torch.keep(torch.tensor([1, 2, 3, 4, 5], { dtype: 'float32' }).div(4));
const QC = torch.keep(torch.tensor([0.5, -1, 0.25, 2, -0.75]));
const MX = torch.keep(torch.tensor(dataOf(18, 3)).reshape([6, 3]));
const MY = torch.keep(torch.tensor(dataOf(12, 4)).reshape([6, 2]));

export const PROBLEMS: Record<string, { init: () => Params; loss: (p: Params) => torch.Tensor }> = {
  quad: {
    init: () => [torch.tensor(dataOf(5))],
    loss: (p) => p[0].sub(QC).pow(2).mul(QA).sum(),
  },
  rosen: {
    init: () => [torch.tensor([-1.5, 2.0])],
    loss: (p) => {
      const x = p[0].select(0, 0), y = p[0].select(0, 1);
      return x.rsub(1).pow(2).add(y.sub(x.pow(2)).pow(2).mul(100));
    },
  },
  sinlog: {
    init: () => [torch.tensor([1], { dtype: 'float32' })],
    loss: (p) => p[0].pow(2).add(1).log().sin().sum(),
  },
  mlp: {
    init: () => [
      torch.tensor(dataOf(12, 1)).reshape([4, 3]),
      torch.tensor(dataOf(4, 2)).div(2),
      torch.tensor(dataOf(8, 5)).reshape([2, 4]),
      torch.tensor(dataOf(2, 6)).div(2),
    ],
    loss: (p) => {
      const h = MX.matmul(p[0].t()).add(p[1]).tanh();
      return torch.nn.functional.mseLoss(h.matmul(p[2].t()).add(p[3]), MY);
    },
  },
};
