import { describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { isOpenSidePanel, openSidePanel } from '~/lib/sidebar/side-panel';
import { migrateLegacyLayout } from '~/lib/settings/migrations';
import { isPanelLink } from '~/lib/sidebar/panel-protocol';

const OWN = 'centric-id';

describe('opening the browser’s side panel from a tab’s badge', () => {
  it('opens Chrome’s side panel on the sender’s tab, at once (within the click)', async () => {
    const open = vi.fn(() => Promise.resolve());
    const answer = openSidePanel({ sidePanel: { open } }, { id: OWN, tab: { id: 7 } }, OWN);
    expect(open).toHaveBeenCalledWith({ tabId: 7 }); // called before any await
    await expect(answer).resolves.toEqual({ ok: true, message: 'opened' });
  });

  it('says why when the browser refuses, and how in Firefox', async () => {
    const chrome = openSidePanel({ sidePanel: { open: () => Promise.reject(new Error('`sidePanel.open()` may only be called in response to a user gesture.')) } }, { id: OWN, tab: { id: 7 } }, OWN);
    await expect(chrome).resolves.toEqual({ ok: false, message: 'The side panel did not open: `sidePanel.open()` may only be called in response to a user gesture.' });
    const firefox = openSidePanel({ sidebarAction: { open: () => Promise.reject(new Error('user input handler')) } }, { id: OWN, tab: { id: 7 } }, OWN);
    await expect(firefox).resolves.toMatchObject({ ok: false, message: expect.stringMatching(/^Firefox opens Centric’s sidebar only from its own menu: View → Sidebar → Centric/) });
    const thrown = openSidePanel({ sidePanel: { open: () => { throw new Error('sync'); } } }, { id: OWN, tab: { id: 7 } }, OWN);
    await expect(thrown).resolves.toMatchObject({ ok: false });
    await expect(openSidePanel({}, { id: OWN, tab: { id: 7 } }, OWN)).resolves.toEqual({ ok: false, message: 'This browser has no side panel for extensions.' });
  });

  it('refuses a message from outside the extension or from no tab', async () => {
    const open = vi.fn(() => Promise.resolve());
    await expect(openSidePanel({ sidePanel: { open } }, { id: 'other', tab: { id: 7 } }, OWN)).resolves.toMatchObject({ ok: false });
    await expect(openSidePanel({ sidePanel: { open } }, { id: OWN }, OWN)).resolves.toMatchObject({ ok: false });
    expect(open).not.toHaveBeenCalled();
  });

  it('recognises the message', () => {
    expect(isOpenSidePanel({ type: 'open-side-panel' })).toBe(true);
    expect(isOpenSidePanel({ type: 'lookup' })).toBe(false);
    expect(isOpenSidePanel(null)).toBe(false);
  });
});

describe('the side panel’s messages to a tab', () => {
  it('accepts a well-formed link only', () => {
    expect(isPanelLink({ type: 'link', customerId: '42' })).toBe(true);
    expect(isPanelLink({ type: 'link', customerId: null })).toBe(true);
    expect(isPanelLink({ type: 'link', customerId: '' })).toBe(false);
    expect(isPanelLink({ type: 'link', customerId: 'x'.repeat(129) })).toBe(false);
    expect(isPanelLink({ type: 'link', customerId: 42 })).toBe(false);
    expect(isPanelLink({ type: 'search', query: 'a' })).toBe(false);
    expect(isPanelLink('link')).toBe(false);
  });
});

describe('migrating the stored choices in the background', () => {
  it('moves the old switch into every site’s choice (built-in and custom) and removes it, once', async () => {
    fakeBrowser.reset();
    await fakeBrowser.storage.local.set({ 'sidebar.collapsed': true, 'sidebar.layout': { zendesk: { mode: 'badge' } }, customSites: [] });
    expect(await migrateLegacyLayout(['zendesk', 'hubspot'])).toBe(true);
    expect(await fakeBrowser.storage.local.get(null)).toEqual({
      'sidebar.layout': { zendesk: { mode: 'badge', collapsed: true }, hubspot: { collapsed: true } },
      customSites: [],
    });
    expect(await migrateLegacyLayout(['zendesk', 'hubspot'])).toBe(false);
  });
});
