/** Site health (issue 17): counts of how record pages were read, bounded, without personal data, flagged when a site stops reading. */
import { describe, expect, it } from 'vitest';
import {
  DAYS,
  dayOf,
  flagOf,
  healthRows,
  MAX_HOSTS,
  parseSiteHealth,
  recordReading,
  type Reading,
  type SiteHealth,
} from '~/lib/health/site-health';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const T0 = new Date(2026, 11, 7, 10, 0, 0).getTime(); // 7 Dec 2026, 10:00 local
const empty: SiteHealth = { version: 1, hosts: {} };
const zendesk = (outcome: Reading['outcome'], missing: string[] = [], recordType?: string): Reading => ({ host: 'zendesk', outcome, missing, recordType });

function replay(readings: [Reading, number][], start = empty): SiteHealth {
  return readings.reduce((health, [reading, at]) => recordReading(health, reading, at), start);
}

describe('recordReading', () => {
  it('counts per outcome, per day and in total, and remembers when each last happened', () => {
    const health = replay([
      [zendesk('identified'), T0],
      [zendesk('partial'), T0 + HOUR],
      [zendesk('failed', ['requester email', 'requester name'], 'ticket'), T0 + 2 * HOUR],
    ]);
    expect(health.hosts.zendesk).toEqual({
      since: T0,
      lastIdentified: T0,
      lastPartial: T0 + HOUR,
      lastFailed: T0 + 2 * HOUR,
      failedInARow: 1,
      lastMissing: ['requester email', 'requester name'],
      lastFailedRecord: 'ticket',
      total: { identified: 1, partial: 1, failed: 1 },
      days: { '2026-12-07': { identified: 1, partial: 1, failed: 1 } },
    });
  });

  it('counts failures in a row until a page is read again', () => {
    let health = replay([1, 2, 3, 4].map((i) => [zendesk('failed', ['ticket workspace'], 'ticket'), T0 + i * HOUR]));
    expect(health.hosts.zendesk!.failedInARow).toBe(4);
    health = recordReading(health, zendesk('identified'), T0 + 5 * HOUR);
    expect(health.hosts.zendesk!.failedInARow).toBe(0);
    expect(health.hosts.zendesk!.lastFailed).toBe(T0 + 4 * HOUR);
    // A name-only reading is a reading: it ends the row too.
    health = replay([[zendesk('failed'), T0 + 6 * HOUR], [zendesk('partial'), T0 + 7 * HOUR]], health);
    expect(health.hosts.zendesk!.failedInARow).toBe(0);
  });

  it('keeps day counts for the last 7 days only, and the totals since the first reading', () => {
    const readings: [Reading, number][] = Array.from({ length: 20 }, (_, i) => [zendesk('identified'), T0 + i * DAY]);
    const health = replay(readings);
    const days = Object.keys(health.hosts.zendesk!.days);
    expect(days).toHaveLength(DAYS);
    expect(days).not.toContain(dayOf(T0 + 12 * DAY));
    expect(days).toContain(dayOf(T0 + 13 * DAY));
    expect(health.hosts.zendesk!.total.identified).toBe(20);
    expect(health.hosts.zendesk!.since).toBe(T0);
  });

  it('keeps at most MAX_HOSTS sites, forgetting the least recently read', () => {
    let health = empty;
    for (let i = 0; i <= MAX_HOSTS; i++) health = recordReading(health, { host: `custom:site-${i}`, outcome: 'identified', missing: [] }, T0 + i);
    expect(Object.keys(health.hosts)).toHaveLength(MAX_HOSTS);
    expect(health.hosts['custom:site-0']).toBeUndefined();
    expect(health.hosts[`custom:site-${MAX_HOSTS}`]).toBeDefined();
  });

  it('stores no site id that is not one, and no record kind that is not a word', () => {
    expect(recordReading(empty, { host: 'https://acme.zendesk.com/agent/tickets/1', outcome: 'failed', missing: [] }, T0)).toBe(empty);
    const health = recordReading(empty, zendesk('failed', [], 'ana@li.example'), T0);
    expect(health.hosts.zendesk!.lastFailedRecord).toBeUndefined();
  });
});

describe('parseSiteHealth', () => {
  it('gives back what recordReading stored, and leaves out what is malformed', () => {
    const health = replay([[zendesk('failed', ['x'], 'ticket'), T0]]);
    expect(parseSiteHealth(JSON.parse(JSON.stringify(health)))).toEqual(health);
    expect(parseSiteHealth(undefined)).toEqual(empty);
    expect(parseSiteHealth('nonsense')).toEqual(empty);
    const broken = { version: 1, hosts: { zendesk: { since: 'yesterday' }, 'Not An Id': health.hosts.zendesk, hubspot: { ...health.hosts.zendesk, days: { nope: {}, '2026-12-07': { identified: -1 } } } } };
    expect(parseSiteHealth(broken)).toEqual({ version: 1, hosts: { hubspot: { ...health.hosts.zendesk, days: {} } } });
  });
});

describe('healthRows and the flag', () => {
  const sites = [
    { id: 'zendesk', name: 'Zendesk' },
    { id: 'hubspot', name: 'HubSpot' },
  ];

  it('has a row per enabled site, with the last 7 days and the totals', () => {
    const health = replay([
      [zendesk('identified'), T0 - 10 * DAY],
      [zendesk('identified'), T0 - DAY],
      [zendesk('failed', ['requester email'], 'ticket'), T0],
    ]);
    const [z, h] = healthRows(health, sites, T0 + HOUR);
    expect(z).toMatchObject({
      id: 'zendesk',
      since: T0 - 10 * DAY,
      lastIdentified: T0 - DAY,
      lastFailed: T0,
      week: { identified: 1, partial: 0, failed: 1 },
      total: { identified: 2, partial: 0, failed: 1 },
      lastMissing: ['requester email'],
    });
    expect(z!.flag).toBeUndefined();
    expect(h).toEqual({ id: 'hubspot', name: 'HubSpot', week: { identified: 0, partial: 0, failed: 0 }, total: { identified: 0, partial: 0, failed: 0 }, lastMissing: [] });
  });

  it('flags a site whose last record pages all gave no customer, saying how many and what to do', () => {
    const failures = Array.from({ length: 12 }, (_, i): [Reading, number] => [zendesk('failed', ['requester email'], 'ticket'), T0 + i * HOUR]);
    const health = replay([[zendesk('identified'), T0 - DAY], ...failures]);
    const [z] = healthRows(health, sites, T0 + 12 * HOUR);
    expect(z!.flag).toBe('Centric could not read Zendesk’s last 12 record pages: the page may have changed — copy a page report from a ticket.');
    // Two in a row is not yet a pattern; a week-old failure is not news.
    expect(flagOf('Zendesk', replay(failures.slice(0, 2)).hosts.zendesk!, T0 + 2 * HOUR)).toBeUndefined();
    expect(flagOf('Zendesk', health.hosts.zendesk!, T0 + 12 * HOUR + (DAYS + 1) * DAY)).toBeUndefined();
    // Without a record kind: "a record page"; an adapter's "order": "an order".
    expect(flagOf('Shopify', replay([1, 2, 3].map((i) => [{ host: 'shopify', outcome: 'failed', missing: [] }, T0 + i])).hosts.shopify!, T0 + 4)).toMatch(/from a record page\.$/);
    expect(flagOf('Shopify', replay([1, 2, 3].map((i) => [{ host: 'shopify', outcome: 'failed', missing: [], recordType: 'order' }, T0 + i])).hosts.shopify!, T0 + 4)).toMatch(/from an order\.$/);
  });

  it('holds no URL, record id, name or email: only site ids, counts, times and names of parts', () => {
    const health = replay([[zendesk('failed', ['requester email'], 'ticket'), T0], [{ host: 'custom:acme-crm', outcome: 'identified', missing: [] }, T0]]);
    const text = JSON.stringify(health);
    expect(text).not.toMatch(/https?:|@|\/agent\//);
  });
});
