// Run by relaxed.test.ts in a Node process that has relaxed SIMD: checks that
// torchlet picked the relaxed build and that its float GEMM (fused
// multiply-add) agrees with a float64 reference on tail sizes and transposes.
import * as torch from 'torchlet';

await torch.ready();
const info = torch.backendInfo();
const failures = [];
torch.manualSeed(1);
for (const dtype of ['float32', 'float64']) {
  for (const [m, k, n] of [[1, 1, 1], [3, 5, 4], [4, 17, 8], [15, 16, 33], [17, 33, 5], [100, 257, 65], [33, 1000, 17]]) {
    for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]]) {
      const a = ta ? torch.randn(k, m, { dtype }).t() : torch.randn(m, k, { dtype });
      const b = tb ? torch.randn(n, k, { dtype }).t() : torch.randn(k, n, { dtype });
      const got = a.matmul(b).double();
      const want = a.double().matmul(b.double());
      const tol = (dtype === 'float32' ? 2e-6 : 1e-13) * Math.sqrt(k) * 8;
      const err = got.sub(want).abs().max().item();
      if (!(err <= tol)) failures.push(`${dtype} ${m}x${k}x${n} ta=${ta} tb=${tb}: max error ${err} > ${tol}`);
    }
  }
}
console.log(JSON.stringify({ info, failures }));
