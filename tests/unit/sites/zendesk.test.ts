// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { matchPatternToRegExp } from '~/lib/sites/registry';
import { ZENDESK_SELECTORS, zendesk } from '~/lib/sites/hosts/zendesk/adapter';
import { htmlDocument, loadFixture } from '../../helpers/dom';
import { expectSelectorsAsData } from '../../helpers/selectors';
import { expectCasesAgree, loadCases } from '../../helpers/sites';

const cases = loadCases('zendesk');
const ticketUrl = (id: number | string) => new URL(`https://acme.zendesk.com/agent/tickets/${id}`);
const userUrl = new URL('https://acme.zendesk.com/agent/users/2044');

const KAIA = {
  host: 'zendesk',
  hostRecordId: '1',
  recordType: 'ticket',
  email: 'kaia.nakamura.1901@willowlane.example',
  name: 'Kaia Nakamura',
  company: 'Willow Lane Books',
  domain: 'willowlane.example',
};

describe('Zendesk adapter: the requester of the open ticket', () => {
  it('reads the requester from the context panel of the active tab, not of the tab flagged inactive that comes first', () => {
    const doc = loadFixture('zendesk/agent-ticket.html');
    // Sanity: the background tab is first in the DOM and not hidden, only flagged.
    const [first] = doc.querySelectorAll('.ticket-panes-grid-layout');
    expect(first?.getAttribute('data-is-active')).toBe('false');
    expect(first?.hasAttribute('hidden')).toBe(false);
    expect(zendesk.extract(doc, ticketUrl(1))).toEqual({ identity: KAIA, missing: [] });
  });

  it('is not fooled by the submitter, the assignee, followers, CCs or a CC’s hover card', () => {
    const doc = loadFixture('zendesk/agent-ticket.html');
    const text = JSON.stringify(zendesk.extract(doc, ticketUrl(1)).identity);
    for (const other of ['sam.rivera', 'Sam Rivera', 'priya.nair', 'Priya', 'lee.okafor', 'hana.torres', 'Hana', 'luca.tanaka']) {
      expect(text).not.toContain(other);
    }
    // Without the context panel's address, the requester field's own title still says who it is.
    doc.querySelectorAll('[data-test-id="attribute-email-display"]').forEach((el) => el.remove());
    expect(zendesk.extract(doc, ticketUrl(1)).identity).toMatchObject({ email: 'kaia.nakamura.1901@willowlane.example', name: 'Kaia Nakamura' });
  });

  it('reports a requester shown by name only as name only: the CCs’, followers’ and assignee’s addresses are not hers', () => {
    const doc = loadFixture('zendesk/agent-ticket-name-only.html');
    // Sanity: the workspace is full of addresses, one of them a CC of the same name.
    expect(doc.querySelector('[data-test-id="ticket-4101-custom-layout"] [title="goran.abbott.7@tidewater.example"]')).not.toBeNull();
    expect(zendesk.extract(doc, ticketUrl(4101))).toEqual({
      identity: { host: 'zendesk', hostRecordId: '4101', recordType: 'ticket', name: 'Goran Abbott' },
      missing: ['requester email'],
    });
  });

  it('reads a German workspace by its hooks, and never the search an agent is typing in the requester field', () => {
    const doc = loadFixture('zendesk/agent-ticket-de.html');
    const expected = {
      host: 'zendesk',
      hostRecordId: '4822',
      recordType: 'ticket',
      email: 'goran.schmidt.27@bluefin.example',
      name: 'Goran Schmidt',
      company: 'Bluefin Logistics',
      domain: 'bluefin.example',
    };
    expect(zendesk.extract(doc, ticketUrl(4822))).toEqual({ identity: expected, missing: [] });
    // Without the context panel, the field being edited is not read: neither the typed "Hana" nor
    // the offered options — the page says nothing about the requester then, and the adapter says so.
    doc.querySelectorAll('[data-test-id="customer-context-pane"]').forEach((el) => el.remove());
    expect(zendesk.extract(doc, ticketUrl(4822))).toEqual({ identity: null, missing: ['requester email', 'requester name'] });
    // Once the agent closes the combobox, its value is the requester again (a live input value).
    const combobox = doc.querySelector('.active [data-test-id="ticket-system-field-requester-select"]')!;
    combobox.setAttribute('aria-expanded', 'false');
    combobox.querySelector('ul')!.remove();
    (combobox.querySelector('input') as HTMLInputElement).value = 'Goran Schmidt';
    expect(zendesk.extract(doc, ticketUrl(4822)).identity).toMatchObject({ name: 'Goran Schmidt', hostRecordId: '4822' });
  });

  it('finds the tab by the ticket id on its conversation pane when grids carry no id, else by the "active" class', () => {
    const doc = loadFixture('zendesk/agent-ticket-de.html');
    expect(zendesk.extract(doc, ticketUrl(4820)).identity).toMatchObject({ email: 'uma.novak.29@redwood.example', hostRecordId: '4820' });
    doc.querySelectorAll('[data-side-conversations-anchor-id]').forEach((el) => el.removeAttribute('data-side-conversations-anchor-id'));
    expect(zendesk.extract(doc, ticketUrl(4822)).identity?.email).toBe('goran.schmidt.27@bluefin.example');
  });

  it('does not guess among several visible tabs that name no ticket and none marked active', () => {
    const doc = htmlDocument(`<main><div class="ticket-panes-grid-layout"><div data-test-id="attribute-email-display">a@b.example</div></div>
      <div class="ticket-panes-grid-layout"><div data-test-id="attribute-email-display">c@d.example</div></div></main>`);
    expect(zendesk.extract(doc, ticketUrl(1))).toEqual({ identity: null, missing: ['ticket workspace'] });
  });

  it('ignores elements that only carry a data-ticket-id inside a workspace (another extension’s markers)', () => {
    const doc = loadFixture('zendesk/agent-ticket.html');
    const marker = doc.createElement('span');
    marker.setAttribute('data-ticket-id', '2');
    doc.querySelector('[data-test-id="ticket-1-custom-layout"] [data-test-id="column-2"]')!.append(marker);
    expect(zendesk.extract(doc, ticketUrl(1)).identity).toEqual(KAIA);
  });

  it('says what it could not find', () => {
    expect(zendesk.extract(htmlDocument('<p>loading</p>'), ticketUrl(1))).toEqual({ identity: null, missing: ['ticket workspace'] });
    expect(zendesk.extract(htmlDocument('<div class="ticket-panes-grid-layout" data-test-id="ticket-1-custom-layout"></div>'), ticketUrl(1))).toEqual({
      identity: null,
      missing: ['requester email', 'requester name'],
    });
    const nameOnly = htmlDocument(`<div class="ticket-panes-grid-layout" data-test-id="ticket-1-custom-layout">
      <div data-test-id="requester-field"><label>Requester</label><div data-test-id="ticket-system-field-requester-select"><span>Ana Li</span></div></div></div>`);
    expect(zendesk.extract(nameOnly, ticketUrl(1))).toEqual({
      identity: { host: 'zendesk', hostRecordId: '1', recordType: 'ticket', name: 'Ana Li' },
      missing: ['requester email'],
    });
  });

  it('returns page text as plain text, never markup', () => {
    const doc = htmlDocument(`<div class="ticket-panes-grid-layout" data-ticket-id="1"><div data-test-id="customer-context-pane">
      <span data-test-id="customer-context-name">&lt;img src=x onerror=alert(1)&gt;</span>
      <div data-test-id="attribute-email-display">a@b.example</div></div></div>`);
    expect(zendesk.extract(doc, ticketUrl(1)).identity?.name).toBe('<img src=x onerror=alert(1)>');
    expect(doc.querySelector('img')).toBeNull();
  });
});

describe('Zendesk adapter: user pages', () => {
  it('reads the user of the active user tab, not the requester of the background ticket tab', () => {
    const doc = loadFixture('zendesk/agent-user.html');
    expect(zendesk.extract(doc, new URL('https://acme.zendesk.com/agent/users/2044/requested_tickets'))).toEqual({
      identity: {
        host: 'zendesk',
        hostRecordId: '2044',
        recordType: 'user',
        email: 'farah.ueda.44@zephyr.example',
        name: 'Farah Ueda',
        company: 'Zephyr Outdoor',
        domain: 'zephyr.example',
      },
      missing: [],
    });
    // Without its address the user is still the user, not the CC in the ticket list.
    doc.querySelector('[data-test-id="user-profile"] [data-test-id="attribute-email-display"]')?.remove();
    const { identity, missing } = zendesk.extract(doc, userUrl);
    expect(identity).toMatchObject({ name: 'Farah Ueda', company: 'Zephyr Outdoor' });
    expect(identity?.email).toBeUndefined();
    expect(missing).toEqual(['user email']);
  });

  it('treats a pane flagged data-is-active="false" as a background tab', () => {
    const doc = loadFixture('zendesk/agent-user.html');
    doc.querySelectorAll('[data-is-active]').forEach((pane) =>
      pane.setAttribute('data-is-active', pane.getAttribute('data-is-active') === 'true' ? 'false' : 'true'),
    );
    expect(zendesk.extract(doc, userUrl)).toEqual({ identity: null, missing: ['user workspace'] });
    expect(zendesk.extract(doc, ticketUrl(7)).identity).toMatchObject({
      recordType: 'ticket',
      email: 'omar.tanaka.49@zephyr.example',
      company: 'Zephyr Outdoor',
    });
  });

  it('says what it could not find on a user page that has not rendered yet', () => {
    expect(zendesk.extract(htmlDocument('<p>loading</p>'), userUrl)).toEqual({ identity: null, missing: ['user workspace'] });
    expect(zendesk.extract(htmlDocument('<section data-test-id="user-workspace" data-user-id="2044"></section>'), userUrl)).toEqual({
      identity: null,
      missing: ['user email', 'user name'],
    });
  });
});

describe('Zendesk adapter: pages, patterns and cases', () => {
  it.each(cases)('$fixture at $url', ({ url: href, fixture, expect: expected }) => {
    const target = new URL(href);
    const { identity } = zendesk.extract(loadFixture(`zendesk/${fixture}`), target);
    expect(zendesk.isRecordPage(target)).toBe(expected !== null);
    if (expected) expect(identity).toEqual({ host: 'zendesk', ...expected });
    else expect(identity).toBeNull();
  });

  it('recognises ticket and user pages only', () => {
    for (const path of ['/agent/tickets/1', '/agent/tickets/1/', '/agent/users/2044', '/agent/users/2044/', '/agent/users/2044/requested_tickets', '/agent/users/2044/related']) {
      expect(zendesk.isRecordPage(new URL(`https://acme.zendesk.com${path}`)), path).toBe(true);
    }
    for (const path of ['/agent/filters/123', '/agent/tickets/abc', '/agent/users', '/agent/users/abc', '/agent/user_filters', '/agent/organizations/360001', '/agent/dashboard']) {
      expect(zendesk.isRecordPage(new URL(`https://acme.zendesk.com${path}`)), path).toBe(false);
    }
  });

  it('matches the case URLs with its match patterns, and not other sites', () => {
    expectCasesAgree(zendesk, cases);
    const patterns = zendesk.matches.map(matchPatternToRegExp);
    for (const href of ['https://zendesk.com.evil.example/agent/tickets/1', 'https://www.zendesk.com/pricing']) {
      expect(patterns.some((p) => p.test(href)), href).toBe(false);
    }
  });

  it('keeps every selector and path pattern as plain data', () => {
    expectSelectorsAsData(ZENDESK_SELECTORS, htmlDocument('<p></p>'));
  });

  it('watches the routed content area, not the whole document', () => {
    const doc = loadFixture('zendesk/agent-ticket.html');
    expect(zendesk.watchRoot?.(doc, ticketUrl(1))).toBe(doc.querySelector('main[data-garden-id="navigation.main"]'));
  });
});
