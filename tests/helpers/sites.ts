import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect } from 'vitest';
import { matchPatternToRegExp } from '../../lib/sites/patterns';
import type { SiteAdapter } from '../../lib/sites/types';
import { loadFixture } from './dom';

/**
 * One end-to-end case of tests/fixtures/hosts/<host>/cases.json: a page URL, the saved page it
 * shows, and the identity fields the adapter should read there (null: not a record page).
 */
export interface HostCase {
  url: string;
  fixture: string;
  expect: Record<string, string> | null;
}

/** The end-to-end cases of one host, from tests/fixtures/hosts/<host>/cases.json. */
export function loadCases(host: string): HostCase[] {
  return JSON.parse(readFileSync(resolve(process.cwd(), 'tests/fixtures/hosts', host, 'cases.json'), 'utf8')) as HostCase[];
}

/**
 * Asserts that the adapter agrees with its cases (at least three): every URL is https and matched
 * by the adapter's patterns, isRecordPage is true exactly for the cases that expect an identity,
 * and extract reads that identity from the case's fixture in tests/fixtures/hosts/<adapter id>/.
 */
export function expectCasesAgree(adapter: SiteAdapter, cases: readonly HostCase[]): void {
  const patterns = adapter.matches.map(matchPatternToRegExp);
  expect(cases.length).toBeGreaterThanOrEqual(3);
  for (const c of cases) {
    const url = new URL(c.url);
    expect(url.protocol).toBe('https:');
    expect(patterns.some((p) => p.test(url.origin + url.pathname)), c.url).toBe(true);
    expect(adapter.isRecordPage(url), c.url).toBe(c.expect !== null);
    if (c.expect) {
      expect(adapter.extract(loadFixture(`${adapter.id}/${c.fixture}`), url).identity).toMatchObject(c.expect);
    }
  }
}
