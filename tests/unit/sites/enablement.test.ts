import { describe, expect, it } from 'vitest';
import { allSitePatterns, isSiteEnabled, normalizeDomain, registrationMatches } from '~/lib/sites/enablement';
import { adapterFor, SITE_ADAPTERS } from '~/lib/sites/registry';
import { zendesk } from '~/lib/sites/zendesk';

describe('site enablement', () => {
  it('registers the sidebar only where access was granted', () => {
    expect(registrationMatches(SITE_ADAPTERS, ['http://127.0.0.1/*', 'http://localhost/*'], [])).toEqual([
      'http://127.0.0.1/*',
      'http://localhost/*',
    ]);
    // Browsers report host grants without paths; a grant covers the adapter's narrower pattern.
    expect(registrationMatches(SITE_ADAPTERS, ['http://127.0.0.1/*', 'http://localhost/*', 'https://*.zendesk.com/*'], [])).toContain(
      'https://*.zendesk.com/agent/*',
    );
  });

  it('adds a custom domain only once its own origin is granted', () => {
    const custom = [{ domain: 'support.acme.com', adapterId: 'zendesk' }];
    expect(registrationMatches(SITE_ADAPTERS, [], custom)).toEqual([]);
    expect(registrationMatches(SITE_ADAPTERS, ['https://support.acme.com/*'], custom)).toEqual(['https://support.acme.com/*']);
    expect(registrationMatches(SITE_ADAPTERS, ['https://support.acme.com/*'], [{ domain: 'support.acme.com', adapterId: 'nope' }])).toEqual([]);
    expect(adapterFor(new URL('https://support.acme.com/agent/tickets/5'), custom)?.id).toBe('zendesk');
    expect(adapterFor(new URL('https://other.acme.com/agent/tickets/5'), custom)).toBeUndefined();
  });

  it('says whether a site is on', () => {
    expect(isSiteEnabled(zendesk, [])).toBe(false);
    expect(isSiteEnabled(zendesk, ['https://*.zendesk.com/*'])).toBe(true);
    expect(isSiteEnabled(zendesk, ['https://*/*'])).toBe(true);
  });

  it('normalises the domains people type, and refuses what is not one', () => {
    expect(normalizeDomain(' https://Support.Acme.com/agent ')).toBe('support.acme.com');
    expect(normalizeDomain('help.example.co.uk:443')).toBe('help.example.co.uk');
    expect(() => normalizeDomain('not a domain')).toThrow(/is not a domain name/);
    expect(() => normalizeDomain('localhost')).toThrow(/is not a domain name/);
  });

  it('lists every built-in pattern once', () => {
    const patterns = allSitePatterns(SITE_ADAPTERS);
    expect(new Set(patterns).size).toBe(patterns.length);
    expect(patterns).toContain('https://*.zendesk.com/agent/*');
    expect(patterns).toContain('https://mail.google.com/mail/*');
  });
});
