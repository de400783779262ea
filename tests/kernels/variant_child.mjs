// Run by variants.test.ts in a Node process started with TORCHLET_KERNELS set
// (and relaxed SIMD where that build is asked for): reports which build
// torchlet loaded, and checks products (GEMM, fused multiply-add in the
// relaxed build) and elementwise ops against float64 references on tail
// sizes and strided (transposed) operands, through the public API.
import * as torch from 'torchlet';

await torch.ready();
const info = torch.backendInfo();
const failures = [];
/** Error relative to |want| + 1: absolute near zero, relative for exp's large values. */
const close = (got, want, tol, what) => {
  const err = got.double().sub(want).abs().div(want.abs().add(1)).max().item();
  if (!(err <= tol)) failures.push(`${what}: max error ${err} > ${tol}`);
};
torch.manualSeed(1);
for (const dtype of ['float32', 'float64']) {
  const eps = dtype === 'float32' ? 2e-6 : 1e-13;
  for (const [m, k, n] of [[1, 1, 1], [3, 5, 4], [4, 17, 8], [15, 16, 33], [17, 33, 5], [100, 257, 65], [33, 1000, 17]]) {
    for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]]) {
      const a = ta ? torch.randn(k, m, { dtype }).t() : torch.randn(m, k, { dtype });
      const b = tb ? torch.randn(n, k, { dtype }).t() : torch.randn(k, n, { dtype });
      close(a.matmul(b), a.double().matmul(b.double()), eps * Math.sqrt(k) * 8, `${dtype} ${m}x${k}x${n} ta=${ta} tb=${tb}`);
    }
  }
  for (const len of [1, 3, 5, 17, 33, 1000]) {
    const a = torch.randn(len, 3, { dtype }).t(), b = torch.randn(3, len, { dtype });
    close(a.add(b), a.double().add(b.double()), eps, `${dtype} add [3,${len}] strided + contiguous`);
    close(a.mul(b).exp(), a.double().mul(b.double()).exp(), eps * 4, `${dtype} exp(a * b) [3,${len}] strided`);
  }
}
// contiguous float32 transcendentals: in the relaxed build, whole blocks of 16 go to the
// add-on's fused forms and the n % 16 left to the main kernel; in place too (no silu_, as in PyTorch)
for (const len of [1, 15, 16, 17, 33, 1000, 16389]) {
  const x = torch.randn(len).mul(6);
  for (const op of ['exp', 'sigmoid', 'silu', 'tanh']) {
    const want = x.double()[op]();
    close(x[op](), want, 4e-7, `float32 ${op} [${len}] contiguous`);
    if (op === 'silu') continue;
    const y = x.clone();
    y[`${op}_`]();
    close(y, want, 4e-7, `float32 ${op}_ [${len}] in place`);
  }
}
console.log(JSON.stringify({ info, failures }));
