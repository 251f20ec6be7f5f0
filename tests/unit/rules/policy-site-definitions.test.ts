/**
 * The team policy's site definitions keys (issue 17): `siteDefinitions` (a definitions file as JSON
 * text, or the object where the browser does not check the schema) and `siteDefinitionsUrl`, as
 * declared in managed-schema.json and documented in docs/managed-policy.md.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import managedSchema from '../../../assets/public/managed-schema.json';
import { parseManagedPolicy } from '~/lib/rules/policy';
import { bundledDefinitions, parseSiteDefinitions } from '~/lib/sites/definitions';
import { SITE_ADAPTERS } from '~/lib/sites/registry';

const BUNDLED = bundledDefinitions(SITE_ADAPTERS);

describe('the site definitions keys of the team policy', () => {
  it('are declared in managed-schema.json as text (Chrome cannot declare a value that is text or a list)', () => {
    const properties = (managedSchema as { properties: Record<string, { type: string }> }).properties;
    expect(properties.siteDefinitions?.type).toBe('string');
    expect(properties.siteDefinitionsUrl?.type).toBe('string');
  });

  it('passes the definitions through (checked against the bundled ones in the background) and checks the address', () => {
    const definitions = { format: 1, sites: {} };
    expect(parseManagedPolicy({ siteDefinitions: definitions, siteDefinitionsUrl: ' https://files.example.com/sites.json ' })).toEqual({
      policy: { siteDefinitions: definitions, siteDefinitionsUrl: 'https://files.example.com/sites.json' },
      errors: [],
    });
    expect(parseManagedPolicy({ siteDefinitionsUrl: 'http://files.example.com/sites.json', lockRules: true })).toEqual({
      policy: { lockRules: true },
      errors: ['siteDefinitionsUrl: Use https:// (plain http:// is only allowed for 127.0.0.1 and localhost, on this computer). The address in the managed policy is ignored until this is fixed.'],
    });
    expect(parseManagedPolicy({ siteDefinitionsUrl: 7 }).errors).toEqual(['siteDefinitionsUrl: Use text: the address of a site definitions file. The address in the managed policy is ignored until this is fixed.']);
  });

  it('the examples in docs/managed-policy.md are valid, and say the same as the e2e test’s definitions file', () => {
    const doc = readFileSync(new URL('../../../docs/managed-policy.md', import.meta.url), 'utf8');
    const section = doc.slice(doc.indexOf('## Site definitions (issue 17)'));
    const blocks = [...section.matchAll(/```json\n([\s\S]*?)\n```/g)].map((m) => JSON.parse(m[1]!) as Record<string, unknown>);
    expect(blocks).toHaveLength(2);
    const policy = (blocks[0] as { '3rdparty': { extensions: Record<string, Record<string, unknown>> } })['3rdparty'].extensions['<centric extension id>']!;
    const parsed = parseManagedPolicy(policy);
    expect(parsed.errors).toEqual([]);
    expect(typeof parsed.policy.siteDefinitions).toBe('string');
    const fromPolicy = parseSiteDefinitions(parsed.policy.siteDefinitions, BUNDLED, 'policy');
    const fromFile = parseSiteDefinitions(blocks[1], BUNDLED, 'file');
    expect(fromPolicy).toMatchObject({ ok: true });
    expect(fromPolicy).toEqual(fromFile);
    const fixture = JSON.parse(readFileSync(new URL('../../fixtures/site-definitions/zendesk-renamed-layout.json', import.meta.url), 'utf8')) as unknown;
    expect(parseSiteDefinitions(fixture, BUNDLED, 'file')).toEqual(fromFile);
  });
});
