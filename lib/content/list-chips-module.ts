/** What the injected list-chips script (entrypoints/list-chips.ts) hands to the content script. Types only, and one name. */
import type { ListReader } from '~/lib/sites/lists/types';
import type { ListChips } from './list-chips';

export const LIST_CHIPS_GLOBAL = '__centricListChips';

export interface ListChipsModule {
  ListChips: typeof ListChips;
  listReaderFor(siteId: string): ListReader | undefined;
}
