import { existsSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SITE_ADAPTERS } from '~/lib/sites/registry';
import { loadCases } from '../../helpers/sites';

/**
 * `recordOf` (issue 17): the record a URL opens, read from the URL alone, so that a record page whose
 * customer cannot be read can still be linked by hand. It must name the record exactly as `extract`
 * does, or a link made on a broken page would not be found once the page reads again.
 */
const HOSTS = resolve(process.cwd(), 'tests/fixtures/hosts');
const withCases = SITE_ADAPTERS.filter((a) => existsSync(resolve(HOSTS, a.id, 'cases.json')));

describe('recordOf', () => {
  it('is there for every built-in site', () => {
    expect(SITE_ADAPTERS.filter((a) => !a.recordOf).map((a) => a.id)).toEqual([]);
    expect(withCases.length).toBeGreaterThanOrEqual(12);
    expect(readdirSync(HOSTS).length).toBeGreaterThan(0);
  });

  it.each(withCases.map((a) => [a.id, a] as const))('%s: names the record as extract does, and nothing on other pages', (_id, adapter) => {
    for (const c of loadCases(adapter.id)) {
      const url = new URL(c.url);
      const record = adapter.recordOf!(url);
      if (c.expect === null) {
        expect(record, c.url).toBeNull();
        continue;
      }
      expect(record, c.url).not.toBeNull();
      if (c.expect.hostRecordId) expect(record!.hostRecordId, c.url).toBe(c.expect.hostRecordId);
      if (c.expect.recordType) expect(record!.recordType, c.url).toBe(c.expect.recordType);
    }
  });
});
