// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { hubspot } from '~/lib/sites/hosts/hubspot/adapter';
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
      '/help-desk/123456/view/9001/ticket/8800077/thread',
      '/help-desk/123456/view/9001/ticket/8800077',
      '/help-desk/123456/ticket/8800079/thread',
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
      '/help-desk/123456',
      '/help-desk/123456/view/9001',
      '/help-desk/123456/view/9001/ticket/',
      '/help-desk/x/ticket/8800077',
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
    for (const href of [
      'https://www.hubspot.com/pricing',
      'https://hubspot.com.evil.example/contacts/1/record/0-1/2',
      'https://app.hubspot.com/reports-dashboard/123456/view/1',
    ]) {
      expect(patterns.some((p) => p.test(href)), href).toBe(false);
    }
  });

  describe('Help Desk tickets', () => {
    const helpDeskUrl = new URL('https://app.hubspot.com/help-desk/123456/view/9001/ticket/8800077/thread');
    const priya = { email: 'priya.lindqvist.20@bluefin.example', name: 'Priya Lindqvist' };

    it('takes the contact the ticket header names, not the first associated contact (a CC’d colleague)', () => {
      const doc = loadFixture('hubspot/help-desk-ticket.html');
      const panel = doc.querySelectorAll('[data-component-name="Panel"]')[1]!;
      // Sanity: the first contact of the ticket's card is Goran Schmidt, who is CC'd on the thread.
      expect(panel.querySelector('[data-selenium-test="contact-chicklet-title-link"]')?.textContent).toBe('Goran Schmidt');
      expect(hubspot.extract(doc, helpDeskUrl).identity).toMatchObject(priya);
      // Matched by record id: a tile whose name is spelt differently is still the header's contact.
      panel.querySelector('[data-test-id="chiclet-0-1-1000020"] a')!.textContent = 'P. Lindqvist';
      expect(hubspot.extract(doc, helpDeskUrl).identity).toMatchObject(priya);
    });

    it('says which rule chose when the header names no contact: the first associated contact', () => {
      const doc = loadFixture('hubspot/help-desk-ticket.html');
      doc.querySelectorAll('[data-test-id="ticket-header-contact-detail-link"]').forEach((el) => el.remove());
      expect(hubspot.extract(doc, helpDeskUrl).identity).toMatchObject({
        email: 'goran.schmidt.27@bluefin.example',
        name: 'Goran Schmidt',
        note: 'the ticket header names no contact: first of 3 associated contacts',
      });
    });

    it('does not take the words of an "add contact" header for a name (localised UI)', () => {
      const doc = htmlDocument(`<div data-application-name="svh-help-desk"><div data-component-name="Panel">
        <div role="heading"><div data-test-id="ticket-header-name-link"><a href="/help-desk/1/ticket/5/thread"><span>Frage</span></a></div>
        <div data-test-id="ticket-header-contact-detail-link"><button type="button"><span data-content="true">Kontakt hinzufügen</span></button></div></div>
        <div data-sidebar-card-association-object-type-id="0-1"><h2 data-selenium-test="crm-card-title">Kontakte (2)</h2>
          <div data-test-id="chiclet-0-1-7"><a href="/contacts/1/record/0-1/7" data-selenium-test="contact-chicklet-title-link">Kaia Zhou</a><a data-test-id="contact-chicklet-email" href="mailto:kaia.zhou.10@silverline.example">kaia.zhou.10@silverline.example</a></div>
          <div data-test-id="chiclet-0-1-8"><a href="/contacts/1/record/0-1/8" data-selenium-test="contact-chicklet-title-link">Vera Ferreira</a><a data-test-id="contact-chicklet-email" href="mailto:vera.ferreira.13@silverline.example">vera.ferreira.13@silverline.example</a></div>
        </div></div></div>`);
      expect(hubspot.extract(doc, new URL('https://app.hubspot.com/help-desk/1/ticket/5/thread'))).toEqual({
        identity: {
          host: 'hubspot',
          hostRecordId: '5',
          recordType: 'ticket',
          email: 'kaia.zhou.10@silverline.example',
          name: 'Kaia Zhou',
          domain: 'silverline.example',
          note: 'the ticket header names no contact: first of 2 associated contacts',
        },
        missing: [],
      });
    });

    it('reads the panel of the URL’s ticket, not the previous ticket’s panel still in the DOM', () => {
      const doc = loadFixture('hubspot/help-desk-ticket.html');
      // The previous ticket (8800076, Yara Nakamura) comes first in DOM order.
      expect(doc.querySelector('[data-test-id="ticket-header-contact-detail-link"]')?.textContent).toBe('Yara Nakamura');
      expect(hubspot.extract(doc, helpDeskUrl).identity?.name).toBe('Priya Lindqvist');
      // At the previous ticket's URL: its own contact, and none of the other panel's tiles.
      const previous = hubspot.extract(doc, new URL('https://app.hubspot.com/help-desk/123456/view/9001/ticket/8800076/thread'));
      expect(previous.identity).toEqual({ host: 'hubspot', hostRecordId: '8800076', recordType: 'ticket', name: 'Yara Nakamura' });
      expect(previous.missing).toEqual(['ticket contact email']);
    });

    it('never reads the thread, the composer’s To/Cc, the owner or a previewed contact', () => {
      const doc = loadFixture('hubspot/help-desk-ticket.html');
      doc.querySelectorAll('[data-component-name="Panel"] [data-sidebar-card-association-object-type-id]').forEach((el) => el.remove());
      // Without the ticket's cards, only the header's name is left: no address from the thread, the
      // composer's tags (Goran Schmidt), the comment (Maya Cohen) or the contact preview (Goran Schmidt).
      expect(hubspot.extract(doc, helpDeskUrl)).toEqual({
        identity: { host: 'hubspot', hostRecordId: '8800077', recordType: 'ticket', name: 'Priya Lindqvist' },
        missing: ['ticket contact email'],
      });
      doc.querySelectorAll('[data-test-id="ticket-header-contact-detail-link"]').forEach((el) => el.remove());
      expect(hubspot.extract(doc, helpDeskUrl)).toEqual({
        identity: null,
        missing: ['ticket contact email', 'ticket contact name'],
      });
    });

    it('counts only the ticket’s own contacts in the note, not a previewed record’s', () => {
      const doc = loadFixture('hubspot/help-desk-ticket.html');
      expect(hubspot.extract(doc, helpDeskUrl).identity?.note).toBe(
        'the ticket’s own contact (named in its header), not the other 2 of 3 associated contacts',
      );
      doc.querySelector('[data-selenium-test="sidebar-preview-panel"]')?.remove();
      expect(hubspot.extract(doc, helpDeskUrl).identity?.note).toBe(
        'the ticket’s own contact (named in its header), not the other 2 of 3 associated contacts',
      );
    });

    it('reads the full ticket view, its sidebar beside the ticket (German UI)', () => {
      const doc = loadFixture('hubspot/help-desk-ticket-de.html');
      const url = new URL('https://app-eu1.hubspot.com/help-desk/123456/ticket/8800079/thread');
      // The ticket's contact is the second tile: the first is a colleague mentioned in a note.
      expect(hubspot.extract(doc, url).identity).toMatchObject({ name: 'Hana Torres', email: 'hana.torres.8@harborpine.example', company: 'Harbor & Pine' });
    });

    it('says what it could not find on a Help Desk page that has not rendered the ticket yet', () => {
      expect(hubspot.extract(htmlDocument('<div data-application-name="svh-help-desk"></div>'), helpDeskUrl)).toEqual({
        identity: null,
        missing: ['ticket header'],
      });
    });

    it('watches the whole body on Help Desk, where tickets open as layers outside the workspace', () => {
      expect(hubspot.watchRoot?.(loadFixture('hubspot/help-desk-ticket.html'), helpDeskUrl)).toBeNull();
    });
  });

  describe('CRM deals and tickets with several associated contacts', () => {
    const url = new URL('https://app.hubspot.com/contacts/123456/record/0-5/8800090');

    it('takes the first associated contact and says so, counting the card’s total, not only the tiles shown', () => {
      const doc = loadFixture('hubspot/ticket-several-contacts-de.html');
      expect(doc.querySelectorAll('#crm [data-selenium-test="contact-chicklet-title-link"]')).toHaveLength(3);
      expect(hubspot.extract(doc, url).identity?.note).toBe('first of 4 associated contacts; first of 2 associated companies');
      // Without the card's count, the tiles shown are counted.
      doc.querySelectorAll('h2').forEach((h) => (h.textContent = h.textContent!.replace(/\s*\(\d+\)/, '')));
      expect(hubspot.extract(doc, url).identity?.note).toBe('first of 3 associated contacts; first of 2 associated companies');
    });

    it('never takes the owner (a HubSpot user) from the record’s own sidebar', () => {
      const doc = loadFixture('hubspot/ticket-several-contacts-de.html');
      expect(doc.querySelector('[data-selenium-test="property-input-hubspot_owner_id"]')?.textContent).toContain('robin.ashford@acme-crm.example');
      doc.querySelector('[data-test-id="records-right-sidebar"]')?.remove();
      expect(hubspot.extract(doc, url)).toEqual({ identity: null, missing: ['associated contact email', 'associated contact name'] });
    });

    it('adds no note when there is a single contact and a single company', () => {
      const doc = loadFixture('hubspot/ticket.html');
      expect(hubspot.extract(doc, new URL('https://app.hubspot.com/contacts/123456/record/0-5/8800042')).identity?.note).toBeUndefined();
    });
  });

  it('reads a property being edited from its input, never its label', () => {
    const doc = htmlDocument(`<div data-test-id="left-sidebar">
      <div data-test-id="highlight-property-display-hs_full_name_or_email">Gael Okafor</div>
      <div data-selenium-test="property-input-email"><label>E-Mail</label><input type="email" value="Gael.Okafor.5@northwind.example"></div>
      <div data-selenium-test="property-input-company"><label>Unternehmensname</label><input type="text" value="Northwind Traders"></div></div>`);
    expect(hubspot.extract(doc, contactUrl).identity).toMatchObject({
      email: 'gael.okafor.5@northwind.example',
      name: 'Gael Okafor',
      company: 'Northwind Traders',
    });
  });

  it('watches the record page container, not the whole document', () => {
    expect(hubspot.watchRoot?.(loadFixture('hubspot/contact.html'), contactUrl)?.id).toBe('crm');
  });
});
