/** "Erase everything" (issue 16): every byte Centric stored, said per kind, through a validated message. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eraseEverything, type EraseApis } from '~/lib/background/erase';
import { erasedInWords } from '~/lib/pages/erase-words';
import { CentricDb } from '~/lib/db/db';
import { ERASED_MARKER } from '~/lib/db/lifecycle';
import { handleRequest, NOTHING_ERASED } from '~/lib/messages/handler';
import { eraseResultSchema, ERASE_PHRASE } from '~/lib/messages/schema';
import { loadSampleData } from '~/lib/sample/install';
import { readBundledSample } from '../../helpers/sample';

const OWN_ID = 'centric-test-id';
let db: CentricDb;
let n = 0;
beforeEach(async () => {
  db = new CentricDb(`centric-erase-${++n}`);
  await loadSampleData(db, readBundledSample(), () => new Date('2026-02-03T04:05:06Z'));
});
afterEach(async () => {
  await db.delete();
});

/** Browser APIs in memory, holding what a person's Centric would have stored. */
function fakeBrowser() {
  const local = new Map<string, unknown>(
    Object.entries({
      sources: { version: 1, sources: [{ id: 'team-api' }, { id: 'team-file' }], precedence: ['local'] },
      treatmentRules: { format: 'centric-rules', version: 1, rules: [{ id: 'a' }, { id: 'b' }, { id: 'c' }] },
      customSites: [{ id: 'crm' }],
      customDomains: [{ domain: 'support.acme.com', adapterId: 'zendesk' }],
      listChips: { hubspot: true, demo: true },
      'sidebar.collapsed': true,
      sourcesStatus: { 'team-file': { ok: true } },
      // The site health counts (issue 17): two sites read on this browser.
      siteHealth: {
        version: 1,
        hosts: {
          zendesk: { since: 1, failedInARow: 0, lastMissing: [], total: { identified: 3, partial: 0, failed: 0 }, days: {} },
          freshdesk: { since: 1, lastFailed: 2, failedInARow: 1, lastMissing: ['contact details panel'], total: { identified: 0, partial: 0, failed: 1 }, days: {} },
        },
      },
      // Written by the install itself (lib/welcome/first-run.ts): a fresh install holds it too.
      lastInstall: { reason: 'install', welcomed: true, at: '2026-02-03T04:05:06.000Z' },
    }),
  );
  const session = new Map<string, unknown>([['x', 1]]);
  const area = (map: Map<string, unknown>) => ({
    get: async () => Object.fromEntries(map),
    clear: async () => map.clear(),
    remove: async (keys: string[]) => void keys.forEach((key) => map.delete(key)),
  });
  let alarms = [{ name: 'centric-sync:team-file' }];
  let scripts = [{ id: 'demo' }, { id: 'zendesk' }, { id: 'centric-custom' }];
  let origins = ['http://127.0.0.1/*', 'https://*.zendesk.com/*', 'https://*.hubspot.com/*', 'https://support.acme.com/*'];
  const databases = ['centric', 'centric-old'];
  const apis: EraseApis = {
    storage: [
      { name: 'local', area: area(local) },
      { name: 'session', area: area(session) },
    ],
    alarms: { getAll: async () => alarms, clearAll: async () => void (alarms = []) },
    scripting: { getRegisteredContentScripts: async () => scripts, unregisterContentScripts: async () => void (scripts = []) },
    permissions: {
      getAll: async () => ({ origins }),
      remove: async ({ origins: gone }) => {
        origins = origins.filter((o) => !gone.includes(o));
        return true;
      },
    },
    // The manifest's pattern has a path; the browser reports the grant as host/* (as Chromium does).
    requiredOrigins: ['http://127.0.0.1/*', 'https://*.zendesk.com/agent/*'],
    databaseNames: async () => [...databases, db.name],
    deleteDatabase: async (name) => void databases.splice(databases.indexOf(name), 1),
    // A fresh install registers the demo's script (its hosts are granted at install).
    resync: async () => void (scripts = origins.includes('http://127.0.0.1/*') ? [{ id: 'demo' }] : []),
  };
  return { apis, local, session, alarms: () => alarms, scripts: () => scripts, origins: () => origins, databases };
}

describe('erase everything', () => {
  it('removes the database, storage, alarms, scripts and granted sites, and says how much of each', async () => {
    const fake = fakeBrowser();
    const result = await eraseEverything(db, fake.apis);
    expect(eraseResultSchema.safeParse(result).success).toBe(true);
    expect(result).toEqual({
      ok: true,
      problems: [],
      removed: {
        ...NOTHING_ERASED,
        customers: 2357,
        transactions: 6919,
        importRuns: 1,
        sources: 2,
        treatmentRules: 3,
        customSites: 1,
        customDomains: 1,
        listChipSwitches: 2,
        siteHealth: 2,
        settings: 3, // sidebar.collapsed, sourcesStatus, and the session key (not lastInstall: it stays)
        alarms: 1,
        contentScripts: 2, // zendesk and the custom sites' script; the demo's is registered again as at install
        sitePermissions: 2,
        databases: 1,
      },
    });
    // Only the install's own record stays, as it was: storage is as freshly installed.
    expect(Object.fromEntries(fake.local)).toEqual({ lastInstall: { reason: 'install', welcomed: true, at: '2026-02-03T04:05:06.000Z' } });
    expect([...fake.session.keys()]).toEqual([]);
    expect(fake.alarms()).toEqual([]);
    expect(fake.scripts()).toEqual([{ id: 'demo' }]);
    expect(fake.origins()).toEqual(['http://127.0.0.1/*', 'https://*.zendesk.com/*']);
    expect(fake.databases).toEqual(['centric']);
    for (const table of db.tables) expect(await table.toArray()).toEqual(table.name === 'meta' ? [ERASED_MARKER] : []);
    expect(erasedInWords(result.removed)).toBe(
      'Erased 2,357 customers, 6,919 transactions, 1 import record, 2 lookup sources, 3 treatment rules, 1 custom site, 1 custom domain, ' +
        '2 list-chip switches, 2 sites’ reading counts (site health), 3 settings, 1 scheduled sync (alarm), 2 registered content scripts, 2 site permissions (given back) and 1 other database.',
    );
  });

  it('clears storage whole when there is no install record (installed before it was written)', async () => {
    const fake = fakeBrowser();
    fake.local.delete('lastInstall');
    const result = await eraseEverything(db, fake.apis);
    expect(result.ok).toBe(true);
    expect(result.removed.settings).toBe(3);
    expect(fake.local.size).toBe(0);
  });

  it('touches nothing else when the database cannot be erased', async () => {
    const fake = fakeBrowser();
    db.close();
    const closed = new CentricDb(db.name);
    closed.close(); // a closed database refuses the transaction
    const result = await eraseEverything(closed, fake.apis);
    expect(result.ok).toBe(false);
    expect(result.problems[0]).toMatch(/^The database could not be erased \(.+\); nothing was erased\.$/);
    expect(fake.local.size).toBe(9);
    expect(fake.alarms()).toHaveLength(1);
    expect(fake.scripts()).toHaveLength(3);
    await db.open();
    expect(await db.customers.count()).toBe(2357);
  });

  it('gives back what it can, goes on when one step fails, and says which', async () => {
    const fake = fakeBrowser();
    const remove = fake.apis.permissions.remove;
    fake.apis.permissions.remove = async ({ origins }) => {
      if (origins.includes('https://support.acme.com/*')) throw new Error('You cannot remove required permissions.');
      return remove({ origins });
    };
    const result = await eraseEverything(db, fake.apis);
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual(['The site permissions could not be removed: the browser kept https://support.acme.com/*.']);
    expect(fake.origins()).toEqual(['http://127.0.0.1/*', 'https://*.zendesk.com/*', 'https://support.acme.com/*']);
    expect(result.removed.sitePermissions).toBe(1);
    expect([...fake.local.keys()]).toEqual(['lastInstall']);
    expect(fake.alarms()).toEqual([]);
    expect(result.removed.customers).toBe(2357);
  });

  it('is asked for only from the extension’s own pages, with the phrase', async () => {
    let erased = 0;
    const eraseEverythingOption = async () => {
      erased++;
      return { ok: true, removed: { ...NOTHING_ERASED }, problems: [] };
    };
    const request = { type: 'erase-everything', confirm: ERASE_PHRASE };
    const fromPage = { id: OWN_ID, url: `chrome-extension://${OWN_ID}/options.html` };
    const fromContentScript = { id: OWN_ID, url: 'https://acme.zendesk.com/agent/tickets/1', tab: { id: 3 }, frameId: 0 };
    await expect(handleRequest(db, request, fromContentScript, OWN_ID, { eraseEverything: eraseEverythingOption })).rejects.toThrow(/outside the extension pages/);
    await expect(handleRequest(db, { type: 'erase-everything' }, fromPage, OWN_ID, { eraseEverything: eraseEverythingOption })).rejects.toThrow(/malformed/);
    await expect(handleRequest(db, { ...request, confirm: 'yes' }, fromPage, OWN_ID, { eraseEverything: eraseEverythingOption })).rejects.toThrow(/malformed/);
    expect(erased).toBe(0);
    expect(await handleRequest(db, request, fromPage, OWN_ID, { eraseEverything: eraseEverythingOption })).toMatchObject({ ok: true });
    expect(erased).toBe(1);
  });
});
