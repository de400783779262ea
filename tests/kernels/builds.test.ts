// Which kernel builds this engine runs. A build it cannot run is reported as
// skipped, with the reason, never silently passed.
import { describe, expect, it } from 'vitest';
import { ALL_BUILDS, GEMM_BUILDS, unsupported, bench } from './harness';

describe('kernel builds', () => {
  for (const build of ALL_BUILDS) {
    const why = unsupported(build);
    it.skipIf(why)(`${build}${why ? ` (skipped: ${why})` : ''} instantiates and exports the float GEMM`, () => {
      expect(GEMM_BUILDS).toContain(build);
      expect(typeof bench(build).fn('gemm_f32')).toBe('function');
    });
  }
});
