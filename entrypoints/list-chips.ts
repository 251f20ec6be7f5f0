/**
 * The tier chips' code (issue 8), kept out of the site content scripts: the background injects this
 * file into a tab (scripting.executeScript, the content scripts' isolated world, the same site
 * permission) only when the site's list chips switch is on and the sidebar's content script asks for
 * it. It hands the chips controller and the list readers to that content script through a global of
 * the extension's isolated world (the page's own scripts cannot see it).
 */
import { defineUnlistedScript } from 'wxt/utils/define-unlisted-script';
import { ListChips } from '~/lib/content/list-chips';
import { LIST_CHIPS_GLOBAL, type ListChipsModule } from '~/lib/content/list-chips-module';
import { listReaderFor } from '~/lib/sites/lists/registry';

export default defineUnlistedScript(() => {
  const module: ListChipsModule = { ListChips, listReaderFor };
  (globalThis as Record<string, unknown>)[LIST_CHIPS_GLOBAL] = module;
});
