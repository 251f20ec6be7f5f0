import { describe, expect, it } from 'vitest';
import {
  allSitePatterns,
  CUSTOM_SCRIPT_ID,
  customDomainsFrom,
  customSiteRegistration,
  isSiteEnabled,
  normalizeDomain,
  originsToRelease,
  registrationMatches,
  siteRegistrations,
  withCustomSites,
} from '~/lib/sites/enablement';
import { adapterFor, SITE_ADAPTERS } from '~/lib/sites/registry';
import { zendesk } from '~/lib/sites/hosts/zendesk/adapter';

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

  it('reads stored custom domains defensively', () => {
    expect(customDomainsFrom(undefined)).toEqual([]);
    expect(customDomainsFrom('nope')).toEqual([]);
    expect(customDomainsFrom([{ domain: 'a.example', adapterId: 'zendesk' }, { domain: 3 }, null, 'x'])).toEqual([
      { domain: 'a.example', adapterId: 'zendesk' },
    ]);
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

describe('custom sites: registration and permissions', () => {
  const acme = { matches: ['https://crm.acme.com/app/*', 'https://crm.acme.com/admin/*'] };
  const local = { matches: ['http://127.0.0.1/crm/*'] };
  const beta = { matches: ['https://*.beta.example/*'] };

  it('registers one script for the granted patterns of all rules', () => {
    expect(customSiteRegistration([], ['https://*/*'])).toBeNull();
    expect(customSiteRegistration([acme, local], [])).toBeNull();
    // Browsers grant hosts (the path is dropped): a host grant covers the rule's narrower patterns.
    expect(customSiteRegistration([acme, local, beta], ['https://crm.acme.com/*', 'http://127.0.0.1/*'])).toEqual({
      id: CUSTOM_SCRIPT_ID,
      js: ['content-scripts/custom.js'],
      matches: ['http://127.0.0.1/crm/*', 'https://crm.acme.com/admin/*', 'https://crm.acme.com/app/*'],
    });
    expect(customSiteRegistration([beta, { matches: ['https://crm.acme.com/app/*'] }, acme], ['https://*.beta.example/*', 'https://crm.acme.com/*'])?.matches).toEqual([
      'https://*.beta.example/*',
      'https://crm.acme.com/admin/*',
      'https://crm.acme.com/app/*',
    ]);
  });

  it('never registers a pattern that does not name a host, even if one was stored', () => {
    const broad = { matches: ['<all_urls>', '*://*/*', 'https://*/*', 'https://*/crm/*', 'not a pattern'] };
    expect(customSiteRegistration([broad], ['<all_urls>', 'https://*/*'])).toBeNull();
  });

  it('keeps the built-in registrations, and leaves the pages of a custom rule to the custom script (one sidebar per page)', () => {
    const granted = ['http://127.0.0.1/*', 'http://localhost/*', 'https://*.zendesk.com/*'];
    const builtIn = siteRegistrations(SITE_ADAPTERS, granted, []);
    expect(registrationMatches(SITE_ADAPTERS, granted, [])).toEqual(['http://127.0.0.1/*', 'http://localhost/*', 'https://*.zendesk.com/agent/*']);
    // No rule: the built-ins as before, with an empty exclusion (an update then clears an old one).
    expect(withCustomSites(builtIn, null)).toEqual(builtIn.map((r) => ({ ...r, excludeMatches: [] })));
    const all = withCustomSites(builtIn, customSiteRegistration([local], granted));
    expect(all.map((r) => [r.id, r.matches, r.excludeMatches])).toEqual([
      ['centric-demo', ['http://127.0.0.1/*', 'http://localhost/*'], ['http://127.0.0.1/crm/*']],
      ['centric-zendesk', ['https://*.zendesk.com/agent/*'], ['http://127.0.0.1/crm/*']],
      [CUSTOM_SCRIPT_ID, ['http://127.0.0.1/crm/*'], []],
    ]);
  });

  it('gives back only the host access nothing else needs when a rule is removed', () => {
    expect(originsToRelease(acme, [], [], [])).toEqual(acme.matches);
    // Another rule or a custom domain on the same host keeps it; so does a host the manifest requires.
    expect(originsToRelease(acme, [{ matches: ['https://crm.acme.com/reports/*'] }], [], [])).toEqual([]);
    expect(originsToRelease(acme, [], [{ domain: 'crm.acme.com', adapterId: 'zendesk' }], [])).toEqual([]);
    expect(originsToRelease(acme, [{ matches: ['https://*.acme.com/*'] }], [], [])).toEqual([]);
    expect(originsToRelease(local, [], [], ['http://127.0.0.1/*', 'http://localhost/*'])).toEqual([]);
    expect(originsToRelease(acme, [beta], [], ['http://127.0.0.1/*'])).toEqual(acme.matches);
  });
});
