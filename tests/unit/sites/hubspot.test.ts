// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { hubspot } from '~/lib/sites/hubspot';
import { matchPatternToRegExp } from '~/lib/sites/registry';
import { htmlDocument, loadFixture } from '../../helpers/dom';
import { loadCases } from '../../helpers/sites';

const cases = loadCases('hubspot');
const contactUrl = new URL('https://app.hubspot.com/contacts/123456/record/0-1/789');

describe('HubSpot adapter', () => {
  describe.each(cases)('$fixture at $url', ({ url, fixture, expect: expected }) => {
    it(expected ? 'reads exactly the record of the URL' : 'is not a record page and yields no identity', () => {
      const target = new URL(url);
      const { identity, missing } = hubspot.extract(loadFixture(`hubspot/${fixture}`), target);
      if (expected) {
        expect(hubspot.isRecordPage(target)).toBe(true);
        expect(identity).toEqual({ host: 'hubspot', ...expected });
        expect(missing).toEqual([]);
      } else {
        expect(hubspot.isRecordPage(target)).toBe(false);
        expect(identity).toBeNull();
      }
    });
  });

  it('never takes the preview panel’s contact, even when the page’s own email is gone', () => {
    const doc = loadFixture('hubspot/contact.html');
    // Sanity: a first-match reader would get the previewed contact.
    expect(doc.querySelector('[data-test-id="highlight-property-display-email"]')?.textContent).toBe(
      'uma.brennan.9@northwind.example',
    );
    doc.querySelectorAll('#crm [data-test-id="highlight-property-item-email"], #crm [data-test-id="email"]').forEach((el) => el.remove());
    const { identity, missing } = hubspot.extract(doc, contactUrl);
    expect(identity).toMatchObject({ name: 'Gael Okafor', company: 'Northwind Traders' });
    expect(identity?.email).toBeUndefined();
    expect(missing).toEqual(['contact email']);
  });

  it('takes a ticket’s contact from the page’s associations, not from the preview panel', () => {
    const doc = loadFixture('hubspot/ticket.html');
    const url = new URL('https://app.hubspot.com/contacts/123456/record/0-5/8800042');
    expect(doc.querySelector('[data-selenium-test="contact-chicklet-title-link"]')?.textContent).toBe('Goran Schmidt');
    doc.querySelector('#crm [data-test-id="records-right-sidebar"]')?.remove();
    expect(hubspot.extract(doc, url)).toEqual({
      identity: null,
      missing: ['associated contact email', 'associated contact name'],
    });
  });

  it('does not take an associated contact’s email as a company’s', () => {
    const doc = loadFixture('hubspot/company.html');
    const url = new URL('https://app.hubspot.com/contacts/123456/record/0-2/3300017');
    expect(hubspot.extract(doc, url).identity?.email).toBeUndefined();
  });

  it('keeps a contact whose display name is only an email', () => {
    const doc = htmlDocument(`<div data-test-id="left-sidebar">
      <div data-test-id="highlight-property-display-hs_full_name_or_email">Ana.Li@Example.org</div></div>`);
    expect(hubspot.extract(doc, contactUrl)).toEqual({
      identity: {
        host: 'hubspot',
        hostRecordId: '789',
        recordType: 'contact',
        email: 'ana.li@example.org',
        domain: 'example.org',
      },
      missing: ['contact name'],
    });
  });

  it('says what it could not find on a page that has not rendered the record yet', () => {
    expect(hubspot.extract(htmlDocument('<div id="crm"></div>'), contactUrl)).toEqual({
      identity: null,
      missing: ['contact email', 'contact name'],
    });
    expect(hubspot.extract(htmlDocument(''), new URL('https://app.hubspot.com/contacts/123456/objects/0-1/views/all/list')).missing).toEqual(['record id in the URL']);
  });

  it('returns page text as plain text, never markup', () => {
    const doc = htmlDocument(`<div data-test-id="left-sidebar">
      <div data-test-id="highlight-property-display-hs_full_name_or_email">&lt;img src=x onerror=alert(1)&gt;</div>
      <div data-test-id="highlight-property-display-email">a@b.example</div></div>`);
    expect(hubspot.extract(doc, contactUrl).identity?.name).toBe('<img src=x onerror=alert(1)>');
  });

  it('recognises record pages only', () => {
    for (const path of [
      '/contacts/123456/record/0-1/789',
      '/contacts/123456/record/0-2/3300017',
      '/contacts/123456/record/0-3/5550123/',
      '/contacts/123456/record/0-5/8800042',
      '/contacts/123456/contact/4242',
      '/contacts/123456/company/3300017',
      '/contacts/123456/deal/5550123',
      '/contacts/123456/ticket/8800042',
    ]) {
      expect(hubspot.isRecordPage(new URL(`https://app.hubspot.com${path}`)), path).toBe(true);
    }
    for (const path of [
      '/contacts/123456/objects/0-1/views/all/list',
      '/contacts/123456/record/2-1234567/42',
      '/contacts/123456/record/0-1/',
      '/contacts/123456/contacts/list/view/all',
      '/reports-dashboard/123456/view/1',
      '/settings/123456/properties',
    ]) {
      expect(hubspot.isRecordPage(new URL(`https://app.hubspot.com${path}`)), path).toBe(false);
    }
  });

  it('matches the case URLs with its match patterns, and not other sites', () => {
    const patterns = hubspot.matches.map(matchPatternToRegExp);
    for (const c of cases) {
      const href = new URL(c.url);
      expect(patterns.some((p) => p.test(href.origin + href.pathname)), c.url).toBe(true);
    }
    for (const href of ['https://www.hubspot.com/pricing', 'https://hubspot.com.evil.example/contacts/1/record/0-1/2']) {
      expect(patterns.some((p) => p.test(href)), href).toBe(false);
    }
  });

  it('watches the record page container, not the whole document', () => {
    expect(hubspot.watchRoot?.(loadFixture('hubspot/contact.html'), contactUrl)?.id).toBe('crm');
  });
});
