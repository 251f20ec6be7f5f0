/**
 * Site definitions in the background (issue 17): the team policy's definitions, then the file at the
 * address the team chose, then the bundled ones; a file is used all or nothing, the last good copy
 * stays while a newer one is broken, and nothing is stored (or scheduled) while nothing is configured.
 */
import { fakeBrowser } from 'wxt/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { refreshSiteDefinitions, SITE_DEFINITIONS_ALARM } from '~/lib/background/site-definitions-sync';
import { readDefinitionsStatus, readKeptFile } from '~/lib/sites/definitions';
import type { FetchDeps, ResponseLike } from '~/lib/sources/fetch-policy';
import { SITE_DEFINITIONS_FILE, SITE_DEFINITIONS_STATUS, SITE_DEFINITIONS_URL, SITE_OVERRIDES } from '~/lib/settings/items';

const URL_ = 'https://files.example.com/centric-sites.json';
const res = (status: number, body: string, headers: Record<string, string> = {}): ResponseLike => ({ status, headers: new Headers(headers), text: async () => body });

/** The network: answers in order, recording each request; `allowed` says whether Centric may contact the origin. */
function network(answers: ResponseLike[], allowed = true) {
  const calls: { url: string; headers: Record<string, string> }[] = [];
  const deps: FetchDeps = {
    fetch: async (url, init) => {
      calls.push({ url, headers: init.headers });
      const next = answers.shift();
      if (!next) throw new Error('unexpected request');
      return next;
    },
    now: () => 1_700_000_000_000,
    sleep: async () => {},
    random: () => 0.5,
    timeout: () => new AbortController().signal,
    hasPermission: async () => allowed,
  };
  return { deps, calls, answers };
}

const file = (sites: Record<string, unknown>) => JSON.stringify({ format: 1, sites });
const zendeskOverride = (selectors: Record<string, unknown>, version = 1) => ({ zendesk: { version, selectors } });

async function stored() {
  const all = await fakeBrowser.storage.local.get(null);
  return {
    overrides: all[SITE_OVERRIDES.key] as Record<string, { version: number; selectors: Record<string, unknown> }> | undefined,
    status: readDefinitionsStatus(all[SITE_DEFINITIONS_STATUS.key]),
    kept: readKeptFile(all[SITE_DEFINITIONS_FILE.key]),
    keys: Object.keys(all).sort(),
  };
}

afterEach(() => fakeBrowser.reset());

describe('the site definitions in the background', () => {
  it('stores nothing and schedules nothing while neither a policy nor an address asks for overrides', async () => {
    const { deps, calls } = network([]);
    expect(await refreshSiteDefinitions('now', deps)).toEqual({ ok: true, message: 'No definitions file address is set.' });
    expect((await stored()).keys).toEqual([]);
    expect(await fakeBrowser.alarms.getAll()).toEqual([]);
    expect(calls).toEqual([]);
  });

  it('downloads the file at the address, stores its overrides and status, and checks hourly', async () => {
    await fakeBrowser.storage.local.set({ [SITE_DEFINITIONS_URL.key]: URL_ });
    const { deps, calls } = network([res(200, file(zendeskOverride({ workspace: '[data-test-id="ticket-pane"]' })), { etag: '"v1"', 'content-type': 'application/json' })]);
    expect(await refreshSiteDefinitions('now', deps)).toEqual({ ok: true, message: 'Downloaded the definitions file: overrides for zendesk.' });
    const { overrides, status, kept } = await stored();
    expect(overrides).toEqual(zendeskOverride({ workspace: '[data-test-id="ticket-pane"]' }));
    expect(kept).toEqual({ url: URL_, sites: zendeskOverride({ workspace: '[data-test-id="ticket-pane"]' }), fetchedAt: 1_700_000_000_000, etag: '"v1"' });
    expect(status).toMatchObject({ url: URL_, urlFrom: 'options', outcome: 'changed', fetchedAt: 1_700_000_000_000, problems: [], policyProblems: [] });
    expect(status?.hosts.zendesk).toEqual({ source: 'url', version: 1, bundledVersion: 1, notes: [] });
    expect(status?.hosts.hubspot).toEqual({ source: 'bundled', version: 1, bundledVersion: 1, notes: [] });
    expect(calls).toHaveLength(1);
    expect(calls[0]!.headers).toEqual({ Accept: 'application/json' });
    expect((await fakeBrowser.alarms.get(SITE_DEFINITIONS_ALARM))?.periodInMinutes).toBe(60);

    // Not downloaded again before it is due; asked "only if changed" when it is.
    expect((await refreshSiteDefinitions('if-due', deps)).message).toBe('The definitions file was checked recently.');
    expect(calls).toHaveLength(1);
    const again = network([res(304, '')]);
    expect(await refreshSiteDefinitions('now', again.deps)).toEqual({ ok: true, message: 'The definitions file has not changed since the last check.' });
    expect(again.calls[0]!.headers['If-None-Match']).toBe('"v1"');
    expect((await stored()).overrides).toEqual(zendeskOverride({ workspace: '[data-test-id="ticket-pane"]' }));
  });

  it('all or nothing: a broken file keeps the last good copy, says why by site and key, and a good one replaces it', async () => {
    await fakeBrowser.storage.local.set({ [SITE_DEFINITIONS_URL.key]: URL_ });
    await refreshSiteDefinitions('now', network([res(200, file(zendeskOverride({ userEmail: 'a.email' })))]).deps);
    const broken = file({ ...zendeskOverride({ userEmail: 'a.new-email' }), hubspot: { version: 1, selectors: { emial: ['a'] } } });
    const result = await refreshSiteDefinitions('now', network([res(200, broken)]).deps);
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/^The definitions file cannot be used \(1 problem; first: https:\/\/files\.example\.com\/centric-sites\.json: site "hubspot", key "emial": the bundled definition has no such key; .*\)\. The copy downloaded .* stays in use\.$/);
    const after = await stored();
    expect(after.overrides).toEqual(zendeskOverride({ userEmail: 'a.email' }));
    expect(after.status).toMatchObject({ outcome: 'failed', error: result.message, problems: [expect.stringContaining('key "emial"')] });
    expect(after.status?.hosts.zendesk?.source).toBe('url');

    await refreshSiteDefinitions('now', network([res(200, file(zendeskOverride({ userEmail: 'a.new-email' })))]).deps);
    expect((await stored()).overrides).toEqual(zendeskOverride({ userEmail: 'a.new-email' }));
    expect((await stored()).status).toMatchObject({ outcome: 'changed', problems: [] });
    expect((await stored()).status?.error).toBeUndefined();
  });

  it('with no good copy yet, a broken or unreachable file leaves the bundled definitions in use', async () => {
    await fakeBrowser.storage.local.set({ [SITE_DEFINITIONS_URL.key]: URL_ });
    const broken = await refreshSiteDefinitions('now', network([res(200, file({ zendesk: { version: 1, selectors: { nosuchkey: 'x' } }, nosuch: { version: 1, selectors: {} } }))]).deps);
    expect(broken.message).toMatch(/^The definitions file cannot be used \(2 problems; first: .*\)\. The bundled definitions stay in use\.$/);
    expect((await stored()).overrides).toBeUndefined();
    expect((await stored()).status?.hosts.zendesk?.source).toBe('bundled');

    const down = await refreshSiteDefinitions('now', network([res(404, 'no'), res(404, 'no')]).deps);
    expect(down).toEqual({ ok: false, message: 'The site definitions file was not found (404). Check its address in Options → Sites.' });
    const login = await refreshSiteDefinitions('now', network([res(200, '<!doctype html><title>Sign in</title><form><input type="password"></form>', { 'content-type': 'text/html' })]).deps);
    expect(login.message).toMatch(/HTML page.*login page.*Options → Sites/);
    const refused = await refreshSiteDefinitions('now', network([res(401, '')]).deps);
    expect(refused.message).toBe('The address refused access (401). Centric sends no credentials with a site definitions file: publish it where it can be read without signing in, and check the address in Options → Sites.');
    const notAllowed = await refreshSiteDefinitions('now', network([], false).deps);
    expect(notAllowed.message).toBe('Centric is not allowed to contact https://files.example.com yet. Allow it in Options → Sites.');
    expect((await stored()).overrides).toBeUndefined();
  });

  it('the team policy’s definitions come first, then the file’s, then the bundled ones; the policy’s address replaces the one set here', async () => {
    const policyUrl = 'https://policy.example.com/sites.json';
    await fakeBrowser.storage.local.set({ [SITE_DEFINITIONS_URL.key]: URL_ });
    await fakeBrowser.storage.managed.set({
      siteDefinitions: JSON.stringify({ format: 1, sites: { zendesk: { version: 1, selectors: { userEmail: 'a.policy' } } } }),
      siteDefinitionsUrl: policyUrl,
    });
    const { deps, calls } = network([res(200, file({ ...zendeskOverride({ userEmail: 'a.file' }), hubspot: { version: 1, selectors: { email: ['a.file'] } } }))]);
    await refreshSiteDefinitions('now', deps);
    expect(calls.map((c) => c.url)).toEqual([policyUrl]);
    const { overrides, status } = await stored();
    expect(overrides).toEqual({ zendesk: { version: 1, selectors: { userEmail: 'a.policy' } }, hubspot: { version: 1, selectors: { email: ['a.file'] } } });
    expect(status).toMatchObject({ url: policyUrl, urlFrom: 'policy' });
    expect(status?.hosts.zendesk).toEqual({ source: 'policy', version: 1, bundledVersion: 1, notes: ['The override from the definitions file (version 1) is not used: the one from the team policy comes first.'] });
    expect(status?.hosts.hubspot?.source).toBe('url');

    // The policy's definitions as an object (Firefox's policies.json), one of them broken: none of them is used.
    await fakeBrowser.storage.managed.set({ siteDefinitions: { format: 1, sites: { zendesk: { version: 1, selectors: { userEmail: 'a.policy', nope: 'x' } } } } });
    await refreshSiteDefinitions('no', deps);
    const broken = await stored();
    expect(broken.overrides?.zendesk).toEqual({ version: 1, selectors: { userEmail: 'a.file' } });
    expect(broken.status?.policyProblems).toEqual([
      expect.stringMatching(/^Team policy \(siteDefinitions\): site "zendesk", key "nope": the bundled definition has no such key/),
      'The team policy’s site definitions are not used until these problems are fixed.',
    ]);
  });

  it('an override written for an older definition than this release bundles is not used, and the status says so', async () => {
    await fakeBrowser.storage.managed.set({ siteDefinitions: JSON.stringify({ format: 1, sites: { zendesk: { version: 0, selectors: {} } } }) });
    await refreshSiteDefinitions('no', network([]).deps);
    expect((await stored()).status?.policyProblems[0]).toMatch(/version: Use a version of at least 1\./);
    // A stale (but valid) version: as if a release had raised the bundled Zendesk definition to version 2.
    const { zendesk } = await import('~/lib/sites/hosts/zendesk/adapter');
    const definition = zendesk.definition as { version: number };
    definition.version = 2;
    try {
      await fakeBrowser.storage.managed.set({ siteDefinitions: JSON.stringify({ format: 1, sites: { zendesk: { version: 1, selectors: { userEmail: 'a.old' } } } }) });
      await refreshSiteDefinitions('no', network([]).deps);
      const { overrides, status } = await stored();
      expect(overrides).toBeUndefined();
      expect(status?.hosts.zendesk).toMatchObject({ source: 'bundled', version: 2, bundledVersion: 2 });
      expect(status?.hosts.zendesk?.notes[0]).toMatch(/^The override from the team policy \(version 1\) is not used: this release of Centric bundles version 2, which is newer\./);
    } finally {
      definition.version = 1;
    }
  });

  it('a new address drops the copy of the old one; removing the address removes the overrides, the status and the alarm', async () => {
    await fakeBrowser.storage.local.set({ [SITE_DEFINITIONS_URL.key]: URL_ });
    await refreshSiteDefinitions('now', network([res(200, file(zendeskOverride({ userEmail: 'a.one' })))]).deps);
    await fakeBrowser.storage.local.set({ [SITE_DEFINITIONS_URL.key]: 'https://other.example.com/sites.json' });
    await refreshSiteDefinitions('now', network([res(500, ''), res(500, ''), res(500, '')]).deps);
    expect((await stored()).overrides).toBeUndefined();
    expect((await stored()).kept).toBeUndefined();
    expect((await stored()).status).toMatchObject({ url: 'https://other.example.com/sites.json', outcome: 'failed', error: expect.stringMatching(/500/) });

    await fakeBrowser.storage.local.remove(SITE_DEFINITIONS_URL.key);
    await refreshSiteDefinitions('if-due', network([]).deps);
    expect((await stored()).keys).toEqual([]);
    expect(await fakeBrowser.alarms.getAll()).toEqual([]);
  });

  it('an address that is not https is refused without a request', async () => {
    await fakeBrowser.storage.local.set({ [SITE_DEFINITIONS_URL.key]: 'http://files.example.com/sites.json' });
    const { deps, calls } = network([]);
    const result = await refreshSiteDefinitions('now', deps);
    expect(result).toEqual({ ok: false, message: expect.stringMatching(/^The definitions file address cannot be used: Use https:\/\//) });
    expect(calls).toEqual([]);
  });
});
