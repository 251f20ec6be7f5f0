// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { pipedrive } from '~/lib/sites/hosts/pipedrive/adapter';
import { matchPatternToRegExp } from '~/lib/sites/registry';
import { htmlDocument, loadFixture } from '../../helpers/dom';
import { loadCases } from '../../helpers/sites';

const cases = loadCases('pipedrive');
const personUrl = new URL('https://acme.pipedrive.com/person/12');
const dealUrl = new URL('https://acme.pipedrive.com/deal/56');

describe('Pipedrive adapter', () => {
  describe.each(cases)('$fixture at $url', ({ url, fixture, expect: expected }) => {
    it(expected ? 'reads exactly the item of the URL' : 'is not a detail page and yields no identity', () => {
      const target = new URL(url);
      const { identity, missing } = pipedrive.extract(loadFixture(`pipedrive/${fixture}`), target);
      if (expected) {
        expect(pipedrive.isRecordPage(target)).toBe(true);
        expect(identity).toEqual({ host: 'pipedrive', ...expected });
        expect(missing).toEqual([]);
      } else {
        expect(pipedrive.isRecordPage(target)).toBe(false);
        expect(identity).toBeNull();
      }
    });
  });

  it('never takes the contextual view’s person, even when the page’s own email is gone', () => {
    const doc = loadFixture('pipedrive/person.html');
    // Sanity: a first-match reader would get the person of the deal in the contextual view.
    expect(doc.querySelector('a[href^="mailto:"]')?.getAttribute('href')).toBe('mailto:hana.torres.8@harborpine.example');
    doc.querySelector('.detailView [data-testid="detail-block"] a[href^="mailto:"]')?.closest('[data-testid="fields-list-row"]')?.remove();
    const { identity, missing } = pipedrive.extract(doc, personUrl);
    expect(identity).toMatchObject({ name: 'Goran Abbott', company: 'Tidewater Foods' });
    expect(identity?.email).toBeUndefined();
    expect(missing).toEqual(['person email']);
  });

  it('takes a deal’s customer from its own Person block only (without one: its organization, said in a note)', () => {
    const doc = loadFixture('pipedrive/deal.html');
    expect(doc.querySelector('[data-testid="person-block"] a[href*="/person/"]')?.textContent).toBe('Jonas Jensen');
    doc.querySelector('main [data-testid="person-block"]')?.remove();
    expect(pipedrive.extract(doc, dealUrl)).toEqual({
      identity: {
        host: 'pipedrive',
        hostRecordId: '56',
        recordType: 'deal',
        company: 'Harbor & Pine',
        note: 'the deal has no contact person: its organization',
      },
      missing: [],
    });
  });

  it('takes a deal’s Person, never its participants (listed first), owner or followers', () => {
    const doc = loadFixture('pipedrive/deal-participants-de.html');
    const url = new URL('https://acme.pipedrive.com/deal/57');
    // Sanity: the first person and address on the page are a participant's.
    expect(doc.querySelector('main a[href*="/person/"]')?.textContent).toBe('Jamal Nguyen');
    expect(pipedrive.extract(doc, url).identity).toMatchObject({ name: 'Teo Baptiste', email: 'teo.baptiste.36@tidewater.example' });
    // Without the Person block: the organization, never a participant, the owner or the follower.
    doc.querySelector('[data-testid="person-block"]')?.remove();
    expect(pipedrive.extract(doc, url)).toEqual({
      identity: {
        host: 'pipedrive',
        hostRecordId: '57',
        recordType: 'deal',
        company: 'Tidewater Foods',
        domain: 'tidewater.example',
        note: 'the deal has no contact person: its organization',
      },
      missing: [],
    });
    doc.querySelector('[data-testid="organization-block"]')?.remove();
    expect(pipedrive.extract(doc, url)).toEqual({ identity: null, missing: ['deal person email', 'deal person name'] });
  });

  it('takes an organization’s website domain for a deal whose person has no address', () => {
    const doc = loadFixture('pipedrive/deal-participants-de.html');
    doc.querySelector('[data-testid="person-block"] a[href^="mailto:"]')?.closest('[data-testid="fields-list-row"]')?.remove();
    expect(pipedrive.extract(doc, new URL('https://acme.pipedrive.com/deal/57'))).toEqual({
      identity: { host: 'pipedrive', hostRecordId: '57', recordType: 'deal', name: 'Teo Baptiste', company: 'Tidewater Foods', domain: 'tidewater.example' },
      missing: ['deal person email'],
    });
  });

  it('does not take an organization’s people’s emails as its own', () => {
    const { identity } = pipedrive.extract(loadFixture('pipedrive/organization.html'), new URL('https://acme.pipedrive.com/organization/34'));
    expect(identity?.email).toBeUndefined();
  });

  it('falls back to the tab title for the name of a person', () => {
    const doc = htmlDocument(`<title>Ana Li - contact details</title><div class="detailView"><div data-testid="detail-block">
      <div data-testid="fields-list-row-field-components">ana.li@example.org</div></div></div>`);
    expect(pipedrive.extract(doc, personUrl).identity).toEqual({
      host: 'pipedrive',
      hostRecordId: '12',
      recordType: 'person',
      email: 'ana.li@example.org',
      name: 'Ana Li',
      domain: 'example.org',
    });
  });

  it('says what it could not find on a page that has not rendered the item yet', () => {
    expect(pipedrive.extract(htmlDocument('<main></main>'), personUrl)).toEqual({
      identity: null,
      missing: ['person email', 'person name'],
    });
    expect(pipedrive.extract(htmlDocument('<main></main>'), dealUrl).missing).toEqual(['deal person email', 'deal person name']);
    expect(pipedrive.extract(htmlDocument(''), new URL('https://acme.pipedrive.com/pipeline/1/user/everyone')).missing).toEqual([
      'record id in the URL',
    ]);
  });

  it('returns page text as plain text, never markup', () => {
    const doc = htmlDocument(`<div data-testid="person-block"><a href="/person/8">&lt;img src=x onerror=alert(1)&gt;</a>
      <div data-testid="fields-list-row-field-components"><a href="mailto:a@b.example">a@b.example</a></div></div>`);
    expect(pipedrive.extract(doc, dealUrl).identity?.name).toBe('<img src=x onerror=alert(1)>');
  });

  it('recognises detail pages only', () => {
    for (const path of ['/person/12', '/organization/34', '/deal/56', '/deal/56/']) {
      expect(pipedrive.isRecordPage(new URL(`https://acme.pipedrive.com${path}`)), path).toBe(true);
    }
    for (const path of ['/persons/list', '/organizations/list', '/pipeline/1/user/everyone', '/deals/list', '/leads/inbox', '/person/abc', '/settings/personal']) {
      expect(pipedrive.isRecordPage(new URL(`https://acme.pipedrive.com${path}`)), path).toBe(false);
    }
  });

  it('matches the case URLs with its match patterns, and not other sites', () => {
    const patterns = pipedrive.matches.map(matchPatternToRegExp);
    for (const href of [...cases.map((c) => c.url), 'https://app.pipedrive.com/deal/56']) {
      const url = new URL(href);
      expect(patterns.some((p) => p.test(url.origin + url.pathname)), href).toBe(true);
    }
    expect(patterns.some((p) => p.test('https://pipedrive.com.evil.example/person/12'))).toBe(false);
  });

  it('watches the detail view, not the whole document', () => {
    expect(pipedrive.watchRoot?.(loadFixture('pipedrive/person.html'), personUrl)?.classList.contains('detailView')).toBe(true);
    expect(pipedrive.watchRoot?.(loadFixture('pipedrive/deal.html'), dealUrl)?.tagName).toBe('MAIN');
  });
});
