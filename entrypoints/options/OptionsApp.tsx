import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { DataSection } from '~/components/options/DataSection';
import { ask } from '~/lib/messages/client';
import { CentricDb } from '~/lib/db/db';
import { SITE_ADAPTERS } from '~/lib/sites/registry';

/** Extension pages share the background's origin, so the options page opens the same database. */
const db = new CentricDb();

export function OptionsApp() {
  // The background answers once its first-run work (loading the bundled sample) is done.
  const ready = useSignal<'waiting' | 'ready' | string>('waiting');
  useEffect(() => {
    ask({ type: 'status' })
      .then(() => (ready.value = 'ready'))
      .catch((error: unknown) => (ready.value = `Centric's background did not answer: ${String(error)}`));
  }, []);
  return (
    <>
      <header class="page-header">
        <span class="brand">Centric</span>
        <span class="muted">customer value where you work</span>
      </header>
      <main class="options" data-testid="options-page">
        {ready.value === 'ready' ? (
          <DataSection db={db} />
        ) : (
          <p class="card" role={ready.value === 'waiting' ? 'status' : 'alert'}>
            {ready.value === 'waiting' ? 'Preparing your data…' : ready.value}
          </p>
        )}
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
