// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { FRONT_SELECTORS, front } from '~/lib/sites/hosts/front/adapter';
import { matchPatternToRegExp } from '~/lib/sites/registry';
import { htmlDocument, loadFixture } from '../../helpers/dom';
import { expectSelectorsAsData } from '../../helpers/selectors';
import { expectCasesAgree, loadCases } from '../../helpers/sites';

const cases = loadCases('front');

const OPEN_URL = new URL('https://app.frontapp.com/open/cnv_1hxxh0yi');
const OUTBOUND_URL = new URL('https://app.frontapp.com/open/cnv_1hxxrg4j');

/** The conversation fixture without its contact panel: only the verified message hooks remain. */
function withoutPanel(): Document {
  const doc = loadFixture('front/conversation.html');
  doc.querySelector('[data-testid="contact-details"]')?.remove();
  return doc;
}

describe('Front adapter', () => {
  it("reads the open conversation's contact panel", () => {
    const { identity, missing } = front.extract(loadFixture('front/conversation.html'), OPEN_URL);
    expect(identity).toEqual({
      host: 'front',
      hostRecordId: 'cnv_1hxxh0yi',
      recordType: 'conversation',
      email: 'pablo.dimitrov.6@northwind.example',
      name: 'Pablo Dimitrov',
      company: 'Northwind Traders',
      domain: 'northwind.example',
    });
    expect(missing).toEqual([]);
  });

  it('without the panel, reads who started the visible conversation, not the hidden viewer or the list', () => {
    expect(front.extract(withoutPanel(), OPEN_URL).identity).toEqual({
      host: 'front',
      hostRecordId: 'cnv_1hxxh0yi',
      recordType: 'conversation',
      email: 'pablo.dimitrov.6@northwind.example',
      name: 'Pablo Dimitrov',
      company: 'Northwind Traders',
      domain: 'northwind.example',
    });
  });

  it('skips the hidden viewer even when the viewers carry no id to match', () => {
    const doc = withoutPanel();
    for (const viewer of doc.querySelectorAll('[data-testid^="viewer-"]')) viewer.removeAttribute('data-testid');
    expect(front.extract(doc, OPEN_URL).identity?.email).toBe('pablo.dimitrov.6@northwind.example');
  });

  it("picks the viewer whose id is the URL's when several are visible", () => {
    const doc = withoutPanel();
    doc.querySelector('[data-testid="viewer-117421000001"]')?.removeAttribute('style');
    expect(front.extract(doc, OPEN_URL).identity?.email).toBe('pablo.dimitrov.6@northwind.example');
    const other = new URL(`https://app.frontapp.com/open/cnv_${(117421000001).toString(36)}`);
    expect(front.extract(doc, other).identity?.email).toBe('uma.brennan.9@northwind.example');
  });

  it('an outbound conversation: the first To recipient of the team’s first message, not the teammate who sent it', () => {
    const doc = loadFixture('front/conversation-outbound.html');
    expect(front.extract(doc, OUTBOUND_URL)).toEqual({
      identity: {
        host: 'front',
        hostRecordId: 'cnv_1hxxrg4j',
        recordType: 'conversation',
        email: 'ximena.brennan.11@zephyr.example',
        name: 'Ximena Brennan',
        domain: 'zephyr.example',
        note: 'the first recipient of your team’s first message (an outbound conversation)',
      },
      missing: [],
    });
  });

  it('knows the team by the signed-in teammate’s name when a message shows no address', () => {
    const doc = loadFixture('front/conversation-outbound.html');
    doc.querySelector('[class*="messageViewerRecipient__StyledHandleSpan"]')?.remove();
    expect(front.extract(doc, OUTBOUND_URL).identity?.email).toBe('ximena.brennan.11@zephyr.example');
  });

  it('knows the team by Front’s outbound mark when the chrome does not show the teammate', () => {
    const doc = loadFixture('front/conversation-outbound.html');
    doc.querySelector('[data-testid="teammate-avatar"]')?.remove();
    doc.querySelector('[class*="messageViewerBase__StyledMessageDiv"]')!.setAttribute('data-is-inbound', 'false');
    expect(front.extract(doc, OUTBOUND_URL).identity).toMatchObject({ email: 'ximena.brennan.11@zephyr.example', name: 'Ximena Brennan' });
  });

  it('says so when nothing shows which side is the team (it cannot tell, and the sidebar must not pretend)', () => {
    const doc = loadFixture('front/conversation-outbound.html');
    doc.querySelector('[data-testid="teammate-avatar"]')?.remove();
    expect(front.extract(doc, OUTBOUND_URL).identity?.note).toBe('the first message’s sender: Front did not show which side is your team');
  });

  it.each(cases)('end-to-end case $url', ({ url, fixture, expect: expected }) => {
    const page = new URL(url);
    expect(front.isRecordPage(page)).toBe(expected !== null);
    const { identity } = front.extract(loadFixture(`front/${fixture}`), page);
    if (expected === null) expect(identity).toBeNull();
    else expect(identity).toMatchObject(expected);
  });

  it('gives both URL forms of a conversation the same id', () => {
    const inbox = new URL('https://app.frontapp.com/inboxes/teams/views/15931074/open/117421069338');
    expect(front.extract(loadFixture('front/conversation.html'), inbox).identity?.hostRecordId).toBe('cnv_1hxxh0yi');
  });

  it('recognises conversation pages only', () => {
    const record = [
      'https://app.frontapp.com/open/cnv_abc123',
      'https://app.frontapp.com/open/cnv_ABC123/',
      'https://app.frontapp.com/inboxes/teammates/20999898/inbox/all/117421069338',
      'https://app.frontapp.com/inboxes/teams/views/15931074/open/7762260226',
      'https://app.frontapp.com/inboxes/shared/support/open/121516198',
      'https://app.frontapp.com/inboxes/teams/folders/4538263/unassigned/15402832843',
      'https://app.frontapp.com/inboxes/teams/1234/inbox/5678/cnv_abc123',
    ];
    const notRecord = [
      'https://app.frontapp.com/inboxes/teams/folders/4538263',
      'https://app.frontapp.com/inboxes/teams/folders/4538263/unassigned',
      'https://app.frontapp.com/inboxes/shared/intercom/open/latest',
      'https://app.frontapp.com/inboxes/teammates/20999898',
      'https://app.frontapp.com/inboxes/teams/4808209/search/workspace/ana%40example.com/0',
      'https://app.frontapp.com/inboxes/',
      'https://app.frontapp.com/settings/tim:123/preferences',
      'https://app.frontapp.com/contacts',
      'https://app.frontapp.com/open/cnv_abc123/extra',
    ];
    for (const href of record) expect(front.isRecordPage(new URL(href)), href).toBe(true);
    for (const href of notRecord) expect(front.isRecordPage(new URL(href)), href).toBe(false);
  });

  it('says what it could not find on a page not rendered yet', () => {
    expect(front.extract(htmlDocument('<div id="root"></div>'), OPEN_URL)).toEqual({
      identity: null,
      missing: ['conversation viewer'],
    });
    expect(front.extract(htmlDocument('<div id="root"><div data-testid="viewer-117421069338"></div></div>'), OPEN_URL)).toEqual({
      identity: null,
      missing: ['conversation contact'],
    });
    const nameOnly = htmlDocument(`<div data-testid="viewer-117421069338"><div class="messageViewerBase__StyledMessageDiv-sc-1">
      <div class="messageViewerRecipient__StyledDetailsWrapperDiv-sc-2"><div>Pablo Dimitrov</div></div></div></div>`);
    expect(front.extract(nameOnly, OPEN_URL)).toEqual({
      identity: {
        host: 'front',
        hostRecordId: 'cnv_1hxxh0yi',
        recordType: 'conversation',
        name: 'Pablo Dimitrov',
        note: 'the first message’s sender: Front did not show which side is your team',
      },
      missing: ['contact email'],
    });
  });

  it('returns an injection-looking name as plain text', () => {
    const doc = htmlDocument(`<div data-testid="viewer-117421069338"></div>
      <div data-testid="contact-details"><h2>&lt;img src=x onerror=alert(1)&gt;</h2>
      <a href="mailto:pablo.dimitrov.6@northwind.example">mail</a></div>`);
    const { identity } = front.extract(doc, OPEN_URL);
    expect(identity?.name).toBe('<img src=x onerror=alert(1)>');
    expect(doc.querySelector('img')).toBeNull();
  });

  it('watches the app root', () => {
    const doc = loadFixture('front/conversation.html');
    expect(front.watchRoot?.(doc, OPEN_URL)).toBe(doc.getElementById('root'));
  });

  it('matches every case URL with its match patterns', () => {
    const patterns = front.matches.map(matchPatternToRegExp);
    for (const { url } of cases) {
      const page = new URL(url);
      expect(patterns.some((p) => p.test(page.origin + page.pathname)), url).toBe(true);
    }
    expect(patterns.some((p) => p.test('https://app.frontapp.com.evil.example/open/cnv_1'))).toBe(false);
    expect(front.matches.every((p) => p.startsWith('https://'))).toBe(true);
  });

  it('keeps every selector and path pattern as plain data, and its cases agree', () => {
    expectSelectorsAsData(FRONT_SELECTORS, htmlDocument('<p></p>'));
    expectCasesAgree(front, cases);
  });
});
