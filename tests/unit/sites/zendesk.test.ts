// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { zendesk } from '~/lib/sites/zendesk';
import { htmlDocument, loadFixture } from '../../helpers/dom';

describe('Zendesk adapter', () => {
  const url = new URL('https://acme.zendesk.com/agent/tickets/1');

  it('reads the requester of the active ticket tab, not of the hidden one', () => {
    const { identity, missing } = zendesk.extract(loadFixture('zendesk/agent-ticket.html'), url);
    expect(identity).toEqual({
      host: 'zendesk',
      hostRecordId: '1',
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
      identity: { host: 'zendesk', hostRecordId: '1', name: 'Ana Li' },
      missing: ['requester email'],
    });
  });
});
