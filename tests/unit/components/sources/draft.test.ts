import { describe, expect, it } from 'vitest';
import { newLookupDraft, newSourceId, secondsToAmount, sourceToDraft, validateDraft } from '~/lib/pages/sources-draft';
import { addSource, fullPrecedence, movePrecedence, removeSource, restoreSource } from '~/lib/pages/sources-order';
import { HIDDEN_VALUE, SourceSchema, type Source } from '~/lib/sources/config';
import { ACME, SHARED, configWith } from './helpers';

const acme = SourceSchema.parse(ACME);
const shared = SourceSchema.parse(SHARED);
const off: Source = { ...shared, id: 'off', name: 'Off', enabled: false };

describe('drafts', () => {
  it('shows cache times in hours when whole, else in minutes, and reads them back in seconds', () => {
    expect(secondsToAmount(86_400)).toEqual({ amount: '24', unit: 'hours' });
    expect(secondsToAmount(1800)).toEqual({ amount: '30', unit: 'minutes' });
    expect(secondsToAmount(90)).toEqual({ amount: '1.5', unit: 'minutes' });
    expect(secondsToAmount(0)).toEqual({ amount: '0', unit: 'minutes' });
    const draft = { ...newLookupDraft(), name: 'A', urlTemplate: 'https://a.example/{id}', ttl: '1.5', ttlUnit: 'minutes' as const, stale: '720', staleUnit: 'hours' as const };
    expect(validateDraft(draft, 'a').source).toMatchObject({ ttlSeconds: 90, staleSeconds: 2_592_000 });
    expect(validateDraft({ ...draft, stale: '721' }, 'a').issues).toEqual([{ path: 'stale', message: 'Use at most 30 days (720 hours).' }]);
    expect(validateDraft({ ...draft, ttl: '-1' }, 'a').issues).toEqual([{ path: 'ttl', message: 'Use 0 or more (0 = not kept).' }]);
  });

  it('round-trips a saved source through its public view, secrets restored only from the stored source', () => {
    const draft = sourceToDraft(acme);
    expect(draft.headers.map((h) => h.value)).toEqual([HIDDEN_VALUE]);
    expect(validateDraft(draft, 'acme', acme).source).toEqual(acme);
    // Without the stored source there is nothing to restore: the hidden values are not saved.
    expect(validateDraft(draft, 'acme').issues.map((i) => i.path)).toEqual(['headers[0].value', 'urlTemplate']);
  });

  it('reports problems of header rows at the row they are on, skipping empty rows', () => {
    const draft = {
      ...newLookupDraft(),
      name: 'A',
      urlTemplate: 'https://a.example/{id}',
      headers: [
        { key: 1, name: '', value: '' },
        { key: 2, name: 'Host', value: 'x' },
      ],
    };
    expect(validateDraft(draft, 'a').issues).toEqual([
      { path: 'headers[1].name', message: 'Browsers do not let extensions set this header; put the API key in Authorization or a header such as X-API-Key.' },
    ]);
  });

  it('makes ids from names, unique and never "local"', () => {
    expect(newSourceId('Acme warehouse API', 'lookup-service', [])).toBe('acme-warehouse-api');
    expect(newSourceId('Données clients – Été', 'score-file', [])).toBe('donnees-clients-ete');
    expect(newSourceId('Acme', 'lookup-service', ['acme', 'acme-2'])).toBe('acme-3');
    expect(newSourceId('Local', 'lookup-service', [])).toBe('local-2');
    expect(newSourceId('数据', 'score-file', ['score-file'])).toBe('score-file-2');
    expect(SourceSchema.safeParse({ ...SHARED, id: newSourceId('-'.repeat(3) + 'x'.repeat(80), 'score-file', []) }).success).toBe(true);
  });
});

describe('configuration changes', () => {
  it('moves among the sources in effect, keeping disabled sources in place', () => {
    const config = configWith([acme, shared, off], ['off', 'local']);
    expect(fullPrecedence(config)).toEqual(['off', 'local', 'acme', 'shared']);
    expect(movePrecedence(config, 'shared', -1)?.precedence).toEqual(['off', 'local', 'shared', 'acme']);
    expect(movePrecedence(config, 'acme', -1)?.precedence).toEqual(['off', 'acme', 'local', 'shared']);
    expect(movePrecedence(config, 'local', -1)).toBeUndefined();
    expect(movePrecedence(config, 'shared', 1)).toBeUndefined();
    expect(movePrecedence(config, 'off', 1)).toBeUndefined();
  });

  it('adds at the end of the precedence, and removes and restores a source in its places', () => {
    const config = configWith([acme], ['acme', 'local']);
    const added = addSource(config, shared);
    expect(added.precedence).toEqual(['acme', 'local', 'shared']);
    const removed = removeSource(added, 'acme')!;
    expect(removed.config).toEqual(configWith([shared], ['local', 'shared']));
    expect(restoreSource(removed.config, removed.removed)).toEqual(added);
    expect(restoreSource(added, removed.removed)).toBeUndefined();
  });
});
