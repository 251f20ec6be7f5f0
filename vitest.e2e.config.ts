import { defineConfig } from 'vitest/config';

// End-to-end tests: the built extension (.output/chrome-mv3-e2e) in Debian's Chromium through playwright-core,
// and the Firefox builds (.output/firefox-mv3-e2e, and the production .output/firefox-mv3) in Debian's firefox-esr
// through puppeteer-core (firefox.e2e.ts, firefox-production.e2e.ts).
export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.e2e.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
