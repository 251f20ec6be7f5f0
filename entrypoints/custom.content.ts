// The sidebar on the custom sites a manager taught Centric (lib/sites/custom.ts): one content script
// for every rule, registered by the background for the rules' granted patterns. Rules were validated
// with zod when saved; here they are only shape-checked (no zod in a content script).
import { browser } from 'wxt/browser';
import { defineContentScript } from 'wxt/utils/define-content-script';
import { mountSidebar } from '~/components/sidebar/content-script';
import { adapterFromRule, CUSTOM_SITES_KEY, customRules, ruleForUrl } from '~/lib/sites/custom';

export default defineContentScript({
  registration: 'runtime',
  cssInjectionMode: 'manual',
  runAt: 'document_idle',
  async main(ctx) {
    const stored = await browser.storage.local.get(CUSTOM_SITES_KEY);
    const rule = ruleForUrl(customRules(stored[CUSTOM_SITES_KEY]), new URL(location.href));
    if (rule) await mountSidebar(ctx, adapterFromRule(rule));
  },
});
