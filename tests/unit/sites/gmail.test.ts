// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { gmail } from '~/lib/sites/gmail';
import { matchPatternToRegExp } from '~/lib/sites/registry';
import { htmlDocument, loadFixture } from '../../helpers/dom';
import { loadCases } from '../../helpers/sites';

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

  it('skips the account owner: the first message from someone else is the customer', () => {
    const doc = threadPage([
      ['support@shop.example', 'Support Team'],
      ['Tara.Ivanova.4@harborpine.example', 'Tara Ivanova'],
    ]);
    expect(gmail.extract(doc, THREAD_URL).identity).toMatchObject({
      email: 'tara.ivanova.4@harborpine.example',
      name: 'Tara Ivanova',
    });
  });

  it('knows the owner from the account button even without a title', () => {
    const doc = threadPage(
      [
        ['owner@shop.example', 'Owner'],
        ['hana.torres.8@harborpine.example', 'Hana Torres'],
      ],
      '<a href="https://accounts.google.com/SignOutOptions?hl=en" aria-label="Google Account: Owner (owner@shop.example)">x</a>',
    );
    expect(gmail.extract(doc, THREAD_URL).identity?.email).toBe('hana.torres.8@harborpine.example');
  });

  it('falls back to the recipient on a thread the owner started and nobody answered', () => {
    const doc = threadPage([['support@shop.example', 'Support Team']]);
    expect(gmail.extract(doc, THREAD_URL).identity).toMatchObject({
      email: 'kaia.zhou.10@silverline.example',
      name: 'Kaia Zhou',
    });
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
});
