import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing';

// Unit tests: pure lib/ code in Node, plus WXT's fake browser and fake-indexeddb for the wiring.
export default defineConfig({
  plugins: [WxtVitest()],
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/unit/**/*.test.tsx'],
    setupFiles: ['tests/unit/setup.ts'],
    // Safety nets against a hung test, not speed checks: a loaded machine (CI's busy 2 cores) can take
    // more than Vitest's 10 s default to set up a scored sample store in beforeAll.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
