// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { loadDemoData } from '~/demo/data';
import { ticketListPage, ticketPage } from '~/demo/pages';
import { demoHelpdesk } from '~/lib/sites/demo';
import { htmlDocument } from '../../helpers/dom';

describe('demo helpdesk adapter', () => {
  const { tickets } = loadDemoData();
  const ticket = tickets[0]!;
  const url = new URL(`http://127.0.0.1:5178/tickets/${ticket.id}`);

  it('reads the requester of a demo ticket page', () => {
    const { identity } = demoHelpdesk.extract(htmlDocument(ticketPage(ticket)), url);
    expect(identity).toMatchObject({
      host: 'demo',
      hostRecordId: String(ticket.id),
      email: ticket.requester.email,
      name: ticket.requester.name,
      company: ticket.requester.company,
    });
  });

  it('finds no customer on the ticket list', () => {
    const list = new URL('http://127.0.0.1:5178/tickets');
    expect(demoHelpdesk.isRecordPage(list)).toBe(false);
    expect(demoHelpdesk.extract(htmlDocument(ticketListPage(tickets)), list).identity).toBeNull();
  });

  it('ignores a localhost page that is not the demo', () => {
    const other = htmlDocument('<main data-ticket-id="1"><div data-requester><a class="requester-email" href="mailto:a@b.co">a</a></div></main>');
    expect(demoHelpdesk.extract(other, new URL('http://localhost:3000/tickets/1'))).toEqual({
      identity: null,
      missing: ['demo marker'],
    });
  });

  it('escapes requester text in the demo pages', () => {
    const hostile = { ...ticket, requester: { name: '<img src=x onerror=alert(1)>', email: 'x@y.example' } };
    const doc = htmlDocument(ticketPage(hostile));
    expect(doc.querySelector('img')).toBeNull();
    expect(demoHelpdesk.extract(doc, url).identity?.name).toBe('<img src=x onerror=alert(1)>');
  });
});
