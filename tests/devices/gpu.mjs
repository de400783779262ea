// The GPU object for torch.webgpu.init: navigator.gpu in Deno and browsers,
// the npm package `webgpu` (Dawn) in Node. null when neither exists.
export async function findGpu() {
  if (globalThis.navigator?.gpu) return globalThis.navigator.gpu;
  try {
    const { create, globals } = await import('webgpu');
    Object.assign(globalThis, globals);
    return create([]);
  } catch (e) {
    console.error(`cannot load the npm package webgpu: ${e.message}`);
    return null;
  }
}
