// Whether ops record the graph. Toggled by noGrad/enableGrad and by the
// engine itself (backward without createGraph runs with recording off).

let enabled = true;

export const isGradEnabled = (): boolean => enabled;

export function setGradEnabled(on: boolean): void {
  enabled = on;
}

function withGrad<T>(on: boolean, fn: () => T): T {
  const prev = enabled;
  enabled = on;
  try {
    return fn();
  } finally {
    enabled = prev;
  }
}

/** Runs fn without recording operations for autograd (PyTorch: `with torch.no_grad()`). */
export const noGrad = <T>(fn: () => T): T => withGrad(false, fn);

/** Runs fn with recording on, even inside noGrad (PyTorch: `with torch.enable_grad()`). */
export const enableGrad = <T>(fn: () => T): T => withGrad(true, fn);
