// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import {
  compact,
  domainOfEmail,
  domainOfWebsite,
  emailFromMailto,
  emailInOwnText,
  emailOf,
  findEmail,
  firstMatch,
  firstVisible,
  isHidden,
  missingParts,
  personExtraction,
  recordExtraction,
  textOf,
  visibleAll,
} from '~/lib/sites/text';
import { htmlDocument } from '../../helpers/dom';

const byId = (doc: Document, id: string): Element => {
  const element = doc.getElementById(id);
  if (!element) throw new Error(`#${id} not in the document`);
  return element;
};

describe('page text', () => {
  it('textOf collapses whitespace and reports empty elements as undefined', () => {
    const doc = htmlDocument('<p id="a">  Ana \n  Li </p><p id="b">  </p>');
    expect(textOf(byId(doc, 'a'))).toBe('Ana Li');
    expect(textOf(byId(doc, 'b'))).toBeUndefined();
    expect(textOf(null)).toBeUndefined();
  });

  it('findEmail, emailFromMailto and domainOfEmail lower-case what they find', () => {
    expect(findEmail('Write to Ana.Li@Example.org today')).toBe('ana.li@example.org');
    expect(findEmail('no address')).toBeUndefined();
    expect(emailFromMailto('mailto:Ana.Li%40Example.org?subject=hi')).toBe('ana.li@example.org');
    expect(emailFromMailto('https://example.org')).toBeUndefined();
    expect(domainOfEmail('ana@Mail.Acme.example')).toBe('mail.acme.example');
    expect(domainOfEmail(undefined)).toBeUndefined();
  });

  it('emailOf reads a mailto href first, else the text', () => {
    const doc = htmlDocument(`<a id="mailto" href="mailto:Ana@Acme.example">Write to Ana</a>
      <a id="web" href="https://acme.example">bo@acme.example</a><span id="plain">Sam &lt;Sam@Acme.example&gt;</span><i id="none">x</i>`);
    expect(emailOf(byId(doc, 'mailto'))).toBe('ana@acme.example');
    expect(emailOf(byId(doc, 'web'))).toBe('bo@acme.example');
    expect(emailOf(byId(doc, 'plain'))).toBe('sam@acme.example');
    expect(emailOf(byId(doc, 'none'))).toBeUndefined();
    expect(emailOf(null)).toBeUndefined();
  });

  it('emailInOwnText reads one element at a time, never across neighbouring blocks', () => {
    const doc = htmlDocument(
      '<div id="tile"><a id="link" href="/x">Priya Lindqvist</a><div>Coordinator</div><div><span>Priya.L@Bluefin.example</span></div></div>',
    );
    const tile = byId(doc, 'tile');
    // textContent glues the blocks: findEmail over it returns a token that is not the address.
    expect(findEmail(tile.textContent)).toBe('lindqvistcoordinatorpriya.l@bluefin.example');
    expect(emailInOwnText(tile)).toBe('priya.l@bluefin.example');
    expect(emailInOwnText(byId(doc, 'link'))).toBeUndefined();
  });

  it('emailInOwnText skips the excepted element and what it holds', () => {
    const doc = htmlDocument('<div id="tile"><a id="link" href="/x"><b>sam@agent.example</b></a><p>ana@acme.example</p></div>');
    expect(emailInOwnText(byId(doc, 'tile'))).toBe('sam@agent.example');
    expect(emailInOwnText(byId(doc, 'tile'), byId(doc, 'link'))).toBe('ana@acme.example');
    expect(emailInOwnText(byId(doc, 'link'), byId(doc, 'link'))).toBeUndefined();
  });

  it('domainOfWebsite reduces a website to its bare lower-case domain', () => {
    expect(domainOfWebsite('https://www.Tidewater.example/about')).toBe('tidewater.example');
    expect(domainOfWebsite('WWW.Acme.example')).toBe('acme.example');
    expect(domainOfWebsite('acme.example:8080/x?y=1#z')).toBe('acme.example');
    expect(domainOfWebsite('  https://shop.acme.example  ')).toBe('shop.acme.example');
    expect(domainOfWebsite('acme.example (main site)')).toBe('acme.example');
    for (const notADomain of ['acme', 'www.acme', 'Acme Corp', '', '   ', null, undefined, 'http://']) {
      expect(domainOfWebsite(notADomain), String(notADomain)).toBeUndefined();
    }
  });
});

describe('visibility', () => {
  const doc = htmlDocument(`
    <section id="hidden" hidden><p class="x" id="in-hidden">1</p></section>
    <section aria-hidden="true"><p class="x" id="in-aria">2</p></section>
    <section aria-hidden="false"><p class="x" id="in-aria-false">3</p></section>
    <section style="DISPLAY : None"><p class="x" id="in-display">4</p></section>
    <section style="color: red; visibility:hidden"><p class="x" id="in-visibility">5</p></section>
    <section style="display: block"><p class="x" id="shown">6</p><p class="x" id="shown-2">7</p></section>`);

  it('isHidden sees the hidden attribute, aria-hidden and inline display / visibility, on the element or an ancestor', () => {
    for (const id of ['hidden', 'in-hidden', 'in-aria', 'in-display', 'in-visibility']) {
      expect(isHidden(byId(doc, id)), id).toBe(true);
    }
    for (const id of ['in-aria-false', 'shown']) expect(isHidden(byId(doc, id)), id).toBe(false);
  });

  it('visibleAll and firstVisible keep only the visible matches, in document order', () => {
    expect(visibleAll(doc, '.x').map((el) => el.id)).toEqual(['in-aria-false', 'shown', 'shown-2']);
    expect(firstVisible(doc, '.x')?.id).toBe('in-aria-false');
    expect(firstVisible(byId(doc, 'hidden'), '.x')).toBeNull();
    expect(visibleAll(doc, '.none')).toEqual([]);
  });

  it('firstMatch tries the selectors in order', () => {
    expect(firstMatch(doc, ['#nothing', '.x', '#shown'])?.id).toBe('in-hidden');
    expect(firstMatch(doc, ['#nothing'])).toBeNull();
    expect(firstMatch(doc, [])).toBeNull();
  });
});

describe('what adapters report', () => {
  const record = { host: 'acme', hostRecordId: '7', recordType: 'contact' };

  it('missingParts lists the parts not found, in order', () => {
    expect(missingParts({ 'contact email': false, 'contact name': true, 'contact company': false })).toEqual([
      'contact email',
      'contact company',
    ]);
    expect(missingParts({})).toEqual([]);
  });

  it('recordExtraction reports any part found, and null only when none is', () => {
    expect(recordExtraction(record, { company: 'Acme', domain: undefined }, { 'contact email': false })).toEqual({
      identity: { host: 'acme', hostRecordId: '7', recordType: 'contact', company: 'Acme' },
      missing: ['contact email'],
    });
    expect(recordExtraction(record, {}, { 'contact email': false, 'contact name': false })).toEqual({
      identity: null,
      missing: ['contact email', 'contact name'],
    });
  });

  it('personExtraction needs an email or a name, and takes the domain from the email', () => {
    expect(personExtraction(record, { email: 'ana@acme.example', company: 'Acme' }, 'customer')).toEqual({
      identity: { ...record, email: 'ana@acme.example', company: 'Acme', domain: 'acme.example' },
      missing: ['customer name'],
    });
    expect(personExtraction(record, { company: 'Acme' }, 'user')).toEqual({
      identity: null,
      missing: ['user email', 'user name'],
    });
  });

  it('keeps the identity fields in one order, and compact drops undefined ones', () => {
    const { identity } = personExtraction(record, { name: 'Ana', email: 'ana@acme.example' }, 'customer');
    expect(Object.keys(identity ?? {})).toEqual(['host', 'hostRecordId', 'recordType', 'email', 'name', 'domain']);
    expect(compact({ a: 1, b: undefined, c: null })).toEqual({ a: 1, c: null });
  });
});

describe('pathPattern and deepQuerySelectorAll', () => {
  it('compiles a path pattern once per source', async () => {
    const { pathPattern } = await import('../../../lib/sites/text');
    expect(pathPattern('^/a/(\\d+)$')).toBe(pathPattern('^/a/(\\d+)$'));
    expect(pathPattern('^/a/(\\d+)$').exec('/a/42')?.[1]).toBe('42');
  });

  it('finds matches inside nested open shadow roots, in document order', async () => {
    const { deepQuerySelectorAll } = await import('../../../lib/sites/text');
    document.body.innerHTML = '<div id="a" class="m"></div><span id="h"></span><div id="z" class="m"></div>';
    const shadow = document.getElementById('h')!.attachShadow({ mode: 'open' });
    shadow.innerHTML = '<p class="m" id="in"></p><i id="h2"></i>';
    const inner = shadow.getElementById('h2')!.attachShadow({ mode: 'open' });
    inner.innerHTML = '<b class="m" id="deep"></b>';
    const closed = document.getElementById('a')!.attachShadow({ mode: 'closed' });
    closed.innerHTML = '<b class="m" id="hidden-away"></b>';
    expect(deepQuerySelectorAll(document, '.m').map((e) => e.id)).toEqual(['a', 'z', 'in', 'deep']);
  });
});
