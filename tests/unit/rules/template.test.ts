import { describe, expect, it } from 'vitest';
import {
  LinkSchema,
  SnippetSchema,
  TreatmentSchema,
  evaluateRules,
  firstNameOf,
  isSafeUrl,
  placeholdersIn,
  renderText,
  renderTreatment,
  renderUrl,
  responseTargetText,
  unknownPlaceholders,
  validateRule,
} from '../../../lib/rules';
import { makeRule, subject } from './helpers';

const ann = subject({
  email: 'ann+vip@acme.com',
  name: 'Ann Marie Lee',
  company: 'Acme & Sons',
  domain: 'acme.com',
  id: 'C-42/7',
  tier: 'Gold',
});

describe('links', () => {
  it('fills every placeholder, percent-encoding each value', () => {
    const url = renderUrl(
      'https://crm.example.com/find?e={{email}}&n={{name}}&f={{firstName}}&c={{company}}&d={{domain}}&id={{id}}&t={{tier}}',
      ann,
    );
    expect(url).toBe(
      'https://crm.example.com/find?e=ann%2Bvip%40acme.com&n=Ann%20Marie%20Lee&f=Ann&c=Acme%20%26%20Sons&d=acme.com&id=C-42%2F7&t=Gold',
    );
  });

  it('a value cannot add query parameters, a path or a fragment', () => {
    const url = renderUrl('https://crm.example.com/search?q={{company}}', subject({ company: 'x&admin=1#/../evil?' }));
    expect(url).toBe('https://crm.example.com/search?q=x%26admin%3D1%23%2F..%2Fevil%3F');
  });

  it('mailto: keeps "@" readable and encodes the rest', () => {
    expect(renderUrl('mailto:{{email}}?subject=Hello%20{{firstName}}', ann)).toBe('mailto:ann%2Bvip@acme.com?subject=Hello%20Ann');
  });

  it('missing values render as empty', () => {
    expect(renderUrl('https://crm.example.com/c/{{id}}?e={{email}}', subject())).toBe('https://crm.example.com/c/?e=');
  });

  it('drops links that are not http(s) or mailto, and links left without a host or address', () => {
    expect(renderUrl('javascript:alert(document.cookie)', ann)).toBeUndefined();
    expect(renderUrl('JavaScript:alert(1)', ann)).toBeUndefined();
    expect(renderUrl(' javascript:alert(1)', ann)).toBeUndefined();
    expect(renderUrl('data:text/html,<script>alert(1)</script>', ann)).toBeUndefined();
    expect(renderUrl('vbscript:msgbox(1)', ann)).toBeUndefined();
    expect(renderUrl('//evil.example.com', ann)).toBeUndefined();
    expect(renderUrl('{{domain}}', ann)).toBeUndefined();
    expect(renderUrl('https://{{domain}}/x', subject())).toBeUndefined();
    expect(renderUrl('mailto:{{email}}', subject())).toBeUndefined();
    expect(renderUrl('https://ok.example.com/\u0000', ann)).toBeUndefined();
    expect(renderUrl('https://{{domain}}/x', ann)).toBe('https://acme.com/x');
  });

  it('a value cannot turn a link into a javascript: URL', () => {
    const url = renderUrl('https://{{domain}}', subject({ domain: 'x/ javascript:alert(1)' }));
    expect(url).toBe('https://x%2F%20javascript%3Aalert(1)');
    expect(isSafeUrl('javascript:alert(1)')).toBe(false);
    expect(isSafeUrl('https://acme.com')).toBe(true);
    expect(isSafeUrl('mailto:ann@acme.com')).toBe(true);
  });
});

describe('snippets', () => {
  it('are plain text: values inserted as they are, no encoding and no markup handling', () => {
    expect(renderText('Hi {{firstName}} from {{company}} <{{email}}>', ann)).toBe('Hi Ann from Acme & Sons <ann+vip@acme.com>');
    expect(renderText('Hi {{ firstName }}', subject({ name: '<b>Bo</b> Lee' }))).toBe('Hi <b>Bo</b>');
  });

  it('missing values render as empty', () => {
    expect(renderText('Hi {{firstName}}, ({{tier}})', subject())).toBe('Hi , ()');
  });

  it('firstName: the first word, or the word after the comma in "Last, First"', () => {
    expect(firstNameOf('Ann Lee')).toBe('Ann');
    expect(firstNameOf('Lee, Ann Marie')).toBe('Ann');
    expect(firstNameOf('  Bo  ')).toBe('Bo');
    expect(firstNameOf(undefined)).toBe('');
  });
});

describe('placeholders', () => {
  it('lists the placeholders used and the unknown ones', () => {
    expect(placeholdersIn('{{email}} {{ name }} {{email}} {{nope}}')).toEqual(['email', 'name', 'nope']);
    expect(unknownPlaceholders('{{email}} {{Email}} {{first_name}}')).toEqual(['Email', 'first_name']);
  });

  it('an unknown placeholder is a validation error that lists the allowed ones', () => {
    const link = LinkSchema.safeParse({ label: 'CRM', url: 'https://crm.example.com/?q={{phone}}' });
    expect(link.success).toBe(false);
    expect(link.error?.issues[0]?.message).toBe(
      'Unknown placeholder {{phone}}; use {{email}}, {{name}}, {{firstName}}, {{company}}, {{domain}}, {{id}}, {{tier}}.',
    );
    const snippet = SnippetSchema.safeParse({ label: 'Hi', text: 'Hi {{first}} {{last}}' });
    expect(snippet.error?.issues[0]?.message).toMatch(/^Unknown placeholders \{\{first\}\}, \{\{last\}\}; use \{\{email\}\}/);
    expect(SnippetSchema.safeParse({ label: 'Hi', text: 'Hi {{firstName}}' }).success).toBe(true);
  });

  it('a link must start with https://, http:// or mailto: when it is validated', () => {
    for (const url of ['javascript:alert(1)', 'data:text/html,x', 'ftp://files.example.com', '{{domain}}', 'www.acme.com']) {
      expect(LinkSchema.safeParse({ label: 'x', url }).success, url).toBe(false);
    }
    const bad = makeRuleInput({ links: [{ label: 'x', url: 'javascript:alert(1)' }] });
    expect(validateRule(bad)).toEqual(['treatment.actions.links[0].url: Links must start with https://, http:// or mailto:.']);
  });
});

describe('rendered treatment', () => {
  it('renders links and snippets, drops unsafe links, de-duplicates tags and keeps priority and target', () => {
    const treatment = TreatmentSchema.parse({
      title: 'VIP',
      guidance: 'Be nice.',
      priority: 'high',
      responseTarget: { amount: 1, unit: 'hours' },
      actions: {
        links: [
          { label: 'Mail', url: 'mailto:{{email}}' },
          { label: 'CRM', url: 'https://{{domain}}/crm' },
        ],
        snippets: [{ label: 'Hi', text: 'Hi {{firstName}}' }],
        tags: ['vip', 'vip', 'gold'],
      },
      color: '#6d28d9',
    });
    const rendered = renderTreatment(treatment, subject({ email: 'bo@x.com', name: 'Bo' }));
    expect(rendered).toEqual({
      title: 'VIP',
      guidance: 'Be nice.',
      priority: 'high',
      responseTarget: { amount: 1, unit: 'hours' },
      color: '#6d28d9',
      actions: {
        links: [{ label: 'Mail', href: 'mailto:bo@x.com' }],
        snippets: [{ label: 'Hi', text: 'Hi Bo' }],
        tags: ['vip', 'gold'],
      },
    });
  });

  it('response targets in words', () => {
    expect(responseTargetText({ amount: 1, unit: 'hours' })).toBe('within 1 hour');
    expect(responseTargetText({ amount: 30, unit: 'minutes' })).toBe('within 30 minutes');
    expect(responseTargetText({ amount: 2, unit: 'days' })).toBe('within 2 days');
  });

  it('the engine renders the matching rule’s treatment for the customer', () => {
    const rule = makeRule('r', [], { treatment: { actions: { links: [{ label: 'CRM', url: 'https://crm.example.com/?q={{email}}' }], snippets: [], tags: [] } } });
    const rec = evaluateRules([rule], subject({ email: 'a b@x.com' }));
    expect(rec.rule?.treatment.actions.links).toEqual([{ label: 'CRM', href: 'https://crm.example.com/?q=a%20b%40x.com' }]);
  });
});

/** A rule as plain data with the given actions. */
function makeRuleInput(actions: { links?: unknown[]; snippets?: unknown[]; tags?: unknown[] }): unknown {
  return {
    id: 'r',
    name: 'R',
    enabled: true,
    order: 1,
    conditions: { kind: 'all', conditions: [] },
    treatment: { title: 'T', guidance: '', color: '#334155', actions: { links: [], snippets: [], tags: [], ...actions } },
  };
}
