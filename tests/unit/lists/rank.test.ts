import { describe, expect, it } from 'vitest';
import { chipDescription, money, rankWorklist } from '~/lib/lists/rank';
import { isListChipsOn, listChipsFrom, withListChips } from '~/lib/lists/switch';
import type { BatchAnswer } from '~/lib/messages/schema';

const found = (id: string, clv: number, opts: { flags?: string[]; priority?: 'urgent' | 'high' | 'normal' | 'low' } = {}): BatchAnswer => ({
  status: 'found',
  id,
  name: `Customer ${id}`,
  matchedBy: 'email',
  value: { tier: 'Gold', tierColor: '#aa8800', tierForeground: '#000000', clv, pAlive: 0.4, flags: opts.flags ?? [] },
  treatment: opts.priority ? { title: `Treat ${id}`, priority: opts.priority, color: '#123456' } : undefined,
});

describe('worklist ranking', () => {
  it('puts high-value customers at risk first, then treatment priority, then CLV; unknown rows out', () => {
    const items = [
      { row: 'a', answer: found('a', 5000) },
      { row: 'b', answer: found('b', 100, { priority: 'urgent' }) },
      { row: 'c', answer: found('c', 300, { flags: ['at-risk'], priority: 'low' }) },
      { row: 'd', answer: { status: 'not-found' } as BatchAnswer },
      { row: 'e', answer: undefined },
      { row: 'f', answer: found('f', 900, { flags: ['at-risk'], priority: 'high' }) },
      { row: 'g', answer: found('g', 800, { priority: 'urgent' }) },
      { row: 'h', answer: found('h', 7000, { priority: 'normal' }) },
      { row: 'i', answer: found('i', 20, { flags: ['at-risk'], priority: 'high' }) },
    ];
    expect(rankWorklist(items).map((e) => e.row)).toEqual(['f', 'i', 'c', 'g', 'b', 'h', 'a']);
    expect(rankWorklist(items)[0]!.atRisk).toBe(true);
  });

  it('lists a customer once (their first row) and keeps page order on ties', () => {
    const items = [
      { row: 1, answer: found('x', 10) },
      { row: 2, answer: found('y', 10) },
      { row: 3, answer: found('x', 10) },
    ];
    expect(rankWorklist(items).map((e) => e.row)).toEqual([1, 2]);
  });

  it('ranks unscored customers after scored ones, never by NaN', () => {
    const unscored: BatchAnswer = { status: 'found', id: 'u', name: 'U', matchedBy: 'email' };
    const nan = found('n', Number.NaN);
    expect(rankWorklist([{ row: 'u', answer: unscored }, { row: 'n', answer: nan }, { row: 's', answer: found('s', 1) }]).map((e) => e.row)).toEqual(['s', 'u', 'n']);
  });
});

describe('money (chip titles)', () => {
  it('writes whole dollars exactly as Intl en-US does, without its cost', () => {
    const intl = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 });
    const values = [0, 0.4, 0.5, 1, 9.99, 12, 999.5, 1000, 1234.49, 99999, 100000, 1234567.8, 987654321012, 1e15 - 1, 3.2e16, -1, -56.2, -1234567];
    for (const n of values) expect(money(n), String(n)).toBe(intl.format(n));
  });
  it('never writes NaN or Infinity, and no minus sign on an amount that rounds to zero', () => {
    expect(money(Number.NaN)).toBe('—');
    expect(money(Number.POSITIVE_INFINITY)).toBe('—');
    expect(money(-0.3)).toBe('$0');
  });
});

describe('chip description', () => {
  it('says tier, CLV, P(alive), risk and treatment in words', () => {
    expect(chipDescription(found('a', 1234.4, { flags: ['at-risk'], priority: 'high' }))).toBe('Gold customer, 12-month value $1,234, P(alive) 40%, at risk — Treat a');
    expect(chipDescription({ status: 'not-found', sameName: 3 })).toBe('Centric: 3 customers have this name; open the record to match');
    expect(chipDescription({ status: 'found', id: 'domain:x', name: 'X', matchedBy: 'domain', customers: 12, value: { tier: 'Silver', tierColor: '#000000', tierForeground: '#ffffff', clv: 10, pAlive: 0.9, flags: [] } })).toBe('Silver account of 12 customers, 12-month value $10');
    expect(chipDescription({ status: 'found', id: '1', name: 'A', matchedBy: 'name' })).toBe('Customer, not scored yet, matched by name');
  });
});

describe('list chips switch', () => {
  it('is off by default and per site; junk reads as off without losing other sites', () => {
    expect(isListChipsOn(undefined, 'hubspot')).toBe(false);
    expect(isListChipsOn({ hubspot: true }, 'hubspot')).toBe(true);
    expect(isListChipsOn({ hubspot: 'yes' }, 'hubspot')).toBe(false);
    expect(listChipsFrom({ hubspot: true, zendesk: 1, 'bad id!': true })).toEqual({ hubspot: true });
    expect(listChipsFrom(['hubspot'])).toEqual({});
    expect(withListChips({ hubspot: true }, 'zendesk', true)).toEqual({ hubspot: true, zendesk: true });
    expect(withListChips({ hubspot: true, zendesk: true }, 'hubspot', false)).toEqual({ zendesk: true });
  });
});
