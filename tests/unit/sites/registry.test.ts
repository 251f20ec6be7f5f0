import { describe, expect, it } from 'vitest';
import { adapterFor, matchPatternToRegExp } from '~/lib/sites/registry';

describe('site registry', () => {
  it.each([
    ['https://acme.zendesk.com/agent/tickets/1', 'zendesk'],
    ['https://zendesk.com/agent/tickets/1', 'zendesk'],
    ['http://127.0.0.1:5178/tickets/1001', 'demo'],
    ['http://localhost/tickets', 'demo'],
    ['https://example.com/', undefined],
    ['https://zendesk.com.evil.example/agent/tickets/1', undefined],
    ['https://evilzendesk.com/agent/tickets/1', undefined],
  ])('%s -> %s', (href, id) => {
    expect(adapterFor(new URL(href))?.id).toBe(id);
  });

  it('rejects malformed patterns', () => {
    expect(() => matchPatternToRegExp('zendesk.com')).toThrow(/Invalid match pattern/);
  });
});
