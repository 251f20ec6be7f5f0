import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { StoreStatusView } from '~/components/StoreStatus';
import { ask } from '~/lib/messages/client';
import type { StoreStatus } from '~/lib/messages/schema';
import { adapterFor } from '~/lib/sites/registry';

export function PopupApp() {
  const status = useSignal<StoreStatus | null>(null);
  const site = useSignal<string | null | undefined>(undefined);
  useEffect(() => {
    void ask({ type: 'status' }).then((value) => (status.value = value));
    void browser.tabs.query({ active: true, currentWindow: true }).then(([tab]) => {
      const url = parseUrl(tab?.url);
      site.value = url ? (adapterFor(url)?.name ?? null) : null;
    });
  }, []);

  return (
    <main class="popup" data-testid="popup">
      <header class="popup-header">
        <span class="brand">Centric</span>
      </header>
      <p data-testid="popup-site">
        {site.value === undefined
          ? 'Checking this page…'
          : site.value
            ? `Active on this page (${site.value}).`
            : 'Centric does not read this site.'}
      </p>
      <StoreStatusView status={status.value} />
      <p>
        <button type="button" class="button" onClick={() => void browser.runtime.openOptionsPage()}>
          Open options
        </button>
      </p>
    </main>
  );
}

function parseUrl(href: string | undefined): URL | null {
  try {
    return href ? new URL(href) : null;
  } catch {
    return null;
  }
}
