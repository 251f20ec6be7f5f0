import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Window } from 'happy-dom';
import { afterEach, describe, expect, it } from 'vitest';
import { OUTLINE_LIMITS, outlinePage, type PageOutline } from '~/lib/sites/page-outline';

/**
 * The page report's outline (issue 17) on a page FULL of personal data: none of it may reach the
 * report — not a name, an email, a phone number, an address, nor a run of their digits — while the
 * structure a manager needs (tags, safe ids and test ids, class names, shadow roots) does.
 */
const FIXTURE = readFileSync(resolve(process.cwd(), 'tests/fixtures/page-report/unreadable-ticket.html'), 'utf8');
const URL_OF_PAGE = 'https://acme.freshdesk.com/a/tickets/4242';

/** Every piece of personal data of the fixture, as it is written there and as words. */
const PERSONAL = [
  'Ana', 'Lopez', 'López', 'García', 'Garcia', 'Goran', 'Abbott', 'Mary', "O'Neil", 'Neil', 'oneil', 'Zhang', 'Wei', 'Priya', 'Raman',
  'ana.lopez@willowlane.example', 'goran.abbott.1712@tidewater.example', 'zhang.wei@willowlane.example', 'willowlane', 'tidewater',
  'Amphitheatre', 'Parkway', 'Mountain View', 'goran-abbott.example',
];
/** Digit runs of the phone numbers, the address, the ids of the page: none may appear (digits become #). */
const DIGITS = ['4155550142', '415', '555', '0142', '0612345678', '1712', '1600', '94043', '4242', '78123', '7946', '0958', '138', '0013', '8000'];

type Closed = Map<Element, ShadowRoot>;

/** The fixture as Chromium builds it: declarative shadow roots attached, the typed value set. */
function page(html = FIXTURE, url = URL_OF_PAGE): { doc: Document; closed: Closed } {
  const win = new Window({ url });
  win.document.write(html);
  const doc = win.document as unknown as Document;
  const closed: Closed = new Map();
  for (const template of [...doc.querySelectorAll('template[shadowrootmode]')].reverse()) {
    const host = template.parentElement!;
    const mode = template.getAttribute('shadowrootmode') as 'open' | 'closed';
    const root = host.attachShadow({ mode });
    root.append((template as HTMLTemplateElement).content.cloneNode(true));
    template.remove();
    if (mode === 'closed') closed.set(host, root);
  }
  const typed = doc.getElementById('typed-phone') as HTMLInputElement | null;
  if (typed) typed.value = '+44 20 7946 0958 (Ana)';
  return { doc, closed };
}

/** Lets the outline read closed shadow roots as an extension can (chrome.dom.openOrClosedShadowRoot). */
function extensionReads(closed: Closed) {
  (globalThis as { chrome?: unknown }).chrome = { dom: { openOrClosedShadowRoot: (el: Element) => closed.get(el) ?? null } };
}
afterEach(() => {
  delete (globalThis as { chrome?: unknown }).chrome;
});

function everything(outline: PageOutline): string {
  return `${outline.path}\n${outline.text}`;
}

/** The report's words (what a reader could see), for whole-word checks of short names. */
const wordsOf = (text: string) => new Set(text.toLowerCase().split(/[^a-z0-9']+/).filter(Boolean));

describe('outlinePage on a page full of personal data', () => {
  const { doc, closed } = page();
  extensionReads(closed);
  const outline = outlinePage(OUTLINE_LIMITS, doc);
  const report = everything(outline);

  it('writes out no personal data: no name, email, phone number, address', () => {
    const lower = report.toLowerCase();
    const words = wordsOf(report);
    for (const item of PERSONAL) {
      const folded = item.toLowerCase();
      if (folded.length <= 4) expect(words.has(folded), item).toBe(false);
      else expect(lower.includes(folded), item).toBe(false);
    }
  });

  it('writes out no digit of the page: every run of digits is #', () => {
    for (const run of DIGITS) expect(report.includes(run), run).toBe(false);
    // Only the heading tags' digits remain (h1), and the outline's own counts ([+1 class], ×2).
    expect(report.replace(/\bh[1-6]\b/g, '').replace(/×\d+|\[\+\d+ class\]/g, '')).not.toMatch(/\d/);
  });

  it('writes out no text and no attribute value that is not a code word', () => {
    for (const text of ['Refund for order', 'Requester', 'Profile', 'Send', 'Dear', 'Signed in as', 'e.g.', 'late']) {
      expect(report.includes(text), text).toBe(false);
    }
    // Attributes whose values could be anything: their names only.
    for (const name of ['title', 'aria-label', 'alt', 'placeholder', 'value', 'srcdoc', 'data-name', 'data-email', 'data-phone', 'data-address']) {
      expect(report).toContain(`[${name}]`);
      expect(report).not.toMatch(new RegExp(`\\[${name}=`));
    }
  });

  it('keeps the structure: tags, safe ids, test ids and classes, shadow roots, frames', () => {
    expect(outline.path).toBe('/a/tickets/{id}');
    expect(report).toContain('main#ticket-workspace.ticket-view[data-test-id=ticket-workspace][data-ticket-id][role=main]');
    expect(report).toContain('h1.ticket-subject[data-test-id=ticket-subject] (text)');
    expect(report).toContain('div.field[data-test-id=requester-field]');
    expect(report).toContain('span.field-value[data-name][data-email][data-phone][title] (text)');
    expect(report).toContain('form.reply-form[data-garden-id=forms.form]');
    expect(report).toContain('input[type=email][name=requester_email][value][placeholder][data-garden-id=forms.input]');
    expect(report).toContain('mfe-application.mfe[app-id=fw-unified-mfe--contact-info]');
    expect(report).toMatch(/mfe-application[^\n]*\n\s+#shadow-root \(open\)\n\s+div\.contact-info\[data-test-id\]/);
    expect(report).toMatch(/secret-panel\.sealed\n\s+#shadow-root \(closed\)\n\s+p\[id\]\.sealed-note \(text\)/);
    expect(report).toContain('iframe.orders-frame[title][srcdoc] (frame: not read)');
    expect(report).toContain('li.message[data-test-id=message][type=end-user] ×2');
    expect(report).toContain('li.message[data-test-id=message][type=agent]');
    expect(outline.shadowRoots).toEqual({ open: 1, closed: 1 });
    expect(outline.frames).toBe(2);
    expect(outline.cut).toBeNull();
    // Head, scripts and comments are not outlined.
    expect(report).not.toMatch(/^\s*(head|script|title|meta)\b/m);
  });

  it('censors ids, classes and test ids that carry personal data, and says they were there', () => {
    expect(report).toContain('section[id].requester-card[+1 class][data-test-id][data-qa][aria-label]');
    expect(report).toContain('div[id].cc-list[data-testid]');
    expect(report).toContain('div[id].address-block[data-address] (text)');
    expect(report).toContain('span.cc.tel-# (text)');
    expect(report).toMatch(/^  body\.app-shell\[\+1 class\]$/m);
  });

  it('reduces links and sources to path patterns of the page’s origin, ids replaced', () => {
    // "ana-lopez" is a code-like segment, but two neighbouring words of the page's text: left out.
    expect(report).toContain('a.link[href=/a/people/*] (text)');
    expect(report).toContain('a.link[href=/users/{id}?…#…] (text)');
    expect(report).toContain('a.link[href=mailto:…] (text)');
    expect(report).toContain('a.link[href=tel:…] (text)');
    expect(report).toContain('a.link[href=https://…] (text)');
    expect(report).toContain('img.avatar[src=/avatars/{id}/*][alt]');
    expect(report).toContain('iframe.legacy-frame[src=/legacy/orders?…] (frame: not read)');
  });
});

describe('outlinePage limits and shapes', () => {
  it('writes identical neighbours once with ×N, and stops at its limits, saying so', () => {
    const rows = '<li class="row" data-testid="row"><span class="cell">x</span></li>'.repeat(40);
    const { doc } = page(`<html><body><ul class="list">${rows}</ul></body></html>`, 'https://acme.zendesk.com/agent/filters/360000001');
    const whole = outlinePage(OUTLINE_LIMITS, doc);
    expect(whole.path).toBe('/agent/filters/{id}');
    expect(whole.text).toBe('html\n  body\n    ul.list\n      li.row[data-testid=row] ×40\n        span.cell (text)\n');
    expect(whole.elements).toBe(83);

    const few = outlinePage({ ...OUTLINE_LIMITS, maxElements: 10 }, doc);
    expect(few.elements).toBe(10);
    expect(few.cut).toBe('stopped after 10 elements');

    const shallow = outlinePage({ ...OUTLINE_LIMITS, maxDepth: 2 }, doc);
    expect(shallow.text).toBe('html\n  body\n    ul.list\n      … (deeper levels left out)\n');

    const short = outlinePage({ ...OUTLINE_LIMITS, maxChars: 30 }, doc);
    expect(short.text).toBe('html\n  body\n    ul.list\n');
    expect(short.cut).toBe('cut at 30 characters');
  });

  it('drops name-like and long tokens, replaces digit runs, keeps code words', () => {
    const { doc } = page(
      `<html><body>
        <div id="ember1234" class="ember-view sc-bdVaJa"></div>
        <div class="user-Ana x-Smith MuiButton-root ${'a'.repeat(61)}"></div>
        <div id="Jean-Pierre" data-testid="row-Dupont"></div>
        <div class="José 名前 ana@x.example a/b"></div>
      </body></html>`,
      'https://example.my.salesforce.com/lightning/r/Contact/0035g00000ABCDeAAH/view',
    );
    const { text, path } = outlinePage(OUTLINE_LIMITS, doc);
    expect(path).toBe('/lightning/r/Contact/{id}/view');
    expect(text).toContain('div#ember#.ember-view.sc-bdVaJa');
    expect(text).toContain('div.MuiButton-root[+3 class]');
    expect(text).toContain('div[id][data-testid]');
    expect(text).toContain('div[+4 class]');
    for (const word of ['Ana', 'Smith', 'Jean', 'Pierre', 'Dupont', 'José', '名前', 'ana@x']) expect(text).not.toContain(word);
  });

  it('compares with what was typed into a field and with attribute values, though it never writes them out', () => {
    const { doc } = page(
      `<html><body><input id="search" class="search"><div class="zoe-quist-card card"></div>
        <div class="card vasquez-team" data-tooltip="Owner: Elena Vasquez Team"></div></body></html>`,
      'https://acme.zendesk.com/agent/tickets/9',
    );
    (doc.getElementById('search') as HTMLInputElement).value = 'Zoë Quist';
    const { text } = outlinePage(OUTLINE_LIMITS, doc);
    expect(text).toBe('html\n  body\n    input#search.search\n    div.card[+1 class]\n    div.card[+1 class][data-tooltip]\n');
  });

  it('reads the hash route of a single-page app as a pattern too, and leaves out the sidebar’s own elements', () => {
    const { doc } = page(
      '<html><body><div role="main"></div><centric-sidebar><aside class="centric">Ana</aside></centric-sidebar></body></html>',
      'https://mail.google.com/mail/u/0/#inbox/FMfcgzQXJkzqLwTmkPlKGzZ',
    );
    const outline = outlinePage(OUTLINE_LIMITS, doc);
    expect(outline.path).toBe('/mail/u/{id}/#inbox/{id}');
    expect(outline.text).toBe('html\n  body\n    div[role=main]\n');
  });
});
