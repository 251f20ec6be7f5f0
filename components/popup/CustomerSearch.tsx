import { useSignal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import { ask } from '~/lib/messages/client';
import type { Suggestion } from '~/lib/messages/schema';

type Search = { kind: 'idle' } | { kind: 'searching' } | { kind: 'done'; results: Suggestion[] } | { kind: 'failed'; message: string };

/** Quick search of the local store from the popup: each customer with tier and recommended treatment. */
export function CustomerSearch({ delayMs = 150 }: { delayMs?: number }) {
  const query = useSignal('');
  const search = useSignal<Search>({ kind: 'idle' });
  const latest = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);

  const run = (text: string) => {
    query.value = text;
    clearTimeout(timer.current);
    const mine = ++latest.current;
    if (text.trim().length < 2) {
      search.value = { kind: 'idle' };
      return;
    }
    search.value = { kind: 'searching' };
    timer.current = setTimeout(() => {
      ask({ type: 'search', query: text, withTreatment: true })
        .then((answer) => mine === latest.current && (search.value = { kind: 'done', results: answer.results }))
        .catch((error: unknown) => mine === latest.current && (search.value = { kind: 'failed', message: String((error as Error).message ?? error) }));
    }, delayMs);
  };

  const s = search.value;
  return (
    <section class="customer-search" aria-label="Find a customer" data-testid="popup-search">
      <label class="field">
        <span>Find a customer (name, email or id)</span>
        <input type="search" value={query.value} onInput={(e) => run((e.currentTarget as HTMLInputElement).value)} data-testid="popup-search-input" autoComplete="off" />
      </label>
      <p class="muted search-status" role="status" aria-live="polite">
        {s.kind === 'searching' && 'Searching…'}
        {s.kind === 'done' && (s.results.length === 0 ? 'No customer matches.' : `${s.results.length} customer${s.results.length === 1 ? '' : 's'}, most valuable first.`)}
        {s.kind === 'failed' && `The search failed: ${s.message}`}
      </p>
      {s.kind === 'done' && s.results.length > 0 && (
        // Focusable: the list scrolls, and the keyboard must be able to scroll it.
        <ul class="search-results" data-testid="popup-search-results" tabIndex={0} aria-label="Search results">
          {s.results.map((r) => (
            <li key={r.id} class="search-result" data-testid="popup-search-result" data-id={r.id}>
              <div class="search-result-head">
                <strong>{r.name}</strong>
                {r.tier && (
                  <span class="tier" style={{ background: r.tierColor, color: r.tierForeground }} data-testid="popup-search-tier">
                    {r.tier}
                  </span>
                )}
              </div>
              {r.email && <div class="muted">{r.email}</div>}
              {r.valueSource && (
                <div class="muted value-source" data-testid="popup-search-source">
                  {r.valueSource}
                </div>
              )}
              {r.treatment && (
                <div class="search-treatment" style={{ borderLeftColor: r.treatment.color }} data-testid="popup-search-treatment">
                  <strong>{r.treatment.title}</strong>
                  {r.treatment.guidance && <div>{r.treatment.guidance}</div>}
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
