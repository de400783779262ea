// The smoke suite every runtime runs (tests/runtimes/run.mjs): the same checks
// against the packed package, whatever imported it. No runtime-specific APIs
// here: `torch` comes from the caller, results go back as plain data.
//   expect.threads  true: the thread pool must start; false: getNumThreads() is 1
//   expect.variant  the kernel build that must load (default: any SIMD build)
//   expect.syncStart  tensors work at import, before ready() (wherever wasm compiles synchronously)

const near = (a, b, tol = 1e-4) => Math.abs(a - b) <= tol * (1 + Math.abs(b));

function assert(cond, message) {
  if (!cond) throw new Error(message);
}

function assertClose(actual, expected, what) {
  const a = [actual].flat(Infinity), e = [expected].flat(Infinity);
  assert(a.length === e.length && a.every((v, i) => near(v, e[i])), `${what}: got ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function checks(torch, expect) {
  return {
    'ready and backend'() {
      const info = torch.backendInfo();
      if (expect.variant) assert(info.variant === expect.variant, `expected the ${expect.variant} build, got ${info.variant}`);
      else assert(info.variant !== 'scalar', 'every runtime under test has SIMD, yet the scalar build loaded');
      return info;
    },
    creation() {
      const t = torch.tensor([[1, 2], [3, 4]]);
      assert(t.dtype === 'int64' && t.shape.join() === '2,2', `tensor: ${t.dtype} ${t.shape}`);
      assertClose(torch.arange(0, 1, 0.25).tolist(), [0, 0.25, 0.5, 0.75], 'arange');
      assertClose(torch.zeros(2, 3).add(1.5).tolist(), [[1.5, 1.5, 1.5], [1.5, 1.5, 1.5]], 'zeros + 1.5');
      torch.manualSeed(0);
      // torch.manual_seed(0); torch.rand(2) in PyTorch 1.13
      assertClose(torch.rand(2).tolist(), [0.49625658988952637, 0.7682217955589294], 'rand after manualSeed(0)');
      assert(String(torch.eye(2)) === 'tensor([[1., 0.],\n        [0., 1.]])', `repr: ${String(torch.eye(2))}`);
    },
    views() {
      const base = torch.arange(6).float();
      const v = base.view(2, 3).t();
      assert(!v.isContiguous() && v.stride().join() === '1,3', `t() strides ${v.stride()}`);
      v.select(0, 1).fill_(-1); // column 1 of the 2x3 view: elements 1 and 4
      assertClose(base.tolist(), [0, -1, 2, 3, -1, 5], 'write through a view');
      assertClose(v.contiguous().tolist(), [[0, 3], [-1, -1], [2, 5]], 'contiguous copy of a transpose');
    },
    broadcasting() {
      const col = torch.tensor([[1], [2], [3]], { dtype: 'float32' });
      const row = torch.tensor([10, 20, 30, 40], { dtype: 'float32' });
      const s = col.mul(row).sub(col);
      assert(s.shape.join() === '3,4', `shape ${s.shape}`);
      assertClose(s.tolist(), [[9, 19, 29, 39], [18, 38, 58, 78], [27, 57, 87, 117]], '[3,1] * [4] - [3,1]');
      assertClose(torch.tensor([1, 2, 3]).add(torch.tensor(0.5)).tolist(), [1.5, 2.5, 3.5], 'int64 + float32 scalar tensor');
    },
    matmul() {
      const a = torch.tensor([[1, 2, 3], [4, 5, 6]], { dtype: 'float32' });
      const b = torch.tensor([[7, 8], [9, 10], [11, 12]], { dtype: 'float32' });
      assertClose(a.matmul(b).tolist(), [[58, 64], [139, 154]], '2x3 @ 3x2');
      // large enough for the blocked kernel, its tails and (where there are threads) the pool
      const n = 67;
      const x = torch.arange(n * n).float().div(n * n).view(n, n);
      const y = x.matmul(x.T);
      const xs = x.tolist();
      for (const [i, j] of [[0, 0], [5, 66], [66, 3], [33, 34]]) {
        let ref = 0;
        for (let k = 0; k < n; k++) ref += xs[i][k] * xs[j][k];
        assert(near(y.select(0, i).select(0, j).item(), ref), `(x @ x.T)[${i}, ${j}]`);
      }
      assertClose(torch.bmm(torch.ones(2, 3, 4), torch.ones(2, 4, 5)).sum().item(), 2 * 3 * 5 * 4, 'bmm');
    },
    backward() {
      const x = torch.tensor([[1, -2], [3, 4]], { dtype: 'float32', requiresGrad: true });
      const w = torch.tensor([0.5, -1], { dtype: 'float32', requiresGrad: true });
      const y = x.mul(w).relu().pow(2).sum(); // broadcasting w over rows
      y.backward();
      // y = sum(relu(x*w)^2): x*w = [[0.5, 2], [1.5, -4]]
      assertClose(x.grad.tolist(), [[0.5, -4], [1.5, 0]], 'x.grad');
      assertClose(w.grad.tolist(), [2 * 0.5 * 1 + 2 * 1.5 * 3, 2 * 2 * -2], 'w.grad');
      assertClose(y.item(), 0.25 + 4 + 2.25, 'y');
    },
    'optimizer step'() {
      torch.manualSeed(1);
      const net = new torch.nn.Sequential(new torch.nn.Linear(4, 8), new torch.nn.ReLU(), new torch.nn.Linear(8, 3));
      const opt = new torch.optim.Adam(net.parameters(), { lr: 0.05 });
      const x = torch.randn(16, 4);
      const target = torch.randint(0, 3, [16]);
      const losses = [];
      for (let i = 0; i < 20; i++) {
        losses.push(
          torch.tidy(() => {
            const loss = torch.nn.functional.crossEntropy(net.forward(x), target);
            opt.zeroGrad();
            loss.backward();
            opt.step();
            return loss.item();
          }),
        );
      }
      assert(losses[19] < losses[0] * 0.8, `loss did not fall: ${losses[0]} -> ${losses[19]}`);
      return { loss: [losses[0], losses[19]] };
    },
    'memory freed'() {
      const before = torch.memory();
      torch.tidy(() => {
        const a = torch.randn(128, 128, { requiresGrad: true });
        const loss = a.matmul(a).tanh().mean();
        loss.backward();
        a.grad.mul(2);
        a.dispose();
      });
      const after = torch.memory();
      assert(after.liveTensors === before.liveTensors && after.liveBytes === before.liveBytes, `leaked: ${JSON.stringify(before)} -> ${JSON.stringify(after)}`);
      return after;
    },
    async threads() {
      if (!expect.threads) {
        assert(torch.getNumThreads() === 1, `getNumThreads() is ${torch.getNumThreads()} where threads are impossible`);
        return { numThreads: 1 };
      }
      torch.setNumThreads(2);
      assert(torch.getNumThreads() === 2, `getNumThreads() is ${torch.getNumThreads()} after setNumThreads(2)`);
      const a = torch.ones(256, 256);
      // the pool starts in the background on the first large matmul; wait for it (bounded)
      for (let i = 0; i < 200 && torch.backendInfo().threads < 2; i++) {
        a.matmul(a).dispose();
        await sleep(50);
      }
      assert(torch.backendInfo().threads === 2, `thread pool did not start: ${JSON.stringify(torch.backendInfo())}`);
      assertClose(a.matmul(a).sum().item(), 256 ** 3, 'matmul on two threads');
      a.dispose();
      return { numThreads: torch.getNumThreads(), running: torch.backendInfo().threads };
    },
  };
}

/** Runs every check; returns { passed, failed, results: [{ name, ok, detail | error }] }. */
export async function smoke(torch, expect) {
  const results = [];
  if (expect.syncStart) {
    try {
      torch.zeros(1).dispose();
      results.push({ name: 'synchronous start', ok: true, detail: null });
    } catch (e) {
      results.push({ name: 'synchronous start', ok: false, error: String(e) });
    }
  }
  await torch.ready();
  for (const [name, check] of Object.entries(checks(torch, expect))) {
    try {
      results.push({ name, ok: true, detail: (await check()) ?? null });
    } catch (e) {
      results.push({ name, ok: false, error: String(e?.stack ?? e) });
    }
  }
  return { passed: results.filter((r) => r.ok).length, failed: results.filter((r) => !r.ok).length, results };
}
