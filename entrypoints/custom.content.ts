// The sidebar on the custom sites a manager taught Centric (lib/content/custom-script.ts).
import { defineContentScript } from 'wxt/utils/define-content-script';
import { mountCustomSite } from '~/lib/content/custom-script';

export default defineContentScript({
  registration: 'runtime',
  cssInjectionMode: 'manual',
  runAt: 'document_idle',
  main: (ctx) => mountCustomSite(ctx),
});
