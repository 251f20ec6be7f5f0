import { defineConfig } from 'vitest/config';

// End-to-end tests: the built extension (.output/chrome-mv3-e2e) in Debian's Chromium through playwright-core,
// and the Firefox builds (.output/firefox-mv3-e2e, and the production .output/firefox-mv3) in Debian's firefox-esr
// through puppeteer-core (firefox.e2e.ts, firefox-production.e2e.ts).
export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.e2e.ts'],
    // Above the waits' own deadlines (tests/support/chromium.ts TIMEOUTS), so a wait that runs out
    // reports the state it waited for rather than a bare test timeout; CI is a busy 2-core machine.
    testTimeout: 180_000,
    hookTimeout: 240_000,
    fileParallelism: false,
  },
});
