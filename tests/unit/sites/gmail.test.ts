// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { GMAIL_SELECTORS, gmail } from '~/lib/sites/hosts/gmail/adapter';
import { matchPatternToRegExp } from '~/lib/sites/registry';
import { htmlDocument, loadFixture } from '../../helpers/dom';
import { expectSelectorsAsData } from '../../helpers/selectors';
import { expectCasesAgree, loadCases } from '../../helpers/sites';

const cases = loadCases('gmail');

const THREAD_URL = new URL('https://mail.google.com/mail/u/0/#inbox/FMfcgzQXJWbvKqRtLmNpZsDfGhBcVxTw');

/** A visible thread view holding these messages, each [sender email, sender name]. */
function threadPage(messages: [string, string][], extra = ''): Document {
  const rows = messages
    .map(
      ([email, name], i) => `<div role="listitem"><div class="h7"><div class="adn ads" data-message-id="#msg-f:${i}">
        <table class="cf gJ"><tbody><tr class="acZ"><td class="gF gK"><h3 class="iw"><span class="qu">
        <span class="gD" email="${email}" name="${name}"><span>${name}</span></span></span></h3></td></tr>
        <tr class="acZ xD"><td><div class="iw ajw"><span class="hb">to <span class="g2" email="kaia.zhou.10@silverline.example" name="Kaia Zhou">Kaia</span></span></div></td></tr>
        </tbody></table></div></div></div>`,
    )
    .join('');
  return htmlDocument(`<title>Hello - support@shop.example - Gmail</title>${extra}
    <div class="aeF"><div class="nH"><div class="nH"><div class="nH" role="main"><div class="a98 iY">
    <div class="nH"><div class="ha"><h2 class="hP" data-legacy-thread-id="18c9e2a4b7f3d150">Hello</h2></div></div>
    <div role="list">${rows}</div></div></div></div></div></div>`);
}

describe('Gmail adapter', () => {
  it('reads the sender of the visible thread, not of the hidden thread or the hidden inbox list', () => {
    const { identity, missing } = gmail.extract(loadFixture('gmail/thread.html'), THREAD_URL);
    expect(identity).toEqual({
      host: 'gmail',
      hostRecordId: 'FMfcgzQXJWbvKqRtLmNpZsDfGhBcVxTw',
      recordType: 'thread',
      email: 'kaia.zhou.10@silverline.example',
      name: 'Kaia Zhou',
      domain: 'silverline.example',
    });
    expect(missing).toEqual([]);
  });

  it.each(cases)('end-to-end case $url', ({ url, fixture, expect: expected }) => {
    const page = new URL(url);
    expect(gmail.isRecordPage(page)).toBe(expected !== null);
    const { identity } = gmail.extract(loadFixture(`gmail/${fixture}`), page);
    if (expected === null) expect(identity).toBeNull();
    else expect(identity).toMatchObject(expected);
  });

  it('finds no thread on the real 2014 inbox capture, whose rows carry senders', () => {
    const inbox = loadFixture('gmail/inbox.html');
    expect(inbox.querySelectorAll('span.zF[email], span.yP[email]').length).toBeGreaterThan(10);
    // Even with a thread id in the hash, a list with no open thread yields nobody.
    expect(gmail.extract(inbox, THREAD_URL)).toEqual({ identity: null, missing: ['open thread'] });
  });

  it('an outbound thread: the customer is the first recipient of the account’s first message, not a colleague who answered', () => {
    const doc = loadFixture('gmail/thread-outbound.html');
    const url = new URL('https://mail.google.com/mail/u/0/#sent/18d0a1b2c3d4e5f6');
    expect(gmail.extract(doc, url)).toEqual({
      identity: {
        host: 'gmail',
        hostRecordId: '18d0a1b2c3d4e5f6',
        recordType: 'thread',
        email: 'tara.ivanova.4@harborpine.example',
        name: 'Tara Ivanova',
        domain: 'harborpine.example',
        note: 'the first recipient of the thread’s first message, which your side sent; 1 other person in the thread',
      },
      missing: [],
    });
  });

  it('counts the account’s colleagues (its company domain) as the account’s side, but not people on public mail services', () => {
    const doc = threadPage([
      ['jordan@shop.example', 'Jordan Lee'],
      ['hana.torres.8@harborpine.example', 'Hana Torres'],
    ]);
    // jordan@ shares the account's domain (support@shop.example): the customer is the recipient.
    expect(gmail.extract(doc, THREAD_URL).identity).toMatchObject({ email: 'kaia.zhou.10@silverline.example' });
    const personal = threadPage([['friend@gmail.com', 'A Friend']], '').documentElement.outerHTML.replace(/support@shop\.example/g, 'owner@gmail.com');
    expect(gmail.extract(htmlDocument(personal), THREAD_URL).identity).toMatchObject({ email: 'friend@gmail.com' });
  });

  it('with the reading pane on and a German UI, reads the previewed thread, not the list beside it', () => {
    const doc = loadFixture('gmail/thread-reading-pane-de.html');
    // Sanity: the list's rows are visible in the same main region.
    expect(doc.querySelectorAll('[role="main"] tr.zA span[email]').length).toBeGreaterThan(1);
    const url = new URL('https://mail.google.com/mail/u/0/#inbox/FMfcgzQXKbQwRtYuIoPlMnBvCxZaSdFg');
    expect(gmail.extract(doc, url)).toEqual({
      identity: {
        host: 'gmail',
        hostRecordId: 'FMfcgzQXKbQwRtYuIoPlMnBvCxZaSdFg',
        recordType: 'thread',
        email: 'bruno.larsen.15@silverline.example',
        name: 'Bruno Larsen',
        domain: 'silverline.example',
        note: 'the sender of the thread’s first message; 1 other person in the thread',
      },
      missing: [],
    });
  });

  it('knows the account from the account button in any language, without a title', () => {
    const doc = threadPage(
      [['owner@shop.example', 'Owner']],
      '<a href="https://accounts.google.com/SignOutOptions?hl=ja" aria-label="Google アカウント: Owner (owner@shop.example)">x</a>',
    );
    doc.querySelector('title')!.textContent = 'Gmail';
    // The account wrote first: its recipient is the customer (the button said who the account is).
    expect(gmail.extract(doc, THREAD_URL).identity?.email).toBe('kaia.zhou.10@silverline.example');
    doc.querySelector('a[aria-label]')!.remove();
    expect(gmail.extract(doc, THREAD_URL).identity?.email).toBe('owner@shop.example');
  });

  it('a note to self: nobody outside the account, said in words', () => {
    const doc = htmlDocument(`<title>x - support@shop.example - Gmail</title><div role="main"><div class="a98 iY">
      <h2 class="hP">Memo</h2><div data-message-id="#msg-f:1"><h3 class="iw"><span class="gD" email="support@shop.example" name="Support"></span></h3>
      <span class="hb"><span class="g2" email="support@shop.example" name="me">me</span></span></div></div></div>`);
    expect(gmail.extract(doc, THREAD_URL)).toEqual({ identity: null, missing: ['sender other than the account owner'] });
  });

  it('prefers the thread whose legacy id is in the hash when several are visible', () => {
    const doc = htmlDocument(`<div role="main"><h2 class="hP" data-legacy-thread-id="aaaaaaaaaaaaaaaa">A</h2>
      <span class="gD" email="luca.tanaka.2@harborpine.example" name="Luca Tanaka"></span></div>
      <div role="main"><h2 class="hP" data-legacy-thread-id="18c9e2a4b7f3d150">B</h2>
      <span class="gD" email="uma.brennan.9@northwind.example" name="Uma Brennan"></span></div>`);
    const url = new URL('https://mail.google.com/mail/u/0/#inbox/18c9e2a4b7f3d150');
    expect(gmail.extract(doc, url).identity?.email).toBe('uma.brennan.9@northwind.example');
  });

  it('recognises thread pages only', () => {
    const record = [
      'https://mail.google.com/mail/u/0/#inbox/FMfcgzQXJWbvKqRtLmNpZsDfGhBcVxTw',
      'https://mail.google.com/mail/#sent/18c9e2a4b7f3d150',
      'https://mail.google.com/mail/u/2/#label/Customers/18c9e2a4b7f3d150',
      'https://mail.google.com/mail/u/0/#search/from%3Akaia/FMfcgzQXJWbvKqRtLmNpZsDfGhBcVxTw',
      'https://mail.google.com/mail/u/0/#category/social/FMfcgzQXJWbvKqRtLmNpZsDfGhBcVxTw',
      'https://mail.google.com/mail/u/0/#inbox/FMfcgzQXJWbvKqRtLmNpZsDfGhBcVxTw?compose=new',
    ];
    const notRecord = [
      'https://mail.google.com/mail/u/0/#inbox',
      'https://mail.google.com/mail/u/0/',
      'https://mail.google.com/mail/u/0/#inbox/p2',
      'https://mail.google.com/mail/u/0/#label/SomeVeryLongLabelName123',
      'https://mail.google.com/mail/u/0/#search/averyveryverylongsearchword',
      'https://mail.google.com/mail/u/0/#settings/general',
      'https://mail.google.com/mail/u/0/#inbox?compose=new',
      'https://mail.google.com/chat/u/0/#inbox/FMfcgzQXJWbvKqRtLmNpZsDfGhBcVxTw',
    ];
    for (const href of record) expect(gmail.isRecordPage(new URL(href)), href).toBe(true);
    for (const href of notRecord) expect(gmail.isRecordPage(new URL(href)), href).toBe(false);
  });

  it('says what it could not find on a page not rendered yet', () => {
    expect(gmail.extract(htmlDocument('<div class="aeF"><div class="nH"></div></div>'), THREAD_URL)).toEqual({
      identity: null,
      missing: ['open thread'],
    });
    expect(gmail.extract(htmlDocument('<div role="main"><h2 class="hP">Loading</h2></div>'), THREAD_URL)).toEqual({
      identity: null,
      missing: ['thread sender'],
    });
    expect(gmail.extract(htmlDocument(''), new URL('https://mail.google.com/mail/u/0/#inbox')).missing).toEqual([
      'thread id in the URL',
    ]);
  });

  it('returns an injection-looking name as plain text', () => {
    // Escaped in the markup, as Gmail renders it: the name is text, never an element.
    const doc = threadPage([['carmen.vasquez.1@harborpine.example', '&lt;img src=x onerror=alert(1)&gt;']]);
    const { identity } = gmail.extract(doc, THREAD_URL);
    expect(identity?.name).toBe('<img src=x onerror=alert(1)>');
    expect(doc.querySelector('img')).toBeNull();
  });

  it('watches the main content container', () => {
    const doc = loadFixture('gmail/thread.html');
    expect(gmail.watchRoot?.(doc, THREAD_URL)).toBe(doc.querySelector('div.aeF > div.nH'));
  });

  it('matches every case URL with its match patterns', () => {
    const patterns = gmail.matches.map(matchPatternToRegExp);
    for (const { url } of cases) {
      const page = new URL(url);
      expect(patterns.some((p) => p.test(page.origin + page.pathname)), url).toBe(true);
      expect(patterns.some((p) => p.test(page.href)), url).toBe(true);
    }
    expect(patterns.some((p) => p.test('https://mail.google.com.evil.example/mail/u/0/'))).toBe(false);
    expect(gmail.matches.every((p) => p.startsWith('https://'))).toBe(true);
  });

  it('keeps every selector and path pattern as plain data, and its cases agree', () => {
    expectSelectorsAsData(GMAIL_SELECTORS, htmlDocument('<p></p>'));
    expectCasesAgree(gmail, cases);
  });
});
