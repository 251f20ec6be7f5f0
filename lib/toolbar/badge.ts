/**
 * The toolbar icon's badge: the initial of the tier of the customer the current tab shows, in the
 * tier's colours. Set when the background answers a tab's lookup (its top frame); cleared when that
 * tab's answer has no tier (no customer found, an error, a customer without a score) and when the tab
 * goes to another URL (a page that shows no customer sends no lookup, so navigating is what clears it).
 * Pure apart from the `action` API it is given, so it is tested without a browser.
 */
import type { LookupResult } from '../messages/schema';

/** What the badge shows. */
export interface BadgeFace {
  /** The tier's initial (one character, upper case). */
  text: string;
  /** The tier's colour (badge background). */
  color: string;
  /** The tier's text colour (readable on `color`). */
  textColor: string;
}

/** The part of `chrome.action` / `browser.action` the badge uses. */
export interface BadgeApi {
  setBadgeText(details: { tabId: number; text: string }): Promise<void>;
  setBadgeBackgroundColor(details: { tabId: number; color: string }): Promise<void>;
  /** Chrome 110+, Firefox 63+; without it the browser picks the text colour. */
  setBadgeTextColor?(details: { tabId: number; color: string }): Promise<void>;
}

/** Who sent a request (runtime.MessageSender's relevant fields). */
export interface BadgeSender {
  tab?: { id?: number };
  frameId?: number;
}

/** The first character of the tier's name, upper case (a whole character, also outside the BMP). */
export function tierInitial(tier: string): string {
  const first = [...tier.trim()][0];
  return first ? first.toLocaleUpperCase() : '';
}

/** The badge for a lookup's answer, or null when the answer shows no tier (the badge is cleared). */
export function badgeFor(result: LookupResult | undefined): BadgeFace | null {
  if (result?.status !== 'found') return null;
  // The value the sidebar shows: the team's source's when its precedence won (the local one is then left
  // out of the answer), else the local score.
  const value = result.customer.remote ?? result.customer.value;
  if (!value) return null;
  const text = tierInitial(value.tier);
  return text ? { text, color: value.tierColor, textColor: value.tierForeground } : null;
}

/** Whether a request's answer is a lookup answer for a page (`lookup`, and `link`, which answers with a lookup). */
export function isPageLookup(message: unknown): boolean {
  const type = (message as { type?: unknown } | null)?.type;
  return type === 'lookup' || type === 'link';
}

/**
 * The badges of all tabs. A tab's badge follows the answer to its latest lookup, and a navigation
 * (tabs.onUpdated with a new URL) clears it. An answer to a lookup that arrived before the tab's
 * latest navigation is dropped: it is about the page the tab left. The sender's URL cannot tell
 * (Chrome keeps reporting a content script's first URL after history.pushState), so the order
 * decides: each tab counts its navigations, and a lookup remembers the count it arrived at.
 */
export class TabBadges {
  /** Per tab, the URL last reported by the browser and how many different URLs it reported. */
  private readonly tabs = new Map<number, { url: string; navigations: number }>();

  constructor(private readonly api: BadgeApi) {}

  /**
   * A request arrived: for a lookup from a tab's top frame, returns what to call with its answer (it
   * sets or clears that tab's badge, unless the tab navigated meanwhile); for anything else, null.
   */
  request(message: unknown, sender: BadgeSender): ((answer: unknown) => Promise<void>) | null {
    const tabId = sender.tab?.id;
    if (tabId === undefined || tabId < 0 || (sender.frameId ?? 0) !== 0 || !isPageLookup(message)) return null;
    const navigations = this.tabs.get(tabId)?.navigations ?? 0;
    return async (answer) => {
      if ((this.tabs.get(tabId)?.navigations ?? 0) !== navigations) return;
      const face = badgeFor(answer as LookupResult | undefined);
      if (!face) return this.clear(tabId);
      await Promise.all([
        this.api.setBadgeText({ tabId, text: face.text }),
        this.api.setBadgeBackgroundColor({ tabId, color: face.color }),
        this.api.setBadgeTextColor?.({ tabId, color: face.textColor }),
      ]);
    };
  }

  /** The tab now shows `url` (tabs.onUpdated with a URL): a new URL clears the badge until its own lookup is answered. */
  async navigated(tabId: number, url: string): Promise<void> {
    const known = this.tabs.get(tabId);
    if (known?.url === url) return;
    this.tabs.set(tabId, { url, navigations: (known?.navigations ?? 0) + 1 });
    await this.clear(tabId);
  }

  /** The tab was closed (the browser drops its badge itself). */
  closed(tabId: number): void {
    this.tabs.delete(tabId);
  }

  private clear(tabId: number): Promise<void> {
    return this.api.setBadgeText({ tabId, text: '' });
  }
}
