// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { resolveSidebarState, stateFor, waitForIdentity } from '~/lib/sidebar/resolve';
import { zendesk } from '~/lib/sites/hosts/zendesk/adapter';

const url = new URL('https://acme.zendesk.com/agent/tickets/7');
const workspace = `<div class="ticket-panes-grid-layout" data-test-id="ticket-7-custom-layout">
  <div data-test-id="customer-context-pane"><span data-test-id="customer-context-name">Ana Li</span>
  <div data-test-id="attribute-email-display">ana@li.example</div></div></div>`;

afterEach(() => {
  document.body.innerHTML = '';
  vi.restoreAllMocks();
});

describe('waitForIdentity', () => {
  it('waits for a single-page app to render the record', async () => {
    document.body.innerHTML = '<div id="app">loading…</div>';
    setTimeout(() => (document.getElementById('app')!.innerHTML = workspace), 30);
    const extraction = await waitForIdentity(zendesk, document, url, { timeoutMs: 2000, debounceMs: 5 });
    expect(extraction.identity?.email).toBe('ana@li.example');
  });

  it('gives up after the timeout with what was missing', async () => {
    document.body.innerHTML = '<div id="app">loading…</div>';
    const extraction = await waitForIdentity(zendesk, document, url, { timeoutMs: 50, debounceMs: 5 });
    // The record the URL opens comes along, to link it by hand (issue 17).
    expect(extraction).toEqual({ identity: null, missing: ['ticket workspace'], record: { hostRecordId: '7', recordType: 'ticket' } });
  });
});

describe('sidebar state', () => {
  const found = {
    status: 'found' as const,
    customer: {
      id: '1', name: 'Ana Li', currency: 'USD', asOf: '2026-01-01', source: 'local' as const,
      facts: { orders: 1, totalSpent: 10, firstPurchase: '2020-01-01', lastPurchase: '2020-01-01' },
    },
  };

  it('maps each answer to a state', async () => {
    const extraction = { identity: { host: 'zendesk', email: 'ana@li.example' }, missing: [] };
    expect((await stateFor(zendesk, extraction, async () => found)).kind).toBe('customer');
    expect((await stateFor(zendesk, extraction, async () => ({ status: 'not-found' }))).kind).toBe('not-found');
    expect(await stateFor(zendesk, extraction, async () => ({ status: 'error', message: 'disk full' }))).toEqual({
      kind: 'error',
      message: 'disk full',
    });
    expect(
      await stateFor(zendesk, extraction, async () => {
        throw new Error('Extension context invalidated.');
      }),
    ).toEqual({ kind: 'error', message: 'Extension context invalidated.' });
    expect(await stateFor(zendesk, { identity: null, missing: ['x'] }, async () => found)).toEqual({
      kind: 'no-customer',
      site: 'Zendesk',
      missing: ['x'],
      identity: { host: 'zendesk' },
    });
  });

  it('says "no customer" on pages that are not records, without asking the background', async () => {
    const lookup = vi.fn();
    const state = await resolveSidebarState(zendesk, document, new URL('https://acme.zendesk.com/agent/dashboard'), { lookup });
    expect(state.kind).toBe('no-customer');
    expect(lookup).not.toHaveBeenCalled();
  });

  it('warns in the console with what was not found', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    document.body.innerHTML = '<p>nothing here</p>';
    await resolveSidebarState(zendesk, document, url, { lookup: vi.fn(), timeoutMs: 20 });
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('could not read ticket workspace'));
  });
});
