import { defineConfig } from 'wxt';
import preact from '@preact/preset-vite';

// See docs/architecture.md for why things are wired the way they are.
export default defineConfig({
  srcDir: '.',
  entrypointsDir: 'entrypoints',
  outDir: '.output',
  // Shipped as-is inside the extension (e.g. the sample data, fetched at run time, not bundled).
  publicDir: 'assets/public',
  vite: () => ({
    plugins: [preact()],
    build: {
      target: 'es2022',
      rollupOptions: {
        onwarn(warning, warn) {
          // zod ships annotations Rollup cannot place; harmless, and noisy in every build.
          if (warning.code === 'INVALID_ANNOTATION' && warning.id?.includes('node_modules/zod')) return;
          warn(warning);
        },
      },
    },
  }),

  manifest: {
    name: 'Centric — customer value where you work',
    short_name: 'Centric',
    description:
      'Shows each customer’s value tier and recommended treatment inside your CRM and helpdesk.',
    permissions: ['storage', 'activeTab'],
    commands: {
      'toggle-sidebar': {
        suggested_key: { default: 'Alt+Shift+C' },
        description: 'Show or hide the Centric sidebar',
      },
    },
  },
});
