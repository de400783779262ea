// A short tour of torchlet: run with `npm run demo` after `npm install`.
import * as torch from 'torchlet';

await torch.ready();

const x = torch.tensor([[1, 2, 3], [4, 5, 6]]);
console.log('x =', x);
console.log('x.dtype =', x.dtype, ' x.shape =', x.shape);

const y = x.float().div(2).add(torch.tensor([1, 0, -1]));
console.log('\nbroadcasting x / 2 + [1, 0, -1] =', y);
console.log('\nx @ x.T =', x.matmul(x.T));
console.log('\nsoftmax over rows =', y.softmax(1));

const w = torch.tensor([0.5, -1.5, 2.0], { requiresGrad: true });
const loss = y.matmul(w).pow(2).mean();
loss.backward();
console.log('\nloss =', loss);
console.log('d loss / d w =', w.grad);

console.log('\nmemory:', torch.memory());
