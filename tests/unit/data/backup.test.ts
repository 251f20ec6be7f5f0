/** The backup format with settings (issue 16): export, secrets only when asked, restore all or nothing. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportEverything, restoreEverything } from '~/lib/pages/backup';
import { DERIVED_KEYS, SETTINGS_KEYS } from '~/lib/backup/settings';
import { CentricDb } from '~/lib/db/db';
import { eraseStore, exportStore, parseBackup } from '~/lib/db/lifecycle';
import { readAllPurchases } from '~/lib/db/purchases';
import { DEFAULT_RULES } from '~/lib/rules/defaults';
import { ruleSetValue } from '~/lib/rules/stored';
import { HIDDEN_VALUE } from '~/lib/sources/config';
import { loadSampleData } from '~/lib/sample/install';
import { readBundledSample } from '../../helpers/sample';
import { teamApi, teamFile, teamSources } from '../../helpers/team-sources';
import { fakeStorage } from '../../helpers/storage';
import { ALL_SETTINGS, LAST_INSTALL, LAYOUT, LEGACY_COLLAPSED, SITE_HEALTH, SOURCES, TEAM } from '~/lib/settings/items';

const SECRET = 'k3y-7f2a-backup';

function stored(): Record<string, unknown> {
  return {
    sources: teamSources(teamApi('https://scores.acme.example/c?email={email}', SECRET), teamFile('https://files.acme.example/scores.csv')),
    treatmentRules: ruleSetValue(DEFAULT_RULES.map((r, i) => (i === 0 ? { ...r, name: 'Ours' } : r))),
    customSites: [{ id: 'acme-crm', name: 'Acme CRM', matches: ['https://crm.acme.example/*'], fields: { email: { selector: 'a.email' } } }],
    customDomains: [{ domain: 'support.acme.example', adapterId: 'zendesk' }],
    listChips: { hubspot: true },
    'sidebar.collapsed': true,
    'sidebar.layout': { zendesk: { mode: 'badge' }, 'custom:acme-crm': { collapsed: true } },
    sourcesStatus: { 'team-file': { at: 1, outcome: 'changed', message: 'Loaded', etag: '"1"' } },
  };
}

let db: CentricDb;
let n = 0;
beforeEach(async () => {
  db = new CentricDb(`centric-backup-${++n}`);
  await loadSampleData(db, readBundledSample(), () => new Date('2026-02-03T04:05:06Z'));
});
afterEach(async () => {
  await db.delete();
});

async function tables(store: CentricDb) {
  return { customers: await store.customers.orderBy('id').toArray(), purchases: (await readAllPurchases(store)).length, meta: await store.meta.toArray() };
}

/** Export, write to text, erase the store and the storage, and restore the text. */
async function roundTrip(includeSecrets: boolean) {
  const storage = fakeStorage(stored());
  const { backup, message } = await exportEverything(db, storage, includeSecrets);
  const text = JSON.stringify(backup);
  const before = await tables(db);
  await eraseStore(db);
  storage.data.clear();
  const notes = await restoreEverything(db, storage, parseBackup(text));
  return { storage, text, message, notes, before };
}

describe('a backup with settings', () => {
  it('decides for every setting whether a backup holds it (a new setting must be placed here)', () => {
    // Where the sidebar shows per site (issue 17), and the single switch it replaced, which older backups hold.
    expect(SETTINGS_KEYS).toContain(LAYOUT.key);
    expect(SETTINGS_KEYS).toContain(LEGACY_COLLAPSED.key);
    expect(SETTINGS_KEYS).toContain(SOURCES.key);
    // Local diagnostics, the install record and the team connection (a person's token): in no backup.
    const neither = [SITE_HEALTH.key, LAST_INSTALL.key, TEAM.key];
    const placed = [...SETTINGS_KEYS, ...DERIVED_KEYS, ...neither];
    expect([...placed].sort()).toEqual(ALL_SETTINGS.map((s) => s.key).sort());
  });

  it('holds settings at version 1 only (a setting at a later version needs its version in the file, and a migration on restore)', () => {
    for (const key of SETTINGS_KEYS) expect(ALL_SETTINGS.find((s) => s.key === key)?.version, key).toBe(1);
  });

  it('with secrets ticked: export → erase → restore gives back the same storage (the derived sync status aside)', async () => {
    const { storage, text, message, notes, before } = await roundTrip(true);
    expect(text).toContain(SECRET);
    expect(message).toMatch(/^Exported 2,357 customers, 6,919 transactions and the settings \(6 treatment rules, 2 lookup sources, 1 custom site, 1 custom domain, .*\) with the sources’ secrets\.$/);
    const { sourcesStatus: _derived, ...expected } = stored();
    expect(Object.fromEntries(storage.data)).toEqual(expected);
    expect(await tables(db)).toEqual(before);
    expect(notes.join(' ')).not.toMatch(/without/);
  });

  it('without secrets (the default): the file holds none, and restored sources come back without them and say so', async () => {
    const { storage, text, message, notes } = await roundTrip(false);
    expect(text).not.toContain(SECRET);
    expect(JSON.parse(text).settings.secretsIncluded).toBe(false);
    expect(message).toMatch(/without the sources’ API keys, tokens and headers\.$/);
    const { sourcesStatus: _derived, ...expected } = stored();
    const sources = structuredClone(expected.sources) as { sources: { headers: unknown[] }[] };
    sources.sources[0]!.headers = [];
    expect(Object.fromEntries(storage.data)).toEqual({ ...expected, sources });
    expect(notes).toContain('Team API comes back without its X-Api-Key header (the backup holds no secrets): enter it in Options → Sources.');
  });

  it('leaves out the site health counts (local diagnostics of this browser), and a restore leaves this browser’s as they are', async () => {
    const health = { version: 1, hosts: { zendesk: { since: 1, failedInARow: 0, lastMissing: [], total: { identified: 4, partial: 0, failed: 0 }, days: {} } } };
    const storage = fakeStorage({ ...stored(), [SITE_HEALTH.key]: health });
    const { backup } = await exportEverything(db, storage, false);
    const text = JSON.stringify(backup);
    expect(text).not.toContain(SITE_HEALTH.key);
    const here = { version: 1, hosts: {} };
    storage.data.set(SITE_HEALTH.key, here);
    await restoreEverything(db, storage, parseBackup(text));
    expect(storage.data.get(SITE_HEALTH.key)).toEqual(here);
  });

  it('without secrets, a source saved here with the same id and address keeps its secret; one at another address does not', async () => {
    const storage = fakeStorage(stored());
    const { backup } = await exportEverything(db, storage, false);
    expect((backup.settings!.storage.sources as { sources: { headers: { value: string }[] }[] }).sources[0]!.headers[0]!.value).toBe(HIDDEN_VALUE);
    const kept = await restoreEverything(db, storage, parseBackup(JSON.stringify(backup)));
    expect(kept).toContain('Team API keeps the secret already saved in this browser.');
    expect((storage.data.get('sources') as { sources: { headers: unknown[] }[] }).sources[0]!.headers).toEqual([{ name: 'X-Api-Key', value: SECRET }]);

    // The same id, but the backup sends it elsewhere: the key saved here must not follow.
    const moved = structuredClone(backup);
    (moved.settings!.storage.sources as { sources: { urlTemplate: string }[] }).sources[0]!.urlTemplate = 'https://elsewhere.example/c?email={email}';
    const notes = await restoreEverything(db, storage, parseBackup(JSON.stringify(moved)));
    expect(notes[0]).toMatch(/^Team API comes back without its X-Api-Key header/);
    expect((storage.data.get('sources') as { sources: { headers: unknown[] }[] }).sources[0]!.headers).toEqual([]);
  });

  it('refuses a backup with a bad setting, saying where, and changes nothing', async () => {
    const storage = fakeStorage(stored());
    const { backup } = await exportEverything(db, storage, true);
    const cases: [(b: typeof backup) => void, RegExp][] = [
      [(b) => ((b.settings!.storage.treatmentRules as { rules: { treatment: { color: string } }[] }).rules[1]!.treatment.color = 'red'), /settings\.treatmentRules: rules\[1\]\.treatment\.color: /],
      [(b) => ((b.settings!.storage.sources as { sources: { urlTemplate: string }[] }).sources[0]!.urlTemplate = 'ftp://x.example/{email}'), /settings\.sources\.sources\[0\]\.urlTemplate: /],
      [(b) => ((b.settings!.storage.customSites as { matches: string[] }[])[0]!.matches = []), /settings\.customSites\.0: URL patterns: needs at least one URL pattern/],
      [(b) => ((b.settings!.storage.customDomains as { domain: string }[])[0]!.domain = 'not a domain'), /settings\.customDomains\.0\.domain: is not a lower-case domain name/],
      [(b) => (b.settings!.storage.listChips = { hubspot: 'yes' }), /settings\.listChips\.hubspot: /],
      [(b) => (b.settings!.storage['sidebar.collapsed'] = 'no'), /settings\.sidebar\.collapsed: should be true or false/],
      [(b) => (b.settings!.storage['sidebar.layout'] = { zendesk: { mode: 'sideways' } }), /settings\.sidebar\.layout\.zendesk\.mode: /],
      [(b) => (b.settings!.storage['sidebar.layout'] = { 'Not A Site': { mode: 'dock' } }), /settings\.sidebar\.layout\.Not A Site: /],
      [(b) => ((b.settings!.storage as Record<string, unknown>).apiKeys = ['x']), /settings\.storage: .*apiKeys/],
    ];
    const before = await tables(db);
    for (const [spoil, message] of cases) {
      const bad = structuredClone(backup);
      spoil(bad);
      expect(() => parseBackup(JSON.stringify(bad))).toThrow(message);
    }
    expect(Object.fromEntries(storage.data)).toEqual(stored());
    expect(await tables(db)).toEqual(before);
  });

  it('puts the settings back when the database refuses the restore', async () => {
    const storage = fakeStorage(stored());
    const { backup } = await exportEverything(db, storage, true);
    const other = structuredClone(backup);
    other.settings!.storage.listChips = { salesforce: true };
    delete other.settings!.storage.customDomains;
    other.tables.meta = [...other.tables.meta, other.tables.meta[0]!]; // a duplicate key: the transaction fails
    const before = await tables(db);
    await expect(restoreEverything(db, storage, other)).rejects.toThrow();
    expect(Object.fromEntries(storage.data)).toEqual(stored());
    expect(await tables(db)).toEqual(before);
  });

  it('still restores an older backup without settings, leaving the settings as they are', async () => {
    const storage = fakeStorage(stored());
    const old = await exportStore(db);
    expect(old.settings).toBeUndefined();
    await eraseStore(db);
    const notes = await restoreEverything(db, storage, parseBackup(JSON.stringify(old)));
    expect(notes).toEqual(['This backup was made before backups held settings: your rules, sources, sites and switches were left as they are.']);
    expect(await db.customers.count()).toBe(2357);
    expect(Object.fromEntries(storage.data)).toEqual(stored());
  });
});
