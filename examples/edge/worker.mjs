// Digit recognition at the edge: a Cloudflare Workers / workerd module worker
// serving the demo's network (examples/mnist.mjs) from its safetensors weights.
//   POST /predict  {"pixels": 784 numbers in [0, 1] (a 28x28 digit, row-major, or 28 rows of 28)}
//   -> {"digit": 7, "probabilities": [...10 numbers]}
// The weights ship as a Data module (an ArrayBuffer; wrangler.toml's rule),
// torchlet's kernels as precompiled wasm modules (its "workerd" export).
import * as torch from 'torchlet';
import weights from './mnist-mlp.safetensors';

const { nn } = torch;

/** The demo's network, with the same parameter names as its state dict. */
class NeuralNetwork extends nn.Module {
  constructor() {
    super();
    this.flatten = new nn.Flatten();
    this.linear_relu_stack = new nn.Sequential(new nn.Linear(784, 512), new nn.ReLU(), new nn.Linear(512, 512), new nn.ReLU(), new nn.Linear(512, 10));
  }

  forward(x) {
    return this.linear_relu_stack.forward(this.flatten.forward(x));
  }
}

// loaded once per isolate, at startup, outside any request
const model = new NeuralNetwork();
model.loadStateDict(torch.load(new Uint8Array(weights)));
model.eval();

const json = (body, status = 200) => Response.json(body, { status });

export default {
  async fetch(request) {
    const { pathname } = new URL(request.url);
    if (pathname !== '/predict') return json({ error: 'not found: POST /predict' }, 404);
    if (request.method !== 'POST') return json({ error: 'use POST' }, 405);
    let pixels;
    try {
      pixels = (await request.json()).pixels?.flat();
    } catch {
      return json({ error: 'body must be JSON' }, 400);
    }
    if (!Array.isArray(pixels) || pixels.length !== 784 || !pixels.every(Number.isFinite)) {
      return json({ error: 'pixels must be 784 finite numbers (a 28x28 digit)' }, 400);
    }
    const probabilities = torch.tidy(() =>
      torch.noGrad(() => model.forward(torch.tensor(pixels, { dtype: 'float32' }).view(1, 28, 28)).softmax(1).view(10).tolist()),
    );
    return json({ digit: probabilities.indexOf(Math.max(...probabilities)), probabilities });
  },
};
