/**
 * Backups and site definitions (issues 16 and 17): the definitions file's address is a setting (in a
 * backup, checked on restore); what the background derived from it (the overrides in effect, the last
 * file, its status) is not, and a restore removes it so the background works it out again.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportEverything, restoreEverything } from '~/lib/pages/backup';
import { settingsProblems } from '~/lib/backup/settings';
import { CentricDb } from '~/lib/db/db';
import { parseBackup } from '~/lib/db/lifecycle';
import { fakeStorage } from '../../helpers/storage';
import { SITE_DEFINITIONS_FILE, SITE_DEFINITIONS_STATUS, SITE_DEFINITIONS_URL, SITE_OVERRIDES } from '~/lib/settings/items';

const URL_ = 'https://files.example.com/centric-sites.json';
const derived = {
  [SITE_OVERRIDES.key]: { zendesk: { version: 1, selectors: { userEmail: 'a.email' } } },
  [SITE_DEFINITIONS_FILE.key]: { url: URL_, sites: {}, fetchedAt: 1 },
  [SITE_DEFINITIONS_STATUS.key]: { url: URL_, problems: [], policyProblems: [], hosts: {} },
};

let db: CentricDb;
let n = 0;
beforeEach(() => {
  db = new CentricDb(`centric-backup-definitions-${++n}`);
});
afterEach(async () => {
  await db.delete();
});

describe('a backup and the site definitions', () => {
  it('holds the address, not what was derived from it; a restore sets the address and removes the derived keys', async () => {
    const storage = fakeStorage({ [SITE_DEFINITIONS_URL.key]: URL_, ...derived });
    const { backup } = await exportEverything(db, storage, false);
    expect(backup.settings?.storage).toEqual({ [SITE_DEFINITIONS_URL.key]: URL_ });
    const text = JSON.stringify(backup);
    expect(text).not.toContain(SITE_OVERRIDES.key);

    const elsewhere = fakeStorage({ [SITE_DEFINITIONS_URL.key]: 'https://old.example.com/sites.json', ...derived });
    await restoreEverything(db, elsewhere, parseBackup(text));
    expect(Object.fromEntries(elsewhere.data)).toEqual({ [SITE_DEFINITIONS_URL.key]: URL_ });
  });

  it('refuses an address that is not https (as Options → Sites would)', () => {
    expect(settingsProblems({ secretsIncluded: false, storage: { [SITE_DEFINITIONS_URL.key]: 'http://files.example.com/sites.json' } })).toEqual([
      `settings.${SITE_DEFINITIONS_URL.key}: Use https:// (plain http:// is only allowed for 127.0.0.1 and localhost, on this computer).`,
    ]);
    expect(settingsProblems({ secretsIncluded: false, storage: { [SITE_DEFINITIONS_URL.key]: 7 } })).toEqual([`settings.${SITE_DEFINITIONS_URL.key}: should be the address of a site definitions file.`]);
  });
});
