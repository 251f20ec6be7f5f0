import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { StoreStatusView } from '~/components/StoreStatus';
import { ask } from '~/lib/messages/client';
import type { StoreStatus } from '~/lib/messages/schema';
import { SITE_ADAPTERS } from '~/lib/sites/registry';

export function OptionsApp() {
  const status = useSignal<StoreStatus | null>(null);
  const error = useSignal<string | null>(null);
  useEffect(() => {
    ask({ type: 'status' })
      .then((value) => (status.value = value))
      .catch((e: unknown) => (error.value = e instanceof Error ? e.message : String(e)));
  }, []);

  return (
    <>
      <header class="page-header">
        <span class="brand">Centric</span>
        <span class="muted">customer value where you work</span>
      </header>
      <main class="options" data-testid="options-page">
        <section class="card" aria-labelledby="data-title">
          <h2 id="data-title">Your customer data</h2>
          <p class="muted">
            Stored in this browser only. Nothing leaves this computer unless you configure a source that sends it.
          </p>
          {error.value ? <p role="alert">{error.value}</p> : <StoreStatusView status={status.value} />}
        </section>
        <section class="card" aria-labelledby="sites-title">
          <h2 id="sites-title">Where Centric works</h2>
          <ul class="sites" data-testid="site-list">
            {SITE_ADAPTERS.map((site) => (
              <li key={site.id}>
                <strong>{site.name}</strong> <span class="muted">{site.matches.join(', ')}</span>
              </li>
            ))}
          </ul>
        </section>
        <section class="card" aria-labelledby="keys-title">
          <h2 id="keys-title">Keyboard</h2>
          <p>
            <kbd>Alt</kbd>+<kbd>Shift</kbd>+<kbd>C</kbd> shows or hides the sidebar. The sidebar's tab is also reachable
            with <kbd>Tab</kbd>.
          </p>
        </section>
      </main>
    </>
  );
}
