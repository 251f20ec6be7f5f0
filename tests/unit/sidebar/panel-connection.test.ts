import { describe, expect, it, vi } from 'vitest';
import { connectPanel, RETRY_DELAYS, type PanelPort, type PanelStatus, type PanelTabs } from '~/lib/pages/sidepanel-connection';
import { PANEL_PORT } from '~/lib/sidebar/panel-protocol';

/** A fake tabs API: ports the test answers by hand, listeners it fires. */
function fakeTabs(active: Record<number, number> = {}) {
  const ports: { tabId: number; port: PanelPort; send(m: unknown): void; drop(): void; sent: unknown[]; closed: boolean }[] = [];
  const listeners = { activated: [] as ((i: { tabId: number; windowId: number }) => void)[], updated: [] as ((t: number, c: { status?: string }) => void)[], removed: [] as ((t: number) => void)[] };
  const gone = new Set<number>();
  const tabs: PanelTabs = {
    connect(tabId, info) {
      expect(info).toEqual({ name: PANEL_PORT, frameId: 0 });
      if (gone.has(tabId)) throw new Error(`No tab with id: ${tabId}.`);
      const onMessage: ((m: unknown) => void)[] = [];
      const onDisconnect: (() => void)[] = [];
      const entry = {
        tabId,
        sent: [] as unknown[],
        closed: false,
        port: {
          postMessage: (m: unknown) => entry.sent.push(m),
          disconnect: () => void (entry.closed = true),
          onMessage: { addListener: (l: (m: unknown) => void) => onMessage.push(l) },
          onDisconnect: { addListener: (l: () => void) => onDisconnect.push(l) },
        },
        send: (m: unknown) => onMessage.forEach((l) => l(m)),
        drop: () => onDisconnect.forEach((l) => l()),
      };
      ports.push(entry);
      return entry.port;
    },
    query: async ({ windowId }) => [{ id: active[windowId] }],
    onActivated: { addListener: (l) => listeners.activated.push(l), removeListener: () => {} },
    onUpdated: { addListener: (l) => listeners.updated.push(l), removeListener: () => {} },
    onRemoved: { addListener: (l) => listeners.removed.push(l), removeListener: () => {} },
  };
  return { tabs, ports, listeners, gone };
}

/** Timers the test runs by hand. */
function fakeTimers() {
  const pending: { f: () => void; ms: number }[] = [];
  return { pending, set: (f: () => void, ms: number) => pending.push({ f, ms }), clear: () => {}, runNext: () => pending.shift()!.f() };
}

const customerState = {
  type: 'state',
  site: 'zendesk',
  siteName: 'Zendesk',
  state: { kind: 'no-customer', site: 'Zendesk', missing: [] },
};

describe('the side panel’s connection to a tab', () => {
  it('shows the pinned tab’s state, checked, and links back', () => {
    const { tabs, ports } = fakeTabs();
    const statuses: PanelStatus[] = [];
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const link = connectPanel(tabs, { pinnedTab: 5 }, (s) => statuses.push(s));
    expect(ports[0]!.tabId).toBe(5);
    ports[0]!.send(customerState);
    expect(statuses.at(-1)).toEqual({ kind: 'connected', site: 'zendesk', siteName: 'Zendesk', state: customerState.state });
    // A malformed message (a customer without its fields, a site id that is not one) changes nothing.
    ports[0]!.send({ ...customerState, state: { kind: 'customer', customer: { name: 1 } } });
    ports[0]!.send({ ...customerState, site: '<b>' });
    expect(statuses).toHaveLength(2);
    expect(warn).toHaveBeenCalledTimes(2);
    expect(link.link('42')).toBe(true);
    expect(ports[0]!.sent).toEqual([{ type: 'link', customerId: '42' }]);
    warn.mockRestore();
  });

  it('asks a tab without Centric again a few times, then says "away"; a page load asks at once', () => {
    const { tabs, ports, listeners } = fakeTabs();
    const timers = fakeTimers();
    const statuses: string[] = [];
    const connection = connectPanel(tabs, { pinnedTab: 5 }, (s) => statuses.push(s.kind), timers);
    for (const delay of RETRY_DELAYS) {
      ports.at(-1)!.drop();
      expect(timers.pending.at(-1)!.ms).toBe(delay);
      timers.runNext();
    }
    ports.at(-1)!.drop();
    expect(statuses.at(-1)).toBe('away');
    expect(ports).toHaveLength(RETRY_DELAYS.length + 1);
    expect(connection.link('1')).toBe(false);
    // The tab loads a page: its content script is asked again.
    listeners.updated.forEach((l) => l(5, { status: 'complete' }));
    expect(ports).toHaveLength(RETRY_DELAYS.length + 2);
    ports.at(-1)!.send(customerState);
    expect(statuses.at(-1)).toBe('connected');
  });

  it('follows the window’s active tab unless pinned, and says "away" when the tab closes', async () => {
    const { tabs, ports, listeners, gone } = fakeTabs({ 1: 10 });
    const statuses: string[] = [];
    connectPanel(tabs, { windowId: 1 }, (s) => statuses.push(s.kind));
    await vi.waitFor(() => expect(ports.map((p) => p.tabId)).toEqual([10]));
    listeners.activated.forEach((l) => l({ tabId: 11, windowId: 2 })); // another window: ignored
    listeners.activated.forEach((l) => l({ tabId: 12, windowId: 1 }));
    expect(ports.map((p) => p.tabId)).toEqual([10, 12]);
    expect(ports[0]!.closed).toBe(true);
    listeners.removed.forEach((l) => l(12));
    expect(statuses.at(-1)).toBe('away');
    gone.add(13);
    listeners.activated.forEach((l) => l({ tabId: 13, windowId: 1 }));
    expect(statuses.at(-1)).toBe('away');
  });

  it('stops: the port is closed and nothing more is shown', () => {
    const { tabs, ports } = fakeTabs();
    const statuses: string[] = [];
    const connection = connectPanel(tabs, { pinnedTab: 5 }, (s) => statuses.push(s.kind));
    connection.stop();
    expect(ports[0]!.closed).toBe(true);
    ports[0]!.drop();
    expect(statuses).toEqual(['connecting']);
  });

  it('asks the tab for its page report and pairs each answer with its request; a dropped tab fails the rest', async () => {
    const { tabs, ports } = fakeTabs();
    const connection = connectPanel(tabs, { pinnedTab: 5 }, () => {}, fakeTimers());
    ports[0]!.send(customerState);
    const first = connection.pageReport();
    const second = connection.pageReport();
    expect(ports[0]!.sent).toEqual([{ type: 'page-report', id: 1 }, { type: 'page-report', id: 2 }]);
    ports[0]!.send({ type: 'page-report', id: 2, message: 'This page cannot be outlined.' });
    ports[0]!.send({ type: 'page-report', id: 1, text: 'Centric page report' });
    await expect(first).resolves.toBe('Centric page report');
    await expect(second).rejects.toThrow('This page cannot be outlined.');
    // Answers are not states: the status stays connected, nothing was refused.
    const third = connection.pageReport();
    ports[0]!.drop();
    await expect(third).rejects.toThrow(/stopped showing Centric/);
    await expect(connection.pageReport()).rejects.toThrow(/not showing Centric/);
  });
});
