import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { hasListViews, ListChipsSwitch } from '~/components/lists/ListChipsSwitch';
import { CustomerSearch } from '~/components/popup/CustomerSearch';
import { CustomSiteEditor } from '~/components/popup/CustomSiteEditor';
import { WatchList } from '~/components/popup/WatchList';
import { CentricDb } from '~/lib/db/db';
import { SampleMarker } from '~/components/SampleMarker';
import { StoreStatusView } from '~/components/StoreStatus';
import { ask } from '~/lib/messages/client';
import type { StoreStatus } from '~/lib/messages/schema';
import { canTeach, ruleForUrl, type CustomSiteRule } from '~/lib/sites/custom';
import { isSiteEnabled } from '~/lib/sites/enablement';
import { CUSTOM_DOMAINS, CUSTOM_SITES } from '~/lib/settings/items';
import { readSettings } from '~/lib/settings/storage';
import { adapterFor } from '~/lib/sites/registry';
import type { SiteAdapter } from '~/lib/sites/types';

type SiteState =
  | { kind: 'checking' }
  | { kind: 'none' }
  | { kind: 'custom'; rule: CustomSiteRule }
  | { kind: 'on' | 'off'; adapter: SiteAdapter; origins: string[] };

/** The "Teach Centric this site" editor: offered where no built-in adapter reads the page. */
type Teach = { tabId: number; url: URL; existing?: CustomSiteRule } | null;

function parseUrl(href: string | undefined): URL | null {
  try {
    return href ? new URL(href) : null;
  } catch {
    return null;
  }
}

export function PopupApp() {
  const status = useSignal<StoreStatus | null>(null);
  const site = useSignal<SiteState>({ kind: 'checking' });
  const note = useSignal<string | null>(null);
  const teach = useSignal<Teach>(null);

  const check = async () => {
    const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
    const url = parseUrl(tab?.url);
    const [custom, rules] = await readSettings(CUSTOM_DOMAINS, CUSTOM_SITES);
    const adapter = url ? adapterFor(url, custom) : undefined;
    const rule = url ? ruleForUrl(rules, url) : undefined;
    // The demo's hosts (127.0.0.1, localhost) are shared with any local app: teachable off the demo's records.
    const builtInReads = adapter !== undefined && url !== null && !(adapter.id === 'demo' && !adapter.isRecordPage(url));
    if (teach.value === null && url && tab?.id !== undefined && canTeach(url) && (rule || !builtInReads)) {
      teach.value = { tabId: tab.id, url, existing: rule };
    }
    if (rule) {
      // A manager's rule wins over a built-in adapter on the same page (lib/sites/enablement.ts withCustomSites).
      site.value = { kind: 'custom', rule };
      return;
    }
    if (!url || !adapter) {
      site.value = { kind: 'none' };
      return;
    }
    const isCustom = custom.some((c) => c.domain === url.hostname);
    const origins = isCustom ? [`https://${url.hostname}/*`] : [...adapter.matches];
    const granted = (await browser.permissions.getAll()).origins ?? [];
    const on = isCustom ? granted.includes(origins[0]!) : isSiteEnabled(adapter, granted);
    site.value = { kind: on ? 'on' : 'off', adapter, origins };
  };

  useEffect(() => {
    void ask({ type: 'status' }).then((value) => (status.value = value));
    void check();
  }, []);

  const s = site.value;
  return (
    <main class="popup" data-testid="popup">
      <header class="popup-header">
        <h1 class="brand">Centric</h1>
      </header>
      {status.value?.sampleLoaded && <SampleMarker compact />}
      <CustomerSearch />
      <div data-testid="popup-site">
        {s.kind === 'checking' && <p>Checking this page…</p>}
        {s.kind === 'none' && <p>Centric does not read this site. Custom domains of supported apps can be added in the options.</p>}
        {s.kind === 'custom' && <p>Centric reads this page with your rule “{s.rule.name}”.</p>}
        {s.kind === 'on' && <p>Centric is on for {s.adapter.name}.</p>}
        {s.kind === 'on' && hasListViews(s.adapter.id) && (
          <p>
            <ListChipsSwitch siteId={s.adapter.id} siteName={s.adapter.name} />
          </p>
        )}
        {s.kind === 'off' && (
          <p>
            <button
              type="button"
              class="button"
              data-testid="enable-site"
              onClick={() =>
                void browser.permissions.request({ origins: s.origins }).then((ok) => {
                  note.value = ok ? 'Done. Reload the page to see the sidebar.' : 'Permission was not given.';
                  void check();
                })
              }
            >
              Enable on this site ({s.adapter.name})
            </button>
          </p>
        )}
        {note.value && <p role="status">{note.value}</p>}
      </div>
      {teach.value && (
        <details class="teach" open data-testid="teach-site">
          <summary>{teach.value.existing ? 'Edit the rule for this site' : 'Teach Centric this site'}</summary>
          <CustomSiteEditor tabId={teach.value.tabId} url={teach.value.url} existing={teach.value.existing} onSaved={() => void check()} />
        </details>
      )}
      <WatchList open={() => new CentricDb()} />
      <StoreStatusView status={status.value} />
      <p class="actions">
        <button type="button" class="button secondary" onClick={() => void browser.runtime.openOptionsPage()}>
          Open options
        </button>{' '}
        <button type="button" class="button secondary" data-testid="open-sites" onClick={() => void browser.tabs.create({ url: browser.runtime.getURL('/options.html#sites') })}>
          Where Centric works
        </button>
      </p>
    </main>
  );
}
