// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { matchPatternToRegExp } from '~/lib/sites/registry';
import { zoho } from '~/lib/sites/hosts/zoho/adapter';
import { htmlDocument, loadFixture } from '../../helpers/dom';
import { loadCases } from '../../helpers/sites';

const cases = loadCases('zoho');

const CONTACT_URL = new URL('https://crm.zoho.com/crm/org749122837/tab/Contacts/5725767000001234567');

/** A minimal detail view with these section fields, each [COLUMN, value markup]. */
function detailPage(fields: [string, string][], header = ''): Document {
  const rows = fields
    .map(
      ([column, value]) => `<div class="cxDvBcInfoFormRow"><div class="cxDvInfoFormField" data-zcqa="dtVw_lbl_${column}">Label</div>
      <div class="dvValueContainer cxDvInfoValue"><div class="cxDvFieldWrap">${value}</div></div></div>`,
    )
    .join('');
  return htmlDocument(`<crm-detailview><crux-detailpage-wrapper>${header}
    <div id="detail_tab_content">${rows}</div></crux-detailpage-wrapper></crm-detailview>`);
}

describe('Zoho CRM adapter', () => {
  it('reads the contact, not the people in its related lists', () => {
    const { identity, missing } = zoho.extract(loadFixture('zoho/contact.html'), CONTACT_URL);
    expect(identity).toEqual({
      host: 'zoho',
      hostRecordId: '5725767000001234567',
      recordType: 'contact',
      email: 'chidi.quispe.3@northwind.example',
      name: 'Chidi Quispe',
      company: 'Northwind Traders',
      domain: 'northwind.example',
    });
    expect(missing).toEqual([]);
  });

  it('reads the visible lead, not the earlier lead whose detail view is kept hidden', () => {
    const url = new URL('https://crm.zoho.com/crm/org749122837/tab/Leads/5725767000001300002');
    expect(zoho.extract(loadFixture('zoho/lead.html'), url).identity).toEqual({
      host: 'zoho',
      hostRecordId: '5725767000001300002',
      recordType: 'lead',
      email: 'tara.ivanova.4@harborpine.example',
      name: 'Tara Ivanova',
      company: 'Harbor & Pine',
      domain: 'harborpine.example',
    });
  });

  it("reads an account's name and website domain, never its related contacts' emails", () => {
    const url = new URL('https://crm.zoho.com/crm/org749122837/tab/Accounts/5725767000001100002');
    expect(zoho.extract(loadFixture('zoho/account.html'), url)).toEqual({
      identity: {
        host: 'zoho',
        hostRecordId: '5725767000001100002',
        recordType: 'account',
        company: 'Tidewater Foods',
        domain: 'tidewater.example',
      },
      missing: [],
    });
  });

  it("reads a deal's contact and account lookups, not the related contact roles", () => {
    const url = new URL('https://crm.zoho.com/crm/org749122837/tab/Deals/5725767000002200001');
    expect(zoho.extract(loadFixture('zoho/deal.html'), url)).toEqual({
      identity: {
        host: 'zoho',
        hostRecordId: '5725767000002200001',
        recordType: 'deal',
        name: 'Gael Okafor',
        company: 'Northwind Traders',
      },
      missing: [],
    });
  });

  it.each(cases)('end-to-end case $url', ({ url, fixture, expect: expected }) => {
    const page = new URL(url);
    expect(zoho.isRecordPage(page)).toBe(expected !== null);
    const { identity } = zoho.extract(loadFixture(`zoho/${fixture}`), page);
    if (expected === null) expect(identity).toBeNull();
    else expect(identity).toMatchObject(expected);
  });

  it('reads the email from the Email field when the header has none', () => {
    const doc = detailPage([
      ['FULLNAME', 'Dr. Gael Okafor'],
      ['EMAIL', '<a href="mailto:Gael.Okafor.5@northwind.example">Gael.Okafor.5@northwind.example</a>'],
    ]);
    expect(zoho.extract(doc, CONTACT_URL).identity).toMatchObject({
      name: 'Gael Okafor',
      email: 'gael.okafor.5@northwind.example',
    });
  });

  it('never reads a field that sits inside a related list', () => {
    // Defensive: related-list markup is not known from Zoho's source; if it ever reuses the field
    // test ids, the other person's address must still be ignored.
    const doc = detailPage(
      [['FULLNAME', 'Chidi Quispe']],
      `<crux-related-list-wrapper><div class="cxDvInfoFormField" data-zcqa="dtVw_lbl_EMAIL">Email</div>
       <div class="dvValueContainer">pablo.dimitrov.6@northwind.example</div></crux-related-list-wrapper>`,
    );
    expect(zoho.extract(doc, CONTACT_URL)).toEqual({
      identity: { host: 'zoho', hostRecordId: '5725767000001234567', recordType: 'contact', name: 'Chidi Quispe' },
      missing: ['contact email'],
    });
  });

  it('recognises record pages only', () => {
    const record = [
      'https://crm.zoho.com/crm/org749122837/tab/Contacts/5725767000001234567',
      'https://crm.zoho.com/crm/tab/Leads/5725767000001300002',
      'https://crm.zoho.eu/crm/org1/tab/Accounts/1/',
      'https://crm.zoho.com/crm/org1/tab/Potentials/2',
      'https://crm.zoho.com/crm/org1/tab/Deals/2?sub_module=x',
    ];
    const notRecord = [
      'https://crm.zoho.com/crm/org749122837/tab/Contacts',
      'https://crm.zoho.com/crm/org749122837/tab/Contacts/custom-view/5725767000000087501/list',
      'https://crm.zoho.com/crm/org749122837/tab/Contacts/create',
      'https://crm.zoho.com/crm/org749122837/tab/Contacts/5725767000001234567/edit',
      'https://crm.zoho.com/crm/org749122837/tab/Tasks/5725767000001234567',
      'https://crm.zoho.com/crm/org749122837/tab/Home/begin',
      'https://crm.zoho.com/crm/org749122837/settings/sandbox',
    ];
    for (const href of record) expect(zoho.isRecordPage(new URL(href)), href).toBe(true);
    for (const href of notRecord) expect(zoho.isRecordPage(new URL(href)), href).toBe(false);
  });

  it('says what it could not find on a page not rendered yet', () => {
    expect(zoho.extract(htmlDocument('<div id="crmWrapper"></div>'), CONTACT_URL)).toEqual({
      identity: null,
      missing: ['record detail view'],
    });
    expect(zoho.extract(detailPage([]), CONTACT_URL)).toEqual({
      identity: null,
      missing: ['contact name', 'contact email'],
    });
    const account = new URL('https://crm.zoho.com/crm/org1/tab/Accounts/1');
    expect(zoho.extract(detailPage([['ACCOUNTNAME', 'Tidewater Foods']]), account)).toEqual({
      identity: { host: 'zoho', hostRecordId: '1', recordType: 'account', company: 'Tidewater Foods' },
      missing: ['account website'],
    });
  });

  it('returns an injection-looking name as plain text', () => {
    const doc = detailPage(
      [['EMAIL', 'carmen.vasquez.1@harborpine.example']],
      '<span id="recHeader1" class="cxDvRecordHeader1">&lt;img src=x onerror=alert(1)&gt;</span>',
    );
    const { identity } = zoho.extract(doc, CONTACT_URL);
    expect(identity?.name).toBe('<img src=x onerror=alert(1)>');
    expect(doc.querySelector('img')).toBeNull();
  });

  it('watches the detail view once rendered', () => {
    const doc = loadFixture('zoho/lead.html');
    const url = new URL('https://crm.zoho.com/crm/org749122837/tab/Leads/5725767000001300002');
    const root = zoho.watchRoot?.(doc, url);
    expect(root?.tagName.toLowerCase()).toBe('crm-detailview');
    expect(root?.getAttribute('style')).toBeNull();
  });

  it('matches every case URL with its match patterns, on every listed data centre', () => {
    const patterns = zoho.matches.map(matchPatternToRegExp);
    for (const { url } of cases) {
      const page = new URL(url);
      expect(patterns.some((p) => p.test(page.origin + page.pathname)), url).toBe(true);
    }
    for (const tld of ['com', 'eu', 'in', 'com.au', 'jp']) {
      expect(patterns.some((p) => p.test(`https://crm.zoho.${tld}/crm/org1/tab/Contacts/1`)), tld).toBe(true);
    }
    expect(patterns.some((p) => p.test('https://crm.zoho.com.evil.example/crm/tab/Contacts/1'))).toBe(false);
    expect(zoho.matches.every((p) => p.startsWith('https://'))).toBe(true);
  });

  describe('German UI, account lookup in inline edit', () => {
    const url = new URL('https://crm.zoho.eu/crm/org20071234567/tab/Contacts/5725767000001234571');
    const HANA = {
      host: 'zoho',
      hostRecordId: '5725767000001234571',
      recordType: 'contact',
      email: 'hana.torres.8@harborpine.example',
      name: 'Hana Torres',
      company: 'Harbor & Pine',
      domain: 'harborpine.example',
    };

    it('reads by column names whatever the labels say, and drops the localised salutation', () => {
      expect(zoho.extract(loadFixture('zoho/contact-edit-de.html'), url)).toEqual({ identity: HANA, missing: [] });
    });

    it('reads the value being typed into the lookup, never the other accounts it offers, the owner or the e-mails', () => {
      const doc = loadFixture('zoho/contact-edit-de.html');
      const text = JSON.stringify(zoho.extract(doc, url));
      for (const other of ['Northwind', 'Tidewater', 'Jordan', 'jordan@', 'luca.tanaka']) expect(text).not.toContain(other);
      const input = doc.querySelector<HTMLInputElement>('crux-lookup-component input')!;
      input.value = '  Harbor & Pine   Records ';
      expect(zoho.extract(doc, url).identity).toMatchObject({ company: 'Harbor & Pine Records' });
      input.value = '';
      const { identity } = zoho.extract(doc, url);
      expect(identity).toMatchObject({ name: 'Hana Torres', email: HANA.email });
      expect(identity?.company).toBeUndefined();
    });

    it('reads an email field being edited from its input, not from the text around it', () => {
      const doc = detailPage([
        ['FULLNAME', 'Gael Okafor'],
        ['EMAIL', '<lyte-input><input type="email" value="Gael.Okafor.5@northwind.example"></lyte-input><span class="hint">z. B. name@firma.example</span>'],
      ]);
      expect(zoho.extract(doc, CONTACT_URL).identity).toMatchObject({ email: 'gael.okafor.5@northwind.example', name: 'Gael Okafor' });
    });
  });
});
