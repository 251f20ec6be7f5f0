import { useSignal } from '@preact/signals';
import { useRef } from 'preact/hooks';
import type { Suggestion } from '~/lib/messages/schema';

export interface LinkActions {
  search(query: string): Promise<Suggestion[]>;
  link(customerId: string | null): Promise<void>;
}

/** "Link to customer": search the local store and remember which customer this record is. */
export function LinkCustomer({ actions, initial }: { actions: LinkActions; initial: Suggestion[] }) {
  const results = useSignal<Suggestion[]>(initial);
  const query = useSignal('');
  const busy = useSignal(false);
  const error = useSignal<string | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout>>();

  const onInput = (value: string) => {
    query.value = value;
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      actions
        .search(value)
        .then((found) => (results.value = value.trim().length >= 2 ? found : initial))
        .catch((e: unknown) => (error.value = (e as Error).message));
    }, 120);
  };

  const link = (id: string) => {
    busy.value = true;
    actions.link(id).catch((e: unknown) => {
      error.value = (e as Error).message;
      busy.value = false;
    });
  };

  return (
    <div class="link-customer" data-testid="link-customer">
      <label class="link-label" for="centric-link-search">
        Link this record to a customer
      </label>
      <input
        id="centric-link-search"
        type="search"
        placeholder="Name, email or id"
        autocomplete="off"
        value={query.value}
        onInput={(e) => onInput((e.currentTarget as HTMLInputElement).value)}
        data-testid="link-search"
      />
      {results.value.length > 0 && (
        <ul class="suggestions" aria-label={query.value ? 'Matching customers' : 'Customers with this name'}>
          {results.value.map((s) => (
            <li key={s.id}>
              <button type="button" class="suggestion" disabled={busy.value} onClick={() => link(s.id)} data-testid="link-choice">
                <span class="suggestion-name">{s.name}</span>
                <span class="suggestion-detail">
                  {[s.email, s.company, s.tier].filter(Boolean).join(' · ')}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
      {query.value.trim().length >= 2 && results.value.length === 0 && <p class="hint">No customer matches “{query.value}”.</p>}
      {error.value && (
        <p class="notice-error" role="alert">
          {error.value}
        </p>
      )}
    </div>
  );
}
