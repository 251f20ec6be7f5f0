import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { equityNote, horizonValueHelp, horizonValueLabel, horizonValueShort, VALUE_WORDS } from '~/lib/labels/value';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : /\.(ts|tsx)$/.test(name) ? [path] : [];
  });
}

describe('the words for a customer’s value (issue 16, defect 4)', () => {
  it('names the horizon value by its horizon, never "lifetime"', () => {
    expect(horizonValueLabel()).toBe('Next 12 months (discounted)');
    expect(horizonValueLabel(6)).toBe('Next 6 months (discounted)');
    expect(horizonValueLabel(24)).toBe('Next 2 years (discounted)');
    expect(horizonValueShort(18)).toBe('18-month value');
    expect(horizonValueHelp(1)).toMatch(/next 1 month, discounted/);
    expect(equityNote()).toBe('The sum of every customer’s margin over the next 12 months, discounted.');
    for (const words of [horizonValueLabel(), horizonValueShort(), horizonValueHelp(), equityNote(), VALUE_WORDS.next12Months]) {
      expect(words.toLowerCase()).not.toContain('lifetime');
    }
    expect(VALUE_WORDS.lifetimeValue).toBe('Lifetime value');
  });

  it('no surface calls a horizon value "CLV" or "lifetime value" in its own words', () => {
    // The misleading labels the issue found, and the bare "CLV $…" of chips and lists.
    const banned = [/Lifetime value \(CLV\)/, /Customer lifetime value/, /`CLV \$\{/, /'Value \(CLV\)'/, /label: 'CLV'/, /clv: 'CLV'/];
    const offenders: string[] = [];
    for (const file of [...sources('components'), ...sources('lib'), ...sources('entrypoints')]) {
      const text = readFileSync(file, 'utf8');
      for (const pattern of banned) if (pattern.test(text)) offenders.push(`${file}: ${pattern}`);
    }
    expect(offenders).toEqual([]);
  });
});
