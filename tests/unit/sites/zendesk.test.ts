// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { matchPatternToRegExp } from '~/lib/sites/registry';
import { zendesk } from '~/lib/sites/zendesk';
import { htmlDocument, loadFixture } from '../../helpers/dom';
import { loadCases } from '../../helpers/sites';

const cases = loadCases('zendesk');
const userUrl = new URL('https://acme.zendesk.com/agent/users/2044');

describe('Zendesk adapter', () => {
  const url = new URL('https://acme.zendesk.com/agent/tickets/1');

  it('reads the requester of the active ticket tab, not of the hidden one', () => {
    const { identity, missing } = zendesk.extract(loadFixture('zendesk/agent-ticket.html'), url);
    expect(identity).toEqual({
      host: 'zendesk',
      hostRecordId: '1',
      recordType: 'ticket',
      email: 'kaia.nakamura.1901@willowlane.example',
      name: 'Kaia Nakamura',
      domain: 'willowlane.example',
    });
    expect(missing).toEqual([]);
  });

  it('recognises ticket pages only', () => {
    expect(zendesk.isRecordPage(url)).toBe(true);
    expect(zendesk.isRecordPage(new URL('https://acme.zendesk.com/agent/filters/123'))).toBe(false);
    expect(zendesk.isRecordPage(new URL('https://acme.zendesk.com/agent/tickets/abc'))).toBe(false);
  });

  it('says what it could not find', () => {
    const empty = htmlDocument('<section data-test-id="ticket-workspace" data-ticket-id="1"></section>');
    expect(zendesk.extract(empty, url)).toEqual({ identity: null, missing: ['requester email', 'requester name'] });
    expect(zendesk.extract(htmlDocument('<p>loading</p>'), url).missing).toEqual(['ticket workspace']);
  });

  it('falls back to the requester field when the context panel is absent', () => {
    const doc = htmlDocument(`<section data-test-id="ticket-workspace" data-ticket-id="1">
      <div data-test-id="ticket-system-field-requester-select"><span>Ana Li</span></div></section>`);
    expect(zendesk.extract(doc, url)).toEqual({
      identity: { host: 'zendesk', hostRecordId: '1', recordType: 'ticket', name: 'Ana Li' },
      missing: ['requester email'],
    });
  });
  describe.each(cases)('$fixture at $url', ({ url: href, fixture, expect: expected }) => {
    it(expected ? 'reads exactly the active tab' : 'is not a record page and yields no identity', () => {
      const target = new URL(href);
      const { identity, missing } = zendesk.extract(loadFixture(`zendesk/${fixture}`), target);
      if (expected) {
        expect(zendesk.isRecordPage(target)).toBe(true);
        expect(identity).toEqual({ host: 'zendesk', ...expected });
        expect(missing).toEqual([]);
      } else {
        expect(zendesk.isRecordPage(target)).toBe(false);
        expect(identity).toBeNull();
      }
    });
  });

  it('reads the user of the active user tab, not the requester of the background ticket tab', () => {
    const doc = loadFixture('zendesk/agent-user.html');
    // Sanity: the background ticket tab comes first and is only flagged data-is-active="false".
    expect(doc.querySelector('a[href^="mailto:"]')?.getAttribute('href')).toBe('mailto:omar.tanaka.49@zephyr.example');
    doc.querySelector('[data-test-id="user-email"]')?.remove();
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
    expect(zendesk.extract(doc, new URL('https://acme.zendesk.com/agent/tickets/7')).identity).toMatchObject({
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

  it('returns page text as plain text, never markup', () => {
    const doc = htmlDocument(`<section data-test-id="ticket-workspace" data-ticket-id="1"><div data-test-id="customer-context">
      <span data-test-id="customer-context-name">&lt;img src=x onerror=alert(1)&gt;</span>
      <a data-test-id="customer-context-email" href="mailto:a@b.example">a@b.example</a></div></section>`);
    expect(zendesk.extract(doc, url).identity?.name).toBe('<img src=x onerror=alert(1)>');
  });

  it('recognises user pages and their sub-tabs', () => {
    for (const path of ['/agent/users/2044', '/agent/users/2044/', '/agent/users/2044/requested_tickets', '/agent/users/2044/related']) {
      expect(zendesk.isRecordPage(new URL(`https://acme.zendesk.com${path}`)), path).toBe(true);
    }
    for (const path of ['/agent/users', '/agent/users/abc', '/agent/user_filters', '/agent/organizations/360001', '/agent/dashboard']) {
      expect(zendesk.isRecordPage(new URL(`https://acme.zendesk.com${path}`)), path).toBe(false);
    }
  });

  it('matches the case URLs with its match patterns, and not other sites', () => {
    const patterns = zendesk.matches.map(matchPatternToRegExp);
    for (const c of cases) {
      const href = new URL(c.url);
      expect(patterns.some((p) => p.test(href.origin + href.pathname)), c.url).toBe(true);
    }
    for (const href of ['https://zendesk.com.evil.example/agent/tickets/1', 'https://www.zendesk.com/pricing']) {
      expect(patterns.some((p) => p.test(href)), href).toBe(false);
    }
  });

  it('watches the agent layout, not the whole document', () => {
    expect(zendesk.watchRoot?.(loadFixture('zendesk/agent-ticket.html'), url)?.id).toBe('root');
  });
});
