"""Records PyTorch's gradients at the points where finite differences say
nothing: kinks, ties, bounds, zeros and singularities, where PyTorch picks a
convention (relu'(0) = 0, max ties share evenly, norm at 0 is 0, ...).

Run with PyTorch 1.13:  /usr/bin/python3 tests/autograd/gen_subgradients.py
Writes tests/autograd/subgradients.json, replayed by subgradients.test.ts.
Each case has a JS and a Python expression of the same computation; inputs
are float64 and all differentiable; the upstream gradient is 1, 2, 3, ...
"""

import json
import math
import os

import torch
import torch.nn.functional as F

INF = math.inf
NAN = math.nan

CASES = []


def case(name, js, py, inputs, **extra):
    CASES.append({"id": name, "js": js, "py": py, "inputs": inputs, **extra})


def same(expr):
    return expr, expr


# kinks at 0
x0 = {"x": [-1.5, 0.0, 2.0]}
case("relu at 0", *same("x.relu()"), x0)
case("relu_ at 0 on a non-leaf", *same("x.mul(1).relu_()"), x0)
case("abs at 0", *same("x.abs()"), x0)
case("abs_ at 0 on a non-leaf", *same("x.mul(1).abs_()"), x0)
case("sign at 0", *same("x.sign()"), x0)
case("leakyRelu at 0", "F.leakyRelu(x, 0.2)", "F.leaky_relu(x, 0.2)", x0)
case("elu at 0", "F.elu(x)", "F.elu(x)", x0)
case("elu at 0, alpha 0.5", "F.elu(x, 0.5)", "F.elu(x, 0.5)", x0)
case("l1Loss where input equals target", "F.l1Loss(x, y, { reduction: 'sum' })", "F.l1_loss(x, y, reduction='sum')", {"x": [1.0, 2.0, 3.0], "y": [1.0, 0.0, 3.0]})
case("norm(1) at a zero element", *same("x.norm(1)"), x0)

# bounds
xb = {"x": [-1.0, -0.5, 1.0, 2.0]}
case("hardtanh at its bounds", "F.hardtanh(x)", "F.hardtanh(x)", xb)
case("clamp at its bounds", *same("x.clamp(-1, 1)"), xb)
case("clamp min at its bound", *same("x.clamp(-0.5)"), xb)
case("clamp max at its bound", "x.clamp(null, 1)", "x.clamp(None, 1)", xb)
case("clamp with min above max", *same("x.clamp(1, -1)"), xb)
case("clamp_ at its bounds on a non-leaf", *same("x.mul(1).clamp_(-1, 1)"), xb)
case("softplus at the threshold", "F.softplus(x, 1, 2)", "F.softplus(x, 1, 2)", {"x": [1.0, 2.0, 3.0]})

# ties
case("maximum ties", *same("torch.maximum(x, y)"), {"x": [1.0, 2.0, 3.0], "y": [1.0, 5.0, 3.0]})
case("minimum ties", *same("torch.minimum(x, y)"), {"x": [1.0, 2.0, 3.0], "y": [1.0, 5.0, 3.0]})
case("maximum of a tensor with itself", *same("torch.maximum(x, x)"), {"x": [1.0, -2.0]})
case("max() ties", *same("x.max()"), {"x": [3.0, 1.0, 3.0, 3.0]})
case("min() ties", *same("x.min()"), {"x": [1.0, 1.0, 3.0]})
case("amax ties along a dim", *same("x.amax(1)"), {"x": [[2.0, 2.0, 1.0], [0.0, 5.0, 5.0]]})
case("amin ties over all", *same("x.amin()"), {"x": [[2.0, 1.0, 1.0], [1.0, 5.0, 5.0]]})
case("max(dim) ties", "x.max(1).values", "x.max(1).values", {"x": [[2.0, 2.0, 1.0], [0.0, 5.0, 5.0]]})
case("min(dim) ties", "x.min(0).values", "x.min(0).values", {"x": [[2.0, 1.0], [2.0, 1.0]]})
case("norm(inf) ties", "x.norm(Infinity)", "x.norm(float('inf'))", {"x": [3.0, -3.0, 1.0]})
case("norm(-inf) ties", "x.norm(-Infinity)", "x.norm(float('-inf'))", {"x": [1.0, -1.0, 3.0]})

# zeros and singular points
z = {"x": [0.0, 0.0, 0.0]}
case("norm() at 0", *same("x.norm()"), z)
case("norm(1) at 0", *same("x.norm(1)"), z)
case("norm(3) at 0", *same("x.norm(3)"), z)
case("norm(inf) at 0", "x.norm(Infinity)", "x.norm(float('inf'))", z)
case("norm('fro') at 0", *same("x.norm('fro')"), z)
case("norm(0.5) at a zero element", *same("x.norm(0.5)"), {"x": [0.0, 4.0, 1.0]})
case("norm(2, 1) with a zero row", *same("x.norm(2, 1)"), {"x": [[0.0, 0.0], [3.0, 4.0]]})
case("std of a constant", *same("x.std()"), {"x": [2.0, 2.0, 2.0]})
case("std(1) with a constant row", *same("x.std(1)"), {"x": [[1.0, 1.0], [1.0, 3.0]]})
case("var of a constant", *same("x.var()"), {"x": [2.0, 2.0, 2.0]})
case("sqrt at 0", *same("x.sqrt()"), {"x": [0.0, 4.0]})
case("rsqrt at 0", *same("x.rsqrt()"), {"x": [0.0, 4.0]})
case("log at 0", *same("x.log()"), {"x": [0.0, 2.0]})
case("reciprocal at 0", *same("x.reciprocal()"), {"x": [0.0, 2.0]})
case("asin and acos at +-1", *same("x.asin().add(x.acos())"), {"x": [1.0, -1.0, 0.0]})
case("atanh at 1", *same("x.atanh()"), {"x": [1.0, 0.0]})
case("acosh at 1", *same("x.acosh()"), {"x": [1.0, 2.0]})
case("div by 0", *same("x.div(y)"), {"x": [1.0, 0.0, 2.0], "y": [0.0, 0.0, 4.0]})
case("atan2 at the origin", *same("torch.atan2(x, y)"), {"x": [0.0, 1.0], "y": [0.0, 0.0]})
case("pow(x, 2) at 0", *same("x.pow(2)"), {"x": [0.0, 3.0]})
case("pow(x, 0.5) at 0", *same("x.pow(0.5)"), {"x": [0.0, 4.0]})
case("pow(x, 0) at 0", *same("x.pow(0)"), {"x": [0.0, 3.0]})
case("pow(x, -1) at 0", *same("x.pow(-1)"), {"x": [0.0, 2.0]})
case("pow(x, 1.5) at 0", *same("x.pow(1.5)"), {"x": [0.0, 4.0]})
case("pow(x, y) with zero bases", *same("x.pow(y)"), {"x": [0.0, 0.0, 0.0, 2.0], "y": [0.0, 1.0, 2.5, 0.0]})
case("pow(x, y) zero base, negative exponent", *same("x.pow(y)"), {"x": [0.0, 0.0], "y": [-1.0, -0.5]})
case("pow(0, y)", "torch.pow(0, y)", "torch.pow(0, y)", {"y": [0.0, 1.0, 2.0, -1.0]})
case("pow(2, y)", "torch.pow(2, y)", "torch.pow(2, y)", {"y": [0.0, -1.5]})
case("pow(x, y) negative base, integer exponent", *same("x.pow(y)"), {"x": [-2.0, -1.5], "y": [2.0, 3.0]})
case("prod with a single zero", *same("x.prod()"), {"x": [2.0, 0.0, 3.0]})
case("prod with two zeros", *same("x.prod()"), {"x": [0.0, 2.0, 0.0]})
case("cumprod with zeros", *same("x.cumprod(0)"), {"x": [2.0, 0.0, 3.0, 0.0, 4.0]})

# conventions of nn functions
case("embedding: the paddingIdx row gets no gradient", "F.embedding(torch.tensor([[0, 2], [2, 1]]), w, 2)", "F.embedding(torch.tensor([[0, 2], [2, 1]]), w, 2)", {"w": [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]})
case("embedding: paddingIdx -1", "F.embedding(torch.tensor([2, 0, 2]), w, -1)", "F.embedding(torch.tensor([2, 0, 2]), w, -1)", {"w": [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]})
case("dropout p = 1", "F.dropout(x, 1)", "F.dropout(x, 1.0)", x0)
case("binaryCrossEntropy at p = 0 and 1", "F.binaryCrossEntropy(x, t, { reduction: 'sum' })", "F.binary_cross_entropy(x, t, reduction='sum')", {"x": [0.0, 1.0, 0.0, 1.0], "t": [0.0, 1.0, 1.0, 0.0]})
case("crossEntropy with every target ignored (mean)", "F.crossEntropy(x, torch.tensor([-100, -100]))", "F.cross_entropy(x, torch.tensor([-100, -100]))", {"x": [[1.0, 2.0], [0.5, -1.0]]})
case("nllLoss with every target ignored (sum)", "F.nllLoss(x, torch.tensor([1, 1]), { ignoreIndex: 1, reduction: 'sum' })", "F.nll_loss(x, torch.tensor([1, 1]), ignore_index=1, reduction='sum')", {"x": [[1.0, 2.0], [0.5, -1.0]]})
case("logsumexp of -inf", *same("x.logsumexp(0)"), {"x": [-INF, -INF]})
case("softmax with -inf", *same("x.softmax(0)"), {"x": [-INF, 1.0, 2.0]})
case("logSoftmax with -inf", "x.logSoftmax(0)", "x.log_softmax(0)", {"x": [-INF, 1.0, 2.0]})


def enc(v):
    if isinstance(v, list):
        return [enc(u) for u in v]
    if isinstance(v, bool):
        return v
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return v


def run(c):
    env = {name: torch.tensor(data, dtype=torch.float64, requires_grad=True) for name, data in c["inputs"].items()}
    out = eval(c["py"], {"torch": torch, "F": F}, dict(env))
    grad_out = torch.arange(1, out.numel() + 1, dtype=torch.float64).reshape(out.shape)
    out.backward(grad_out)
    return {
        **c,
        "inputs": {k: enc(v) for k, v in c["inputs"].items()},
        "output": enc(out.detach().tolist()),
        "grads": {k: enc(t.grad.tolist()) if t.grad is not None else None for k, t in env.items()},
    }


if __name__ == "__main__":
    out = {"torch": torch.__version__, "cases": [run(c) for c in CASES]}
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "subgradients.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print(f"wrote {len(CASES)} cases to {path}")
