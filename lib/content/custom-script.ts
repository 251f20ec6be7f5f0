/**
 * The content script of the custom sites a manager taught Centric (lib/sites/custom.ts): one script
 * for every rule, registered by the background for the rules' granted patterns. Rules were validated
 * with zod when saved; here they are only shape-checked (no zod in a content script).
 */
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { adapterFromRule, ruleForUrl } from '~/lib/sites/custom';
import { CUSTOM_SITES } from '~/lib/settings/items';
import { readSetting } from '~/lib/settings/storage';
import { mountSidebar } from './sidebar-script';

/** Mounts the sidebar with the saved rule that covers this page, if one does. */
export async function mountCustomSite(ctx: ContentScriptContext): Promise<void> {
  const rule = ruleForUrl(await readSetting(CUSTOM_SITES), new URL(location.href));
  if (rule) await mountSidebar(ctx, adapterFromRule(rule));
}
