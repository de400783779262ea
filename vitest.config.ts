import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: { setupFiles: ['tests/helpers/fc_seed.ts'] },
});
