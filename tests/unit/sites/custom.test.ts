// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import {
  adapterFromRule,
  canTeach,
  customRules,
  formForPage,
  formFromRule,
  isCustomSiteRuleShape,
  matchPatternProblem,
  previewRule,
  readRuleInPage,
  ruleForUrl,
  ruleFromForm,
  suggestedPattern,
  textPatternProblem,
  type CustomSiteRule,
} from '~/lib/sites/custom';
import { parseCustomSiteRule } from '~/lib/sites/custom-schema';
import { htmlDocument, loadFixture } from '../../helpers/dom';
import { CUSTOM_SITES } from '~/lib/settings/items';

const URL_42 = new URL('https://crm.acme.com/app/customers/10#overview');

/** The rule a manager would write for tests/fixtures/hosts/custom/crm-customer.html. */
const rule: CustomSiteRule = {
  id: 'acme-crm',
  name: 'Acme CRM',
  matches: ['https://crm.acme.com/app/*'],
  fields: {
    email: { selector: 'a.customer-email', attribute: 'href' },
    name: { selector: '.customer-name' },
    recordId: { selector: '.customer-ref', pattern: 'ref: (C-\\d+)' },
  },
};

function withRule(change: Partial<CustomSiteRule>): CustomSiteRule {
  return { ...rule, ...change };
}

describe('custom site rules: validation', () => {
  it('accepts a rule that names a host, and returns it unchanged', () => {
    const parsed = parseCustomSiteRule(rule);
    expect(parsed).toEqual({ ok: true, rule });
    expect(parseCustomSiteRule({ ...rule, recordIdFromUrl: '/customers/(\\d+)', matches: ['https://*.acme.com/*'] }).ok).toBe(true);
    // Plain http only for the local hosts (an app of one's own on 127.0.0.1 or localhost).
    expect(parseCustomSiteRule({ ...rule, matches: ['http://127.0.0.1/crm/*', 'http://localhost/*'] }).ok).toBe(true);
  });

  it('refuses patterns that do not name a host, with the reason in words', () => {
    for (const broad of ['<all_urls>', '*://*/*', 'https://*/*']) {
      expect(matchPatternProblem(broad)).toMatch(/every site: name the site's host/);
    }
    expect(matchPatternProblem('https://*.com/*')).toMatch(/not a host name/);
    expect(matchPatternProblem('http://crm.acme.com/*')).toMatch(/must start with https:\/\//);
    expect(matchPatternProblem('*://crm.acme.com/*')).toMatch(/must start with https:\/\//);
    expect(matchPatternProblem('https://crm.acme.com:8443/*')).toMatch(/leave out the port/);
    expect(matchPatternProblem('https://crm.acme.com')).toMatch(/needs a path/);
    expect(matchPatternProblem('crm.acme.com')).toMatch(/is not a URL pattern/);
    expect(matchPatternProblem('https://crm.acme.com/*')).toBeNull();
    const parsed = parseCustomSiteRule({ ...rule, matches: ['https://*/*'] });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.errors).toEqual([expect.stringMatching(/^URL pattern 1: "https:\/\/\*\/\*" would give Centric every site/)]);
    expect(parseCustomSiteRule({ ...rule, matches: [] })).toEqual({ ok: false, errors: ['URL patterns: needs at least one URL pattern'] });
  });

  it('checks text patterns: they compile, are short, capture at most once and use what the linear matcher runs', () => {
    expect(textPatternProblem('Customer: (\\S+)')).toBeNull();
    expect(textPatternProblem('(?:ID|Ref)[: ]+(\\d+)')).toBeNull();
    expect(textPatternProblem('[a-z(]+@x\\)')).toBeNull(); // brackets in a class and escaped do not count
    expect(textPatternProblem('(\\d+')).toMatch(/not a valid regular expression/);
    expect(textPatternProblem('a)|(b')).toMatch(/not a valid regular expression/);
    expect(textPatternProblem('x'.repeat(201))).toMatch(/longer than 200 characters/);
    expect(textPatternProblem('(\\w+) (\\w+)')).toMatch(/has 2 capture groups/);
    // Nested repetition cannot backtrack any more (tests/unit/sites/custom-redos.test.ts): accepted.
    expect(textPatternProblem('(a+)+b')).toBeNull();
    expect(textPatternProblem('(?:\\w+\\s?)*$')).toBeNull();
    expect(textPatternProblem('(?:(?:a|b)*c){2,}')).toBeNull();
    expect(textPatternProblem('ID(?=\\d)')).toMatch(/looks ahead or behind/);
    expect(textPatternProblem('(ab)+c')).toBeNull();
  });

  it('lists every problem of a rule, named for people', () => {
    const parsed = parseCustomSiteRule({
      id: 'Bad Id',
      name: ' ',
      matches: ['https://crm.acme.com/*'],
      fields: {
        email: { selector: 'a[href^=mailto', attribute: 'href' },
        name: { attribute: 'title' },
        recordId: { pattern: '(a)(b)' },
      },
      recordIdFromUrl: '(x)\\1',
    });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors).toEqual(
      expect.arrayContaining([
        'Id: must be 1–40 lower-case letters, digits or dashes',
        'Site name: is empty',
        'Email, CSS selector: is not a valid CSS selector',
        'Name: needs a CSS selector or a text pattern',
        'Name, attribute: needs a CSS selector to read it from',
        expect.stringMatching(/^Record id, text pattern: has 2 capture groups/),
        expect.stringMatching(/^Record id from the URL: refers back to a group/),
      ]),
    );
    expect(parseCustomSiteRule({ ...rule, extra: 1 }).ok).toBe(false);
  });
});

describe('custom site rules: reading a page', () => {
  const doc = loadFixture('custom/crm-customer.html');

  it('reads each field from the first visible match, as text', () => {
    const findings = previewRule(rule, doc, URL_42);
    // The hidden pane of an earlier tab comes first in the page and is skipped.
    expect(findings).toEqual({
      email: { found: true, value: 'kaia.zhou.10@silverline.example' },
      name: { found: true, value: 'Kaia Zhou' },
      recordId: { found: true, value: 'C-00010' },
      coversPage: true,
    });
  });

  it('runs a pattern on the page text when there is no selector, and takes the record id from the URL first', () => {
    const findings = previewRule(
      withRule({
        fields: { email: { pattern: 'signed in as (\\S+@\\S+)' }, recordId: { selector: '.customer-ref' } },
        recordIdFromUrl: '/customers/(\\d+)',
      }),
      doc,
      URL_42,
    );
    expect(findings.email).toEqual({ found: true, value: 'agent@acme-crm.example' });
    expect(findings.recordId).toEqual({ found: true, value: '10' });
    expect(findings.name).toEqual({ found: false, reason: 'no rule' });
    // The URL pattern matches nothing: the selector is tried next.
    const fallback = previewRule(withRule({ recordIdFromUrl: '/orders/(\\d+)', fields: { recordId: { selector: '.customer-ref' } } }), doc, URL_42);
    expect(fallback.recordId).toEqual({ found: true, value: 'Customer ref: C-00010' });
    expect(previewRule(withRule({ recordIdFromUrl: '#(\\w+)', fields: {} }), doc, URL_42).recordId).toEqual({ found: true, value: 'overview' });
  });

  it('says why a field found nothing', () => {
    const findings = previewRule(
      withRule({
        fields: {
          email: { selector: '.customer-name' },
          name: { selector: '.no-such-thing' },
          recordId: { selector: '.customer-ref', pattern: 'order (\\d+)' },
        },
      }),
      doc,
      URL_42,
    );
    expect(findings.email).toEqual({ found: false, reason: 'invalid email: "Kaia Zhou" is not an email address' });
    expect(findings.name).toEqual({ found: false, reason: 'the selector matched nothing' });
    expect(findings.recordId).toEqual({ found: false, reason: 'the pattern matched nothing' });
    const more = previewRule(
      withRule({
        fields: { name: { selector: '.pane[aria-hidden="true"] .customer-name' }, email: { selector: '.customer-name', attribute: 'data-x' } },
        recordIdFromUrl: '/orders/(\\d+)',
      }),
      doc,
      new URL('https://elsewhere.example/x'),
    );
    expect(more.name).toEqual({ found: false, reason: 'the selector matched only hidden elements' });
    expect(more.email).toEqual({ found: false, reason: 'the element has no "data-x" attribute' });
    expect(more.recordId).toEqual({ found: false, reason: 'the URL pattern matched nothing' });
    expect(more.coversPage).toBe(false);
  });

  it('treats page data as text: markup in the page is never interpreted', () => {
    const findings = previewRule(withRule({ fields: { name: { selector: '.note' } } }), doc, URL_42);
    expect(findings.name).toEqual({ found: true, value: '<img src=x onerror="window.hacked=1"> left a note' });
    expect((globalThis as { hacked?: number }).hacked).toBeUndefined();
  });

  it('runs patterns on at most 100,000 characters of text', () => {
    const page = htmlDocument(`<body><p>${'x'.repeat(100_000)} Customer: late</p></body>`);
    const late = withRule({ fields: { name: { pattern: 'Customer: (\\w+)' } } });
    expect(previewRule(late, page, URL_42).name).toEqual({ found: false, reason: 'the pattern matched nothing' });
    const early = htmlDocument(`<body><p>Customer: early ${'x'.repeat(200_000)}</p></body>`);
    expect(previewRule(late, early, URL_42).name).toEqual({ found: true, value: 'early' });
  });

  it('is self-contained, so the popup can inject it with scripting.executeScript', () => {
    // Rebuilt from its source text, it sees none of this module: only its arguments and the page's globals.
    const injected = new Function(`return (${readRuleInPage.toString()})`)() as typeof readRuleInPage;
    document.body.innerHTML = doc.body.innerHTML;
    document.head.innerHTML = doc.head.innerHTML;
    expect(injected(rule)).toEqual(readRuleInPage(rule, document, location.href));
    expect(injected(rule).name).toEqual({ status: 'found', value: 'Kaia Zhou', from: 'selector' });
    document.head.innerHTML = '';
    document.body.innerHTML = '';
  });
});

describe('custom site adapter', () => {
  const adapter = adapterFromRule(rule);
  const doc = loadFixture('custom/crm-customer.html');

  it('reads the customer with the rule, as a site adapter', () => {
    expect(adapter.id).toBe('custom:acme-crm');
    expect(adapter.name).toBe('Acme CRM');
    expect(adapter.matches).toEqual(['https://crm.acme.com/app/*']);
    expect(adapter.isRecordPage(URL_42)).toBe(true);
    expect(adapter.isRecordPage(new URL('https://crm.acme.com/login'))).toBe(false);
    expect(adapter.extract(doc, URL_42)).toEqual({
      identity: {
        host: 'custom:acme-crm',
        email: 'kaia.zhou.10@silverline.example',
        name: 'Kaia Zhou',
        hostRecordId: 'C-00010',
        domain: 'silverline.example',
      },
      missing: [],
    });
  });

  it('lists what the rule did not find, and has no identity when it found nothing', () => {
    const partial = adapterFromRule(withRule({ fields: { ...rule.fields, email: { selector: '.customer-name' } } }));
    expect(partial.extract(doc, URL_42)).toEqual({
      identity: { host: 'custom:acme-crm', name: 'Kaia Zhou', hostRecordId: 'C-00010' },
      missing: ['email (invalid email: "Kaia Zhou" is not an email address)'],
    });
    const empty = htmlDocument('<body><p>Loading…</p></body>');
    expect(adapter.extract(empty, URL_42)).toEqual({
      identity: null,
      missing: ['email (the selector matched nothing)', 'name (the selector matched nothing)', 'record id (the selector matched nothing)'],
    });
  });
});

describe('stored rules (light checks, no zod)', () => {
  it('keeps only well-shaped rules and finds the one for a URL', () => {
    expect(CUSTOM_SITES.key).toBe('customSites');
    const other: CustomSiteRule = { id: 'other', name: 'Other', matches: ['https://other.example/*'], fields: {} };
    const stored = [rule, { id: 1 }, null, { ...rule, fields: { email: { pattern: 'x'.repeat(201) } } }, other];
    expect(customRules(stored)).toEqual([rule, other]);
    expect(customRules('nope')).toEqual([]);
    expect(isCustomSiteRuleShape({ ...rule, matches: [1] })).toBe(false);
    expect(ruleForUrl(customRules(stored), URL_42)?.id).toBe('acme-crm');
    expect(ruleForUrl(customRules(stored), new URL('https://other.example/a'))?.id).toBe('other');
    expect(ruleForUrl(customRules(stored), new URL('https://crm.acme.com/login'))).toBeUndefined();
    expect(ruleForUrl([{ ...other, matches: ['not a pattern'] }], URL_42)).toBeUndefined();
  });
});

describe("the popup's editor helpers", () => {
  it('prefills the pattern from the page: https://<host>/*, or the first path segment on the local hosts', () => {
    expect(suggestedPattern(new URL('https://crm.acme.com/app/customers/10'))).toBe('https://crm.acme.com/*');
    expect(suggestedPattern(new URL('http://127.0.0.1:8080/crm/customers/10'))).toBe('http://127.0.0.1/crm/*');
    expect(suggestedPattern(new URL('http://localhost/'))).toBe('http://localhost/*');
    expect(canTeach(new URL('https://crm.acme.com/'))).toBe(true);
    expect(canTeach(new URL('http://crm.acme.com/'))).toBe(false);
    expect(canTeach(new URL('http://localhost:3000/'))).toBe(true);
    expect(canTeach(new URL('chrome://extensions/'))).toBe(false);
  });

  it('turns the form into a rule (empty inputs left out) and back', () => {
    const form = formForPage(new URL('https://crm.acme.com/app/customers/10'));
    expect(form).toMatchObject({ id: 'crm-acme-com', name: 'crm.acme.com', matches: 'https://crm.acme.com/*' });
    form.fields.email.selector = '  a.customer-email ';
    form.fields.email.attribute = 'href';
    form.recordIdFromUrl = '/customers/(\\d+)';
    const parsed = parseCustomSiteRule(ruleFromForm(form));
    expect(parsed).toEqual({
      ok: true,
      rule: {
        id: 'crm-acme-com',
        name: 'crm.acme.com',
        matches: ['https://crm.acme.com/*'],
        fields: { email: { selector: 'a.customer-email', attribute: 'href' } },
        recordIdFromUrl: '/customers/(\\d+)',
      },
    });
    if (parsed.ok) expect(ruleFromForm(formFromRule(parsed.rule))).toEqual(parsed.rule);
  });
});
