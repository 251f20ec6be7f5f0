/**
 * Issue 16: a custom site's text pattern cannot freeze the agent's tab. readRuleInPage (the content
 * script's reader, and the very function the popup's preview injects) runs patterns on its own
 * linear-time matcher: each evil pattern below, from public ReDoS reports, runs on a long text that
 * makes a backtracking engine take exponential or polynomial time, and finishes within
 * 2 x (text length + 1) x (program size) steps, or is stopped at the step budget with a reason.
 * Useful patterns give exactly what the browser's RegExp gives; what the matcher does not run
 * (look-around, back-references, huge counts) is refused in words when the rule is saved.
 */
import { describe, expect, it } from 'vitest';
import { type CustomSiteRule, type FieldReading, readRuleInPage, textPatternProblem } from '~/lib/sites/custom';

const MAX_TEXT = 100_000;
const MAX_STEPS = 5_000_000;

/** A page whose text is `text` (what pageText reads: the body's innerText). */
const pageOf = (text: string) => ({ body: { innerText: text } }) as unknown as ParentNode;
const ruleWith = (pattern: string): CustomSiteRule => ({ id: 't', name: 't', matches: ['https://crm.example.com/*'], fields: { name: { pattern } } });

function readName(pattern: string, text: string) {
  const meter = { steps: 0, instructions: 0 };
  const reading = readRuleInPage(ruleWith(pattern), pageOf(text), 'https://crm.example.com/', meter).name;
  return { reading, meter };
}

/** What the browser's RegExp gives, as a FieldReading (only for texts where it is quick). */
function native(pattern: string, text: string): FieldReading {
  const match = new RegExp(pattern, 'i').exec(text.slice(0, MAX_TEXT));
  const value = match ? (match.length > 1 ? (match[1] ?? '') : match[0]).replace(/\s+/g, ' ').trim().slice(0, 1000) : '';
  return value ? { status: 'found', value, from: 'pattern' } : { status: 'pattern-nothing' };
}

/**
 * Known catastrophic patterns and the texts that trigger them (groups made non-capturing where a rule
 * allows one capture group only). Sources: OWASP "Regular expression
 * Denial of Service - ReDoS" (its evil regex list), the examples, Stack Overflow's 2016
 * outage (trailing whitespace), Cloudflare's 2019 outage, and the email/Java-class-name examples
 * that OWASP and the "ReDoS" papers (Davis et al. 2018) cite.
 */
const EVIL: { pattern: string; text: string; source: string }[] = [
  { pattern: '(a|a)*$', text: `${'a'.repeat(MAX_TEXT - 1)}!`, source: 'issue 16' },
  { pattern: '(a|ab)*c', text: 'ab'.repeat(MAX_TEXT / 2), source: 'issue 16' },
  { pattern: '(\\w|\\d)+$', text: `${'1'.repeat(MAX_TEXT - 1)}!`, source: 'issue 16' },
  { pattern: '(.*a){20}', text: 'a'.repeat(MAX_TEXT), source: 'issue 16 / OWASP (.*a){x} for x > 10' },
  { pattern: '(a+)+$', text: `${'a'.repeat(MAX_TEXT - 1)}!`, source: 'OWASP' },
  { pattern: '([a-zA-Z]+)*$', text: `${'a'.repeat(MAX_TEXT - 1)}!`, source: 'OWASP' },
  { pattern: '(a|aa)+$', text: `${'a'.repeat(MAX_TEXT - 1)}!`, source: 'OWASP' },
  { pattern: '(a|a?)+$', text: `${'a'.repeat(MAX_TEXT - 1)}!`, source: 'OWASP' },
  { pattern: '^(?:([a-z])+.)+[A-Z](?:[a-z])+$', text: `${'a'.repeat(MAX_TEXT - 1)}!`, source: 'OWASP (Java class name)' },
  {
    pattern: '^(?:[a-zA-Z0-9])(?:(?:[\\-.]|[_]+)?([a-zA-Z0-9]+))*(?:@){1}[a-z0-9]+[.]{1}(?:(?:[a-z]{2,3})|(?:[a-z]{2,3}[.]{1}[a-z]{2,3}))$',
    text: `${'a'.repeat(MAX_TEXT - 1)}!`,
    source: 'OWASP (email validation)',
  },
  { pattern: '^(\\w+\\s?)*$', text: `${'word '.repeat(MAX_TEXT / 5 - 1)}wor!`, source: 'OWASP / Davis et al.' },
  { pattern: '(x+x+)+y', text: 'x'.repeat(MAX_TEXT), source: 'Davis et al. (x+x+)+y' },
  { pattern: '\\s+$', text: `a${' '.repeat(MAX_TEXT - 2)}a`, source: 'Stack Overflow outage, 2016' },
  { pattern: '.*(?:.*=.*)', text: 'x'.repeat(MAX_TEXT), source: 'Cloudflare outage, 2019' },
  { pattern: '\\d+x', text: '1'.repeat(MAX_TEXT), source: 'quadratic: every start position scans the run' },
  { pattern: '(\\d+)*[a-z]', text: `${'1'.repeat(MAX_TEXT - 1)}!`, source: 'nested quantifier' },
];

describe('custom site patterns run in bounded steps (the content script’s and the preview’s reader)', () => {
  for (const { pattern, text, source } of EVIL) {
    it(`${pattern}  (${source}) on ${text.length.toLocaleString('en-US')} characters`, () => {
      expect(textPatternProblem(pattern)).toBeNull(); // accepted: it cannot hurt any more
      const { reading, meter } = readName(pattern, text);
      expect(meter.instructions).toBeGreaterThan(0);
      if (reading.status === 'invalid') {
        // Stopped at the budget, with the reason; never more than the budget plus one position's work.
        expect(reading.detail).toMatch(/took more than 5000000 steps on this page and was stopped/);
        expect(meter.steps).toBeLessThanOrEqual(MAX_STEPS + 2 * meter.instructions);
      } else {
        expect(['found', 'pattern-nothing']).toContain(reading.status);
        expect(meter.steps).toBeLessThanOrEqual(2 * (Math.min(text.length, MAX_TEXT) + 1) * meter.instructions);
        expect(meter.steps).toBeLessThanOrEqual(MAX_STEPS);
      }
    });
  }

  it('gives the browser’s answer on the evil patterns where backtracking is still quick (short texts)', () => {
    for (const { pattern, text } of EVIL) {
      const short = text.slice(0, 12) + text.slice(-1);
      expect(readName(pattern, short).reading, `${pattern} on ${JSON.stringify(short)}`).toEqual(native(pattern, short));
    }
  });

  it('the steps grow linearly with the text', () => {
    const small = readName('(a|a)*$', `${'a'.repeat(1000)}!`).meter;
    const large = readName('(a|a)*$', `${'a'.repeat(10_000)}!`).meter;
    expect(large.steps / small.steps).toBeGreaterThan(9);
    expect(large.steps / small.steps).toBeLessThan(11);
  });
});

describe('useful patterns match as the browser’s RegExp does', () => {
  const TEXT = [
    'Ticket #4521 — Customer: Ana-Lucía Pérez <ana.perez@example.com> (ref: C-1042)',
    'Signed in as kaia.zhou.10@silverline.example · Account ID: 99812 · Plan: Gold',
    'ORDER 7781-AB shipped 2024-03-05; phone +1 (555) 010-2288; total $1,249.50',
    'foo food xfoo foo\tbar\nline two: value=42; name="Q(a)b" [x] {y} a.b.c',
  ].join('\n');
  const USEFUL = [
    'Customer: (\\S+)',
    'Customer: ([^<]+?) <',
    '(?:ID|Ref)[: ]+(\\w+-?\\d+)',
    'Account ID: (\\d+)',
    '<([^>]+)>',
    '[\\w.+-]+@[\\w-]+(?:\\.[\\w-]+)+',
    'signed in as (\\S+@\\S+)',
    '\\bfoo\\b',
    '\\Bood',
    '^Ticket #(\\d+)',
    'two: (.*)$',
    '(\\d{4})-(?:\\d{2})-\\d{2}',
    '\\d{3}-\\d{4}',
    'x{2,3}',
    'plan: (gold|silver|bronze)',
    'PLAN: (GOLD)',
    '[^a-z ]+',
    '[A-Z]{5}',
    '(?:ab|a)(c|bcd)?',
    'a.*?b',
    'a.*b',
    '\\$([\\d,]+\\.\\d\\d)',
    '\\u0041ccount',
    '\\x41CCOUNT',
    '"([^"]*)"',
    '\\[(\\w)\\]',
    '\\{y\\}',
    'value=(\\d*)',
    '(?<id>C-\\d+)',
    'tab\\tbar|foo\\tbar',
    '[\\d-x]+',
    '[]a]',
    '[^]',
    'p(é|e)rez',
    '(a*)*b',
    '(|x)y',
    'zzz|',
    'shipped (\\S+?);',
    'PÉREZ',
    '\\cJline (\\w+)',
    '\\x41ccount \\u0049D: (\\d+)',
    '[\\b\\t]bar',
    '\\d\\x\\u',
    '\\0|two',
  ];
  for (const pattern of USEFUL) {
    it(pattern, () => {
      expect(textPatternProblem(pattern)).toBeNull();
      expect(readName(pattern, TEXT).reading).toEqual(native(pattern, TEXT));
    });
  }
});

describe('what the matcher does not run is refused in words when the rule is saved', () => {
  const REFUSED: [string, RegExp][] = [
    ['Customer(?= VIP)', /looks ahead or behind/],
    ['(?!x)y', /looks ahead or behind/],
    ['(?<=\\$)\\d+', /looks ahead or behind/],
    ['(?<!a)b', /looks ahead or behind/],
    ['(a)\\1', /refers back to a group/],
    ['(?<x>a)\\k<x>', /refers back to a group/],
    ['\\d{1,5000}', /repeats too much/],
    ['(?:a{100}){100}', /repeats too much/],
  ];
  for (const [pattern, reason] of REFUSED) {
    it(pattern, () => {
      expect(textPatternProblem(pattern)).toMatch(reason);
      // A stored rule is only shape-checked where it runs: there the reader says why, and runs nothing.
      const { reading } = readName(pattern, 'a'.repeat(1000));
      expect(reading.status).toBe('invalid');
    });
  }
});
