// @vitest-environment happy-dom
/**
 * Going to another record paints the new answer over the old one (no "Looking up…" in between when
 * the answer is kept: issue 17); the card of a new record or customer still starts afresh, as it did
 * when "Looking up…" came between. A correction of the same record keeps it as it is.
 */
import { signal } from '@preact/signals';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { Sidebar } from '~/components/sidebar/Sidebar';
import type { CustomerView } from '~/lib/messages/schema';
import type { SidebarState } from '~/lib/sidebar/state';

const customer = (id: string, name: string): CustomerView => ({
  id,
  name,
  currency: 'USD',
  asOf: '2026-01-02T00:00:00Z',
  source: 'local',
  facts: { orders: 2, totalSpent: 20, firstPurchase: '1997-01-01', lastPurchase: '1997-12-12' },
});
const on = (record: string, c: CustomerView, text = 'Read from the page'): SidebarState => ({
  kind: 'customer',
  customer: c,
  identity: { host: 'zendesk', hostRecordId: record, name: c.name },
  identified: { by: 'page', text },
});

afterEach(() => {
  document.body.innerHTML = '';
});

describe('the customer card across navigations', () => {
  it('starts afresh for another record or customer, and stays as it is for a correction of the same one', async () => {
    const state = signal<SidebarState>(on('1', customer('a', 'Ana Li')));
    const root = document.createElement('div');
    document.body.append(root);
    render(<Sidebar state={state} collapsed={signal(false)} onToggle={() => {}} historyUrl={() => ""} />, root);
    const history = () => root.querySelector('[data-testid="history-frame"]');
    const openHistory = () => act(() => (root.querySelector('[data-testid="history-toggle"]') as HTMLButtonElement).click());

    await openHistory();
    expect(history()).not.toBeNull();
    // The same record and customer, now identified by the host's API: the open history stays.
    await act(() => {
      state.value = on('1', customer('a', 'Ana Li'), 'Identified by Zendesk’s API');
    });
    expect(root.querySelector('[data-testid="identified-by"]')?.textContent).toBe('Identified by Zendesk’s API');
    expect(history()).not.toBeNull();
    // Another ticket of another customer, painted straight over this one: a fresh card.
    await act(() => {
      state.value = on('2', customer('b', 'Teo Varga'));
    });
    expect(root.querySelector('[data-testid="customer-name"]')?.textContent).toBe('Teo Varga');
    expect(history()).toBeNull();
    // Another ticket of the same customer: a fresh card too.
    await openHistory();
    await act(() => {
      state.value = on('3', customer('b', 'Teo Varga'));
    });
    expect(history()).toBeNull();
  });
});
