import { defineConfig } from 'wxt';
import preact from '@preact/preset-vite';
import { allSitePatterns } from './lib/sites/enablement';
import { SITE_ADAPTERS, DEMO_PATTERNS } from './lib/sites/registry';
import { EXTENSION_PAGES_CSP, GECKO_SETTINGS } from './lib/security/csp';
import { iconPaths } from './lib/toolbar/icons';
import { writeHostContentScripts } from './scripts/host-content-scripts';

/** Host patterns of the CRM and helpdesk sites: optional, asked per site when a person enables it. */
const SITE_PATTERNS = allSitePatterns(SITE_ADAPTERS).filter((p) => !DEMO_PATTERNS.includes(p));

// See docs/architecture.md for why things are wired the way they are.
export default defineConfig({
  srcDir: '.',
  entrypointsDir: 'entrypoints',
  outDir: '.output',
  hooks: {
    // Each built-in host's content script, generated from its folder lib/sites/hosts/<id>/ (docs/adding-a-host.md).
    'entrypoints:found': (wxt, infos) => {
      for (const script of writeHostContentScripts(wxt.config.root)) infos.push({ ...script, type: 'content-script' });
    },
  },
  // Manifest V3 for Firefox too (.output/firefox-mv3): WXT drops optional_host_permissions from an MV2
  // manifest, and every CRM site is an optional host permission (docs/architecture.md).
  manifestVersion: 3,
  // Shipped as-is inside the extension (e.g. the sample data, fetched at run time, not bundled).
  publicDir: 'assets/public',
  // `npm run zip` / `npm run zip:firefox` (docs/store-listing.md). The Firefox sources archive is what
  // addons.mozilla.org's reviewers rebuild from: WXT already leaves out node_modules, hidden folders
  // (.wxt, .test-results, .git), test files and .output; the tests, the demo's screenshots, logs and
  // earlier archives are not needed to build either.
  zip: {
    excludeSources: ['tests/**', 'demo-output/**', 'dist/**', 'tmp/**', 'stats.html', '**/*.log', '**/*.zip'],
  },
  vite: () => ({
    plugins: [preact()],
    build: {
      target: 'es2022',
      minify: process.env.NOMINIFY ? false : undefined,
      rollupOptions: {
        onwarn(warning, warn) {
          // zod ships annotations Rollup cannot place; harmless, and noisy in every build.
          if (warning.code === 'INVALID_ANNOTATION' && warning.id?.includes('node_modules/zod')) return;
          warn(warning);
        },
      },
    },
  }),
  manifest: ({ mode, browser }) => ({
    name: 'Centric — customer value where you work',
    short_name: 'Centric',
    description:
      'Shows each customer’s value tier and recommended treatment inside your CRM and helpdesk.',
    // Drawn in assets/icon.svg, rendered to assets/public/icons/ (npm run icons). The toolbar icon's
    // badge shows the tier of the customer on the current tab (lib/toolbar/badge.ts).
    icons: iconPaths(),
    action: { default_title: 'Centric', default_icon: iconPaths() },
    // Every permission here is justified in docs/store-listing.md and on the allow-list of
    // tests/e2e/manifest-build.e2e.ts.
    permissions: ['storage', 'activeTab', 'scripting', 'alarms'],
    // A strict policy for the extension's own pages (lib/security/csp.ts, docs/security.md).
    content_security_policy: { extension_pages: EXTENSION_PAGES_CSP },
    ...(browser === 'firefox' ? { browser_specific_settings: { gecko: GECKO_SETTINGS } } : {}),
    // Sites are granted one by one (options page, popup); "https://*/*" only ever for a custom domain a
    // person names. Optional permissions raise no warning at install.
    optional_host_permissions: [...SITE_PATTERNS, 'https://*/*'],
    // The end-to-end build (--mode e2e) is granted the built-in sites at install, because a test
    // cannot click the browser's permission prompt. Everything else is the same build.
    ...(mode === 'e2e' ? { host_permissions: SITE_PATTERNS } : {}),
    // The purchase-history chart is an extension page framed inside the sidebar (Chart.js stays out of
    // content scripts); framing needs it web-accessible. Dynamic URLs keep pages from probing for it.
    web_accessible_resources: [{ resources: ['purchases.html'], matches: ['<all_urls>'], use_dynamic_url: true }],
    // The team policy's keys (lib/rules/policy.ts; docs/managed-policy.md): Chrome reads storage.managed
    // only for keys this schema declares. Firefox takes the policy from policies.json instead.
    storage: { managed_schema: 'managed-schema.json' },
    commands: {
      'toggle-sidebar': {
        suggested_key: { default: 'Alt+Shift+C' },
        description: 'Show or hide the Centric sidebar',
      },
    },
  }),
});
