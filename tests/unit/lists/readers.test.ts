// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { customerListPage, ticketListPage } from '~/demo/pages';
import { demoList } from '~/lib/sites/lists/demo';
import { freshdeskList } from '~/lib/sites/hosts/freshdesk/list';
import { gmailList } from '~/lib/sites/hosts/gmail/list';
import { hubspotList } from '~/lib/sites/hosts/hubspot/list';
import { pipedriveList } from '~/lib/sites/hosts/pipedrive/list';
import { listReaderFor, LIST_READERS } from '~/lib/sites/lists/registry';
import { salesforceList } from '~/lib/sites/hosts/salesforce/list';
import { identityKey, readRows } from '~/lib/sites/lists/types';
import { zendeskList } from '~/lib/sites/hosts/zendesk/list';
import { SITE_ADAPTERS } from '~/lib/sites/registry';
import { htmlDocument, loadFixture } from '../../helpers/dom';

const identities = (rows: ReturnType<typeof readRows>) => rows.map((r) => r.identity);

describe('HubSpot list reader', () => {
  const url = new URL('https://app.hubspot.com/contacts/123456/objects/0-1/views/all/list');

  it('recognises contact and company index pages, not records', () => {
    expect(hubspotList.isListPage(url)).toBe(true);
    expect(hubspotList.isListPage(new URL('https://app.hubspot.com/contacts/123456/objects/0-2/views/4711/list'))).toBe(true);
    expect(hubspotList.isListPage(new URL('https://app.hubspot.com/contacts/123456/contacts/list/view/all'))).toBe(true);
    expect(hubspotList.isListPage(new URL('https://app.hubspot.com/contacts/123456/record/0-1/789'))).toBe(false);
  });

  it('reads each contact row by its cell hooks, skipping a row without name or email', () => {
    const doc = loadFixture('hubspot/contacts-list.html');
    const rows = readRows(hubspotList, doc, url);
    expect(identities(rows)).toEqual([
      { host: 'hubspot', hostRecordId: '789', recordType: 'contact', email: 'gael.okafor.5@northwind.example', name: 'Gael Okafor', company: 'Northwind Traders', domain: 'northwind.example' },
      { host: 'hubspot', hostRecordId: '4242', recordType: 'contact', email: 'pablo.dimitrov.6@northwind.example', name: 'Pablo Dimitrov', company: 'Northwind Traders', domain: 'northwind.example' },
      { host: 'hubspot', hostRecordId: '1000019', recordType: 'contact', email: 'freya.vasquez.19@copperleaf.example', name: 'Freya Vasquez', company: 'Copperleaf Studio', domain: 'copperleaf.example' },
      // HubSpot shows the email in the name column of a contact without a name: no name.
      { host: 'hubspot', hostRecordId: '5028', recordType: 'contact', email: 'uma.novak.29@redwood.example', domain: 'redwood.example' },
    ]);
    expect(rows[0]!.recordUrl).toBe('https://app.hubspot.com/contacts/123456/record/0-1/789');
    expect(rows[0]!.anchor.tagName).toBe('A');
    expect(rows[0]!.label).toBe('Gael Okafor');
    expect(rows[3]!.label).toBe('uma.novak.29@redwood.example');
    // Only the index table's rows: the open inline preview is not a row.
    expect(rows.every((r) => r.element.closest('[data-test-id="framework-data-table"]'))).toBe(true);
  });

  it('reads company rows as accounts (name and domain)', () => {
    const doc = htmlDocument(`<table data-test-id="framework-data-table"><tbody><tr>
      <td data-test-id="cell-0-2-name-31"><a href="/contacts/1/record/0-2/31">Harbor &amp; Pine</a></td>
      <td data-test-id="cell-0-2-domain-31">www.harborpine.example</td></tr></tbody></table>`);
    const rows = readRows(hubspotList, doc, new URL('https://app.hubspot.com/contacts/1/objects/0-2/views/all/list'));
    expect(identities(rows)).toEqual([{ host: 'hubspot', hostRecordId: '31', recordType: 'company', company: 'Harbor & Pine', domain: 'harborpine.example' }]);
  });

  it('follows a recycled row: the same element re-read shows the new record', () => {
    const doc = loadFixture('hubspot/contacts-list.html');
    const row = readRows(hubspotList, doc, url)[0]!;
    const before = identityKey(row.identity);
    // A virtual table reuses the row for another contact: new hooks, new text.
    const cells = row.element.querySelectorAll('td');
    cells[0]!.setAttribute('data-test-id', 'cell-0-1-name-4242');
    cells[0]!.querySelector('a')!.textContent = 'Pablo Dimitrov';
    cells[1]!.setAttribute('data-test-id', 'cell-0-1-email-4242');
    cells[1]!.textContent = 'pablo.dimitrov.6@northwind.example';
    const again = hubspotList.readRow(row.element, url)!;
    expect(again.identity.hostRecordId).toBe('4242');
    expect(again.identity.email).toBe('pablo.dimitrov.6@northwind.example');
    expect(identityKey(again.identity)).not.toBe(before);
  });
});

describe('Salesforce list reader', () => {
  const url = new URL('https://acme.lightning.force.com/lightning/o/Contact/list?filterName=Recent');

  it('recognises list views of the objects it reads', () => {
    expect(salesforceList.isListPage(url)).toBe(true);
    expect(salesforceList.isListPage(new URL('https://acme.lightning.force.com/lightning/o/Account/list'))).toBe(true);
    expect(salesforceList.isListPage(new URL('https://acme.lightning.force.com/lightning/o/Widget__c/list'))).toBe(false);
    expect(salesforceList.isListPage(new URL('https://acme.lightning.force.com/lightning/r/Contact/0035g00000CmVq1AAB/view'))).toBe(false);
  });

  it('reads rows by record key, name link, mailto and the Account Name column; skips the placeholder row', () => {
    const rows = readRows(salesforceList, loadFixture('salesforce/contact-list.html'), url);
    expect(identities(rows)).toEqual([
      { host: 'salesforce', hostRecordId: '0035g00000CmVq1AAB', recordType: 'contact', email: 'carmen.vasquez.1@harborpine.example', name: 'Carmen Vasquez', company: 'Harbor & Pine', domain: 'harborpine.example' },
      { host: 'salesforce', hostRecordId: '0035g00000LcTn2AAC', recordType: 'contact', email: 'luca.tanaka.2@harborpine.example', name: 'Luca Tanaka', company: 'Harbor & Pine', domain: 'harborpine.example' },
      { host: 'salesforce', hostRecordId: '0035g00000GrAb7AAB', recordType: 'contact', email: 'goran.abbott.7@tidewater.example', name: 'Goran Abbott', company: 'Tidewater Foods', domain: 'tidewater.example' },
      { host: 'salesforce', hostRecordId: '0035g00000Zz028AAA', recordType: 'contact', name: 'Hana Mendes', company: 'Willow Lane Books' },
    ]);
    expect(rows[0]!.recordUrl).toBe('https://acme.lightning.force.com/lightning/r/Contact/0035g00000CmVq1AAB/view');
  });

  it('reads lightning-datatable rows by data-label, and accounts as companies', () => {
    const doc = htmlDocument(`<lightning-datatable><table><tbody><tr data-row-key-value="0015g00000AbCdEAAZ">
      <th data-label="Account Name" scope="row"><a href="/lightning/r/Account/0015g00000AbCdEAAZ/view">Tidewater Foods</a></th>
      <td data-label="Phone">555</td></tr></tbody></table></lightning-datatable>`);
    const rows = readRows(salesforceList, doc, new URL('https://acme.lightning.force.com/lightning/o/Account/list'));
    expect(identities(rows)).toEqual([{ host: 'salesforce', hostRecordId: '0015g00000AbCdEAAZ', recordType: 'account', company: 'Tidewater Foods' }]);
  });
});

describe('Pipedrive list reader', () => {
  const url = new URL('https://acme.pipedrive.com/persons/list');

  it('recognises people and organization lists', () => {
    expect(pipedriveList.isListPage(url)).toBe(true);
    expect(pipedriveList.isListPage(new URL('https://acme.pipedrive.com/organizations/list/filter/12'))).toBe(true);
    expect(pipedriveList.isListPage(new URL('https://acme.pipedrive.com/person/12'))).toBe(false);
  });

  it('reads person rows (mailto or plain-text email), skipping a row without a person link', () => {
    const rows = readRows(pipedriveList, loadFixture('pipedrive/persons-list.html'), url);
    expect(identities(rows)).toEqual([
      { host: 'pipedrive', hostRecordId: '12', recordType: 'person', email: 'goran.abbott.7@tidewater.example', name: 'Goran Abbott', company: 'Tidewater Foods', domain: 'tidewater.example' },
      { host: 'pipedrive', hostRecordId: '8', recordType: 'person', email: 'hana.torres.8@harborpine.example', name: 'Hana Torres', company: 'Harbor & Pine', domain: 'harborpine.example' },
      { host: 'pipedrive', hostRecordId: '28', recordType: 'person', email: 'hana.mendes.28@willowlane.example', name: 'Hana Mendes', domain: 'willowlane.example' },
    ]);
    expect(rows[1]!.recordUrl).toBe('https://acme.pipedrive.com/person/8');
  });

  it('reads grid rows (role="row") of organizations', () => {
    const doc = htmlDocument(`<div role="grid"><div role="row"><div role="gridcell"><a href="/organization/7">Tidewater Foods</a></div></div></div>`);
    const rows = readRows(pipedriveList, doc, new URL('https://acme.pipedrive.com/organizations/list'));
    expect(identities(rows)).toEqual([{ host: 'pipedrive', hostRecordId: '7', recordType: 'organization', company: 'Tidewater Foods' }]);
  });
});

describe('Zendesk list reader', () => {
  const url = new URL('https://acme.zendesk.com/agent/filters/360000001');

  it('recognises ticket views', () => {
    expect(zendeskList.isListPage(url)).toBe(true);
    expect(zendeskList.isListPage(new URL('https://acme.zendesk.com/agent/tickets/1'))).toBe(false);
  });

  it('reads the Requester column found by its header, with the ticket link; skips an empty requester', () => {
    const rows = readRows(zendeskList, loadFixture('zendesk/agent-views.html'), url);
    expect(identities(rows)).toEqual([
      { host: 'zendesk', hostRecordId: '1', recordType: 'ticket', name: 'Kaia Nakamura' },
      { host: 'zendesk', hostRecordId: '2', recordType: 'ticket', name: 'Luca Tanaka' },
      { host: 'zendesk', hostRecordId: '3', recordType: 'ticket', name: 'Hana Mendes' },
      { host: 'zendesk', hostRecordId: '4', recordType: 'ticket', email: 'uma.novak.29@redwood.example', domain: 'redwood.example' },
    ]);
    expect(rows[2]!.anchor.tagName).toBe('SPAN');
    expect(rows[0]!.recordUrl).toBe('https://acme.zendesk.com/agent/tickets/1');
  });

  it('follows the Requester column when columns are reordered', () => {
    const doc = htmlDocument(`<table data-test-id="generic-table"><thead><tr><th>Requester</th><th>Subject</th></tr></thead><tbody>
      <tr data-test-id="generic-table-row"><td>Hana Mendes</td><td><a href="/agent/tickets/9">Hi</a></td></tr></tbody></table>`);
    expect(identities(readRows(zendeskList, doc, url))).toEqual([{ host: 'zendesk', hostRecordId: '9', recordType: 'ticket', name: 'Hana Mendes' }]);
  });

  it('finds the Requester column of a German view ("Anfragender")', () => {
    const doc = htmlDocument(`<table data-test-id="generic-table"><thead><tr><th><button>Betreff</button></th><th><button>Anfragender</button></th></tr></thead><tbody>
      <tr data-test-id="generic-table-row"><td><a href="/agent/tickets/12">Lieferung</a></td><td>Goran Schmidt</td></tr></tbody></table>`);
    expect(identities(readRows(zendeskList, doc, url))).toEqual([{ host: 'zendesk', hostRecordId: '12', recordType: 'ticket', name: 'Goran Schmidt' }]);
  });
});

describe('Freshdesk and Gmail list readers', () => {
  it('reads Freshdesk ticket rows by the Requester column', () => {
    const url = new URL('https://acme.freshdesk.com/a/tickets/filters/all_tickets');
    expect(freshdeskList.isListPage(url)).toBe(true);
    expect(freshdeskList.isListPage(new URL('https://acme.freshdesk.com/a/tickets/42'))).toBe(false);
    const rows = readRows(freshdeskList, loadFixture('freshdesk/ticket-list.html'), url);
    expect(rows.map((r) => [r.identity.hostRecordId, r.identity.name])).toEqual([['42', 'Carmen Vasquez'], ['41', 'Luca Tanaka'], ['37', 'Chidi Quispe'], ['36', 'Hana Mendes']]);
  });

  it('reads the real Gmail inbox capture: the first sender who is not "me", each row once', () => {
    const url = new URL('https://mail.google.com/mail/u/0/#inbox');
    expect(gmailList.isListPage(url)).toBe(true);
    expect(gmailList.isListPage(new URL('https://mail.google.com/mail/u/0/#inbox/FMfcgzQXJWDsKmxwtRgvLpbhqZqDJwbB'))).toBe(false);
    const rows = readRows(gmailList, loadFixture('gmail/inbox.html'), url);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThanOrEqual(16);
    expect(rows.every((r) => r.identity.email && r.identity.email !== 'streak.web.test.1@gmail.com')).toBe(true);
    expect(rows.map((r) => r.identity.email)).toContain('news@twilio.com');
    expect(rows.find((r) => r.identity.email === 'news@twilio.com')!.identity.name).toBe('Team Twilio');
  });

  it('in a German Gmail ("ich", not "me"), still skips the signed-in account, known by its account button', () => {
    const url = new URL('https://mail.google.com/mail/u/0/#inbox');
    const doc = htmlDocument(`<a href="https://accounts.google.com/SignOutOptions?hl=de" aria-label="Google-Konto: Support Team (support@shop.example)">S</a>
      <div gh="tl"><table><tbody><tr class="zA"><td><div class="yW"><span class="yP" email="support@shop.example" name="ich">ich</span>,
      <span class="yP" email="bruno.larsen.15@silverline.example" name="Bruno Larsen">Bruno</span></div></td></tr></tbody></table></div>`);
    expect(identities(readRows(gmailList, doc, url))).toEqual([
      { host: 'gmail', email: 'bruno.larsen.15@silverline.example', name: 'Bruno Larsen', domain: 'silverline.example' },
    ]);
  });
});

describe('demo helpdesk list reader', () => {
  const tickets = [
    { id: 1001, subject: 'Order arrived damaged', status: 'open' as const, requester: { name: 'Gael Okafor', email: 'Gael.Okafor.5@northwind.example' }, message: '', updated: '2026-11-20' },
    { id: 1002, subject: 'Refund <b>not</b> received', status: 'pending' as const, requester: { name: 'Pablo Dimitrov', email: 'pablo.dimitrov.6@northwind.example' }, message: '', updated: '2026-11-21' },
  ];

  it('reads the requester of each ticket row of the demo ticket list, with the ticket as the record', () => {
    const url = new URL('http://127.0.0.1:5178/tickets');
    const doc = htmlDocument(ticketListPage(tickets));
    expect(demoList.isListPage(url)).toBe(true);
    expect(demoList.isListPage(new URL('http://127.0.0.1:5178/tickets/1001'))).toBe(false);
    expect(demoList.watchRoot(doc, url)?.localName).toBe('table');
    const rows = readRows(demoList, doc, url);
    expect(identities(rows)).toEqual([
      { host: 'demo', hostRecordId: '1001', recordType: 'ticket', email: 'gael.okafor.5@northwind.example', name: 'Gael Okafor', domain: 'northwind.example' },
      { host: 'demo', hostRecordId: '1002', recordType: 'ticket', email: 'pablo.dimitrov.6@northwind.example', name: 'Pablo Dimitrov', domain: 'northwind.example' },
    ]);
    expect(rows[0]!.anchor.textContent).toBe('Gael Okafor');
    expect(rows[1]!.recordUrl).toBe('http://127.0.0.1:5178/tickets/1002');
    expect(rows[1]!.link?.textContent).toBe('Refund <b>not</b> received');
  });

  it('reads the customer list, and nothing on a local page that is not the demo', () => {
    const url = new URL('http://127.0.0.1:5178/customers');
    const customers = [{ id: 'c1', name: 'Freya Vasquez', emails: ['freya.vasquez.19@copperleaf.example'], company: 'Copperleaf Studio', facts: { orders: 3 } }];
    const doc = htmlDocument(customerListPage(customers as never));
    expect(identities(readRows(demoList, doc, url))).toEqual([
      { host: 'demo', recordType: 'customer', email: 'freya.vasquez.19@copperleaf.example', name: 'Freya Vasquez', company: 'Copperleaf Studio', domain: 'copperleaf.example' },
    ]);
    const other = htmlDocument('<main><table><tr data-customer-row="x"><td class="customer-name">Someone</td></tr></table></main>');
    expect(demoList.watchRoot(other, url)).toBeNull();
  });
});

describe('list reader registry', () => {
  it('has one reader per site adapter it names, for the hosts of the issue', () => {
    for (const id of ['hubspot', 'salesforce', 'pipedrive', 'zendesk', 'freshdesk', 'gmail', 'demo']) expect(listReaderFor(id)?.id).toBe(id);
    for (const reader of LIST_READERS) expect(SITE_ADAPTERS.some((a) => a.id === reader.id)).toBe(true);
    expect(listReaderFor('zoho')).toBeUndefined();
  });

  it('never treats a record page as a list page', () => {
    const records = ['https://app.hubspot.com/contacts/1/record/0-1/2', 'https://a.lightning.force.com/lightning/r/Contact/0035g00000CmVq1AAB/view', 'https://a.pipedrive.com/person/1', 'https://a.zendesk.com/agent/tickets/1', 'https://a.freshdesk.com/a/tickets/1'];
    for (const href of records) for (const reader of LIST_READERS) expect(reader.isListPage(new URL(href))).toBe(false);
  });
});
