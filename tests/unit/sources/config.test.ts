import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SOURCES_CONFIG,
  HIDDEN_VALUE,
  LookupServiceSourceSchema,
  ScoreFileSourceSchema,
  type SourcesConfig,
  effectivePrecedence,
  hideSecretParams,
  parseSourcesConfig,
  publicConfig,
  publicView,
  restoreSecrets,
  sourceIssues,
} from '../../../lib/sources';

const lookup = {
  id: 'acme-api',
  kind: 'lookup-service',
  name: 'Acme warehouse API',
  urlTemplate: 'https://api.example.com/v1/customers/{email}/score',
  headers: [{ name: 'Authorization', value: 'Bearer s3cr3t-token' }],
};
const file = { id: 'shared', kind: 'score-file', name: 'Shared scores', url: 'https://files.example.com/scores.csv' };

function config(sources: unknown[], precedence: unknown[] = ['local']) {
  return { version: 1, sources, precedence };
}

function errorsOf(input: unknown) {
  const result = parseSourcesConfig(input);
  if (result.ok) throw new Error('expected errors');
  return result.errors;
}

describe('sources configuration', () => {
  it('fills the defaults of a lookup service and a score file', () => {
    const result = parseSourcesConfig(config([lookup, file], ['acme-api', 'local', 'shared']));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config.sources[0]).toMatchObject({ enabled: true, format: { kind: 'centric' }, timeoutMs: 3000, retries: 2, ratePerMinute: 60, ttlSeconds: 3600, staleSeconds: 86_400 });
    expect(result.config.sources[1]).toMatchObject({ enabled: true, format: 'auto', syncMinutes: 60, headers: [] });
  });

  it('the default configuration is valid and has only the local scores', () => {
    expect(parseSourcesConfig(DEFAULT_SOURCES_CONFIG)).toEqual({ ok: true, config: DEFAULT_SOURCES_CONFIG });
    expect(effectivePrecedence(DEFAULT_SOURCES_CONFIG)).toEqual(['local']);
  });

  it('refuses plain http except on this computer, and other schemes', () => {
    expect(sourceIssues({ ...lookup, urlTemplate: 'http://api.example.com/c/{email}' })).toEqual([
      { path: 'urlTemplate', message: 'Use https:// (plain http:// is only allowed for 127.0.0.1 and localhost, on this computer).' },
    ]);
    expect(sourceIssues({ ...lookup, urlTemplate: 'http://127.0.0.1:8080/c/{email}' })).toEqual([]);
    expect(sourceIssues({ ...lookup, urlTemplate: 'http://localhost/c/{email}' })).toEqual([]);
    expect(sourceIssues({ ...lookup, urlTemplate: 'ftp://api.example.com/c/{email}' })[0]?.message).toBe('Use an https:// address (not ftp:).');
    expect(sourceIssues({ ...file, url: 'http://files.example.com/s.csv' })[0]?.message).toMatch(/^Use https:\/\//);
    expect(sourceIssues({ ...lookup, urlTemplate: 'not a url {email}' })[0]?.message).toMatch(/spaces/);
    expect(sourceIssues({ ...lookup, urlTemplate: 'https://user:pw@api.example.com/c/{email}' })[0]?.message).toMatch(/user name or password/);
  });

  it('rejects unknown placeholders, listing the allowed ones, and placeholders in the host', () => {
    expect(sourceIssues({ ...lookup, urlTemplate: 'https://api.example.com/c/{mail}?x={Email}' })).toEqual([
      { path: 'urlTemplate', message: 'Unknown placeholders {mail}, {Email}; use {email}, {domain}, {id}, {name}.' },
    ]);
    expect(sourceIssues({ ...lookup, urlTemplate: 'https://{domain}.example.com/score' })[0]?.message).toMatch(/only be used after the site address/);
    expect(sourceIssues({ ...lookup, urlTemplate: 'https://api.example.com/score' })[0]?.message).toMatch(/at least one of \{email\}/);
    expect(sourceIssues({ ...file, url: 'https://files.example.com/{id}.csv' })[0]?.message).toBe('A file address cannot contain placeholders.');
  });

  it('accepts local files picked by the manager', () => {
    expect(sourceIssues({ ...file, url: 'local:scores 2025-03.csv' })).toEqual([]);
    expect(sourceIssues({ ...file, url: 'local:' })[0]?.message).toMatch(/local:scores\.csv/);
  });

  it('checks header names, forbidden headers, duplicates and line breaks in values', () => {
    const issues = sourceIssues({
      ...lookup,
      headers: [
        { name: 'X API Key', value: 'a' },
        { name: 'Cookie', value: 'b' },
        { name: 'X-Key', value: 'line\nbreak' },
        { name: 'x-key', value: 'c' },
      ],
    });
    expect(issues.map((i) => i.path)).toEqual(['headers[0].name', 'headers[1].name', 'headers[2].value', 'headers[3].name']);
    expect(issues[1]?.message).toMatch(/Browsers do not let extensions set this header/);
    expect(issues[3]?.message).toBe('The header x-key is set twice (also in line 3).');
  });

  it('checks bounds of timeout, retries and sync interval', () => {
    expect(sourceIssues({ ...lookup, timeoutMs: 100, retries: 9 }).map((i) => `${i.path}: ${i.message}`)).toEqual([
      'timeoutMs: Use at least 500 milliseconds.',
      'retries: Use at most 5 retries.',
    ]);
    expect(sourceIssues({ ...file, syncMinutes: 2 })).toEqual([{ path: 'syncMinutes', message: 'Use at least 5 minutes.' }]);
  });

  it('a mapping must say where the tier is, and paths must be paths', () => {
    expect(sourceIssues({ ...lookup, format: { kind: 'mapping', fields: { clv: 'data.ltv' } } })).toEqual([
      { path: 'format.fields.tier', message: 'Say where the tier is in the answer (e.g. data.tier): the sidebar shows a tier.' },
    ]);
    expect(sourceIssues({ ...lookup, format: { kind: 'mapping', fields: { tier: 'scores[0].tier', clv: 'data..ltv' } } })[0]?.path).toBe('format.fields.clv');
    expect(sourceIssues({ ...lookup, format: { kind: 'mapping', fields: { tier: 'scores[0].tier', ltv: 'x' } } })[0]?.message).toBe('Unknown field "ltv" (check the spelling).');
    expect(LookupServiceSourceSchema.parse({ ...lookup, format: { kind: 'mapping', fields: { tier: 'scores[0].tier' } } }).format).toEqual({
      kind: 'mapping',
      fields: { tier: 'scores[0].tier' },
    });
  });

  it('lists every problem at once: duplicate ids, unknown precedence ids, and field problems', () => {
    const errors = errorsOf(config([lookup, { ...lookup, name: '' }, { ...file, syncMinutes: 0 }], ['local', 'acme', 'local']));
    expect(errors).toEqual([
      { path: 'sources[1].name', message: 'This cannot be empty.' },
      { path: 'sources[2].syncMinutes', message: 'Use at least 5 minutes.' },
      { path: 'sources[1].id', message: 'The id "acme-api" is used twice (also by sources[0]); each source needs its own id.' },
      { path: 'precedence[1]', message: 'No source has the id "acme"; use one of: "local", "acme-api", "shared".' },
      { path: 'precedence[2]', message: '"local" is listed twice.' },
    ]);
  });

  it('reports duplicate ids and unknown precedence ids on an otherwise valid configuration too', () => {
    expect(errorsOf(config([lookup, { ...file, id: 'acme-api' }], ['shared']))).toEqual([
      { path: 'sources[1].id', message: 'The id "acme-api" is used twice (also by sources[0]); each source needs its own id.' },
      { path: 'precedence[0]', message: 'No source has the id "shared"; use one of: "local", "acme-api".' },
    ]);
  });

  it('reserves the id "local" and rejects another version', () => {
    expect(sourceIssues({ ...lookup, id: 'local' })[0]?.message).toMatch(/reserved/);
    expect(errorsOf({ ...config([]), version: 2 })).toEqual([{ path: 'version', message: 'Use 1.' }]);
    expect(errorsOf({ ...config([]), sources: [{ ...lookup, kind: 'ldap' }] })[0]).toEqual({ path: 'sources[0].kind', message: 'Use one of: "lookup-service", "score-file".' });
  });

  it('effective precedence: the listed order, then unlisted enabled sources, then local; disabled ones dropped', () => {
    const parsed = parseSourcesConfig(
      config(
        [
          { ...lookup, id: 'a' },
          { ...lookup, id: 'b', enabled: false },
          { ...file, id: 'c' },
          { ...file, id: 'd' },
        ],
        ['c', 'b', 'local'],
      ),
    );
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    expect(effectivePrecedence(parsed.config)).toEqual(['c', 'local', 'a', 'd']);
    expect(effectivePrecedence({ ...parsed.config, precedence: ['d'] })).toEqual(['d', 'a', 'c', 'local']);
  });
});

describe('public view (no secrets in pages or logs)', () => {
  const source = LookupServiceSourceSchema.parse({
    ...lookup,
    urlTemplate: 'https://api.example.com/c/{email}?api_key=K3Y-VALUE&fields=tier&token={id}',
    headers: [
      { name: 'Authorization', value: 'Bearer s3cr3t-token' },
      { name: 'X-Tenant', value: 'acme-tenant-7' },
    ],
  });

  it('hides every header value and secret query parameters, keeps the rest', () => {
    const view = publicView(source);
    const text = JSON.stringify(view);
    expect(text).not.toContain('s3cr3t-token');
    expect(text).not.toContain('acme-tenant-7');
    expect(text).not.toContain('K3Y-VALUE');
    expect(view.headers).toEqual([
      { name: 'Authorization', value: HIDDEN_VALUE },
      { name: 'X-Tenant', value: HIDDEN_VALUE },
    ]);
    expect(view.urlTemplate).toBe(`https://api.example.com/c/{email}?api_key=${HIDDEN_VALUE}&fields=tier&token={id}`);
    expect(view.name).toBe(source.name);
    // The original is untouched.
    expect(source.headers[0]?.value).toBe('Bearer s3cr3t-token');
  });

  it('hides the secrets of score files and of a whole configuration', () => {
    const shared = ScoreFileSourceSchema.parse({ ...file, url: 'https://files.example.com/s.csv?sig=abc123', headers: [{ name: 'X-Token', value: 'tok' }] });
    const all: SourcesConfig = { version: 1, sources: [source, shared], precedence: ['local'] };
    const text = JSON.stringify(publicConfig(all));
    expect(text).not.toMatch(/s3cr3t|tok"|abc123|K3Y/);
    expect(JSON.stringify(all)).toContain('abc123');
  });

  it('puts the secrets back into a source edited from its public view', () => {
    const edited = { ...publicView(source), name: 'Renamed', headers: [...publicView(source).headers, { name: 'X-New', value: 'new' }] };
    const restored = restoreSecrets(edited, source);
    expect(restored.headers).toEqual([...source.headers, { name: 'X-New', value: 'new' }]);
    expect(restored.urlTemplate).toBe(source.urlTemplate);
    expect(restored.name).toBe('Renamed');
    // A changed address keeps what was typed (the hidden value must then be re-entered).
    const moved = restoreSecrets({ ...edited, urlTemplate: 'https://api2.example.com/c/{email}' }, source);
    expect(moved.urlTemplate).toBe('https://api2.example.com/c/{email}');
  });

  it('leaves addresses without secret parameters as they are', () => {
    expect(hideSecretParams('https://a.example/x?email={email}&page=2#top')).toBe('https://a.example/x?email={email}&page=2#top');
    expect(hideSecretParams('https://a.example/x?access_token=abc#top')).toBe(`https://a.example/x?access_token=${HIDDEN_VALUE}#top`);
  });
});
