// saveFile / loadFile round trips through a temporary directory.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as torch from 'torchlet';

const dir = mkdtempSync(join(tmpdir(), 'torchlet-io-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('saveFile / loadFile', () => {
  it('round-trip a state dict and its metadata through a file', async () => {
    torch.manualSeed(1);
    const model = new torch.nn.Sequential(new torch.nn.Linear(3, 4), new torch.nn.ReLU(), new torch.nn.Linear(4, 2));
    const path = join(dir, 'model.safetensors');
    await torch.saveFile(path, model.stateDict(), { epoch: '3' });
    const bytes = new Uint8Array(readFileSync(path));
    expect(bytes).toEqual(torch.save(model.stateDict(), { epoch: '3' }));
    expect(torch.loadMetadata(bytes)).toEqual({ epoch: '3' });
    const sd = await torch.loadFile(path);
    const copy = new torch.nn.Sequential(new torch.nn.Linear(3, 4), new torch.nn.ReLU(), new torch.nn.Linear(4, 2));
    copy.loadStateDict(sd);
    for (const [k, v] of Object.entries(model.stateDict())) expect(torch.equal(copy.stateDict()[k], v), k).toBe(true);
  });
  it('reject a missing file with the file system error', async () => {
    await expect(torch.loadFile(join(dir, 'nope.safetensors'))).rejects.toThrow(/ENOENT/);
  });
  it('reject a file that is not safetensors', async () => {
    const path = join(dir, 'junk.bin');
    await (await import('node:fs/promises')).writeFile(path, 'not a tensor file at all');
    await expect(torch.loadFile(path)).rejects.toThrow(/invalid safetensors file/);
  });
});
