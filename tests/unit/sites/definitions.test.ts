// @vitest-environment happy-dom
/**
 * Site definitions as data (issue 17): the bundled definitions, the definitions file format (all or
 * nothing, problems named by file, site and key) and which definition each site uses (policy, then
 * the file, then the bundled one; an override only counts from the bundled version on).
 */
import { describe, expect, it } from 'vitest';
import {
  bundledDefinitions,
  effectiveOverrides,
  MAX_LISTED_PROBLEMS,
  parseSiteDefinitions,
  selectorData,
  SiteDefinitionSchema,
  type SiteDefinition,
} from '~/lib/sites/definitions';
import { compilesAsRegExp, isTree, PATHS_KEY } from '~/lib/sites/overrides';
import { SITE_ADAPTERS } from '~/lib/sites/registry';
import { zendesk, ZENDESK_SELECTORS } from '~/lib/sites/hosts/zendesk/adapter';

const BUNDLED = bundledDefinitions(SITE_ADAPTERS);

/**
 * Values of a definition outside `paths` that are not CSS selectors (regular expressions' sources or
 * text the adapter builds selectors from); the page holds their overrides to what they are (a
 * regular expression stays one). Every other text outside `paths` must parse as a CSS selector. Add a
 * key here only if it truly is not a selector; an entry for a key that no longer exists is ignored.
 */
const NOT_SELECTORS: Record<string, string[]> = {
  zoho: ['salutation'],
};

/** Every text of a selectors object with its dotted key and whether it sits under `paths`. */
function texts(tree: Record<string, unknown>, prefix = '', inPaths = false): { key: string; text: string; inPaths: boolean }[] {
  const out: { key: string; text: string; inPaths: boolean }[] = [];
  for (const [key, value] of Object.entries(tree)) {
    const name = prefix + key;
    const paths = inPaths || (prefix === '' && key === PATHS_KEY);
    if (isTree(value)) out.push(...texts(value, `${name}.`, paths));
    else for (const text of Array.isArray(value) ? value : [value]) out.push({ key: name, text: String(text), inPaths: paths });
  }
  return out;
}

function parsesAsCss(selector: string): boolean {
  try {
    document.createDocumentFragment().querySelector(selector);
    return true;
  } catch {
    return false;
  }
}

describe('the bundled definitions', () => {
  it('exist for every built-in site, as the adapter’s own selectors object (not a copy)', () => {
    expect([...BUNDLED.keys()].sort()).toEqual(SITE_ADAPTERS.map((a) => a.id).sort());
    expect(zendesk.definition?.selectors).toBe(ZENDESK_SELECTORS);
  });

  for (const definition of bundledDefinitions(SITE_ADAPTERS).values()) {
    it(`${definition.id}: passes the definition schema, its selectors parse as CSS and its path patterns compile`, () => {
      const data = { ...definition, selectors: selectorData(definition.selectors) };
      const parsed = SiteDefinitionSchema.safeParse(data);
      expect(parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([]);
      expect(Number.isInteger(definition.version) && definition.version >= 1).toBe(true);
      const notSelectors = NOT_SELECTORS[definition.id] ?? [];
      const bad = texts(data.selectors)
        .filter(({ key, text, inPaths }) => (inPaths ? !compilesAsRegExp(text) : !notSelectors.includes(key) && !parsesAsCss(text)))
        .map(({ key, text }) => `${key}: ${text}`);
      expect(bad).toEqual([]);
      // The bundled copy is a valid override of itself: the file format can say everything the adapter holds.
      expect(parseSiteDefinitions({ format: 1, sites: { [definition.id]: { version: definition.version, selectors: data.selectors } } }, BUNDLED, 'self')).toMatchObject({ ok: true });
    });
  }

  it('the schema refuses what is not a definition', () => {
    const bad = (selectors: unknown, version: unknown = 1) => SiteDefinitionSchema.safeParse({ id: 'x', version, selectors }).success;
    expect(bad({ a: 'div' })).toBe(true);
    expect(bad({ a: '' })).toBe(false);
    expect(bad({ a: [] })).toBe(false);
    expect(bad({ a: 3 })).toBe(false);
    expect(bad({ a: 'div' }, 0)).toBe(false);
    expect(bad({ a: 'div' }, 1.5)).toBe(false);
    expect(bad({ paths: { ticket: '^/t/(\\d+)$' } })).toBe(true);
    expect(bad({ paths: { ticket: '^/t/(\\d+$' } })).toBe(false);
    expect(bad({ paths: { ticket: ['^/a$', '^/b$'] } })).toBe(true);
  });
});

// A definition of our own, so the format's rules are tested whatever the sites' selectors become.
const TEST_SITE: SiteDefinition = {
  id: 'testdesk',
  version: 2,
  selectors: {
    workspace: '[data-test-id="ticket-workspace"]',
    email: ['a[href^="mailto:"]', '[data-test-id="email"]'],
    recordName: { contact: ['h1'], company: ['h2'] },
    fieldPrefix: 'sfdc:RecordField.',
    paths: { ticket: '^/agent/tickets/(\\d+)/?$', user: ['^/agent/users/(\\d+)$'] },
  },
};
const TEST_BUNDLED = new Map([[TEST_SITE.id, TEST_SITE], ['zendesk', BUNDLED.get('zendesk')!]]);
const FILE = 'https://files.example.com/centric-sites.json';
const file = (sites: Record<string, unknown>) => JSON.stringify({ format: 1, sites });

describe('a definitions file', () => {
  it('is read whole: every site’s override, as written', () => {
    const parsed = parseSiteDefinitions(
      file({
        testdesk: { version: 2, selectors: { workspace: '[data-test-id="ticket-pane"]', recordName: { contact: ['h1.name'] }, paths: { ticket: '^/agent/t/(\\d+)$' } } },
        zendesk: { version: 1, selectors: { userEmail: 'a.email' } },
      }),
      TEST_BUNDLED,
      FILE,
    );
    expect(parsed).toEqual({
      ok: true,
      sites: {
        testdesk: { version: 2, selectors: { workspace: '[data-test-id="ticket-pane"]', recordName: { contact: ['h1.name'] }, paths: { ticket: '^/agent/t/(\\d+)$' } } },
        zendesk: { version: 1, selectors: { userEmail: 'a.email' } },
      },
    });
    expect(parseSiteDefinitions(`\ufeff${file({})}`, TEST_BUNDLED, FILE)).toEqual({ ok: true, sites: {} });
  });

  it('names the file, the site and the key of each problem: unknown site, unknown key, wrong shape, broken pattern', () => {
    const parsed = parseSiteDefinitions(
      file({
        freshbook: { version: 1, selectors: {} },
        testdesk: {
          version: 2,
          selectors: {
            workspaces: 'section',
            email: 'a.email',
            workspace: ['section'],
            recordName: { contact: 'h1', phone: ['x'] },
            fieldPrefix: 7,
            paths: { ticket: '^/agent/tickets/(\\d+$', user: ['^/ok$', '(?<'] },
          },
        },
      }),
      TEST_BUNDLED,
      FILE,
    );
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors).toEqual([
      `${FILE}: site "freshbook": Centric has no such site; use one of: "testdesk", "zendesk".`,
      `${FILE}: site "testdesk", key "workspaces": the bundled definition has no such key; use one of: "workspace", "email", "recordName", "fieldPrefix", "paths".`,
      `${FILE}: site "testdesk", key "email": use a list of selectors, as in the bundled definition (found text).`,
      `${FILE}: site "testdesk", key "workspace": use one selector as text, as in the bundled definition (found a list).`,
      `${FILE}: site "testdesk", key "recordName.contact": use a list of selectors, as in the bundled definition (found text).`,
      `${FILE}: site "testdesk", key "recordName.phone": the bundled definition has no such key; use one of: "recordName.contact", "recordName.company".`,
      `${FILE}: site "testdesk", key "fieldPrefix": Use text here (found a whole number).`,
      `${FILE}: site "testdesk", key "paths.ticket": This is not a valid regular expression (a URL path pattern).`,
      `${FILE}: site "testdesk", key "paths.user[1]": This is not a valid regular expression (a URL path pattern).`,
    ]);
    expect(parsed.errorCount).toBe(9);
  });

  it('is all or nothing: one bad key among good sites rejects the whole file', () => {
    const parsed = parseSiteDefinitions(
      file({
        zendesk: { version: 1, selectors: { userEmail: 'a.email', userName: 'h2.name' } },
        testdesk: { version: 2, selectors: { workspace: 'section', emial: ['a'] } },
      }),
      TEST_BUNDLED,
      FILE,
    );
    expect(parsed).toEqual({ ok: false, errorCount: 1, errors: [expect.stringMatching(/^https:\/\/files\.example\.com\/centric-sites\.json: site "testdesk", key "emial": the bundled definition has no such key/)] });
    expect(parsed).not.toHaveProperty('sites');
  });

  it('says what is wrong with the envelope: JSON, format, version, selectors', () => {
    expect(parseSiteDefinitions('{"format": 1, "sites": {', TEST_BUNDLED, FILE)).toMatchObject({ ok: false, errors: [expect.stringMatching(/^https:\/\/files\.example\.com\/centric-sites\.json: not valid JSON: line 1, column \d+/)] });
    expect(parseSiteDefinitions('', TEST_BUNDLED, FILE)).toMatchObject({ ok: false, errors: [`${FILE}: the file is empty.`] });
    expect(parseSiteDefinitions('[1]', TEST_BUNDLED, FILE)).toMatchObject({ ok: false, errors: [`${FILE}: a definitions file is an object {"format": 1, "sites": {…}} (found a list).`] });
    expect(parseSiteDefinitions({ format: 2, sites: {} }, TEST_BUNDLED, FILE)).toMatchObject({ ok: false, errors: [expect.stringContaining('this file is format 2; this version of Centric reads format 1')] });
    expect(parseSiteDefinitions({ sites: {}, extra: 1 }, TEST_BUNDLED, FILE)).toMatchObject({ ok: false, errors: [
        `${FILE}: format: Write "format": 1 (the site definitions file format this version of Centric reads).`,
        `${FILE}: Unknown field "extra" (check the spelling).`,
      ] });
    expect(parseSiteDefinitions({ format: 1, sites: { testdesk: { selectors: {} } } }, TEST_BUNDLED, FILE)).toMatchObject({
      ok: false,
      errors: [`${FILE}: site "testdesk", version: Use a whole number (the version of the bundled definition this override was written for, or later).`],
    });
    expect(parseSiteDefinitions({ format: 1, sites: { testdesk: { version: 0, selectors: [] } } }, TEST_BUNDLED, FILE)).toMatchObject({
      ok: false,
      errors: [`${FILE}: site "testdesk", version: Use a version of at least 1.`, `${FILE}: site "testdesk", selectors: Use an object of keys and selectors.`],
    });
    expect(parseSiteDefinitions({ format: 1, sites: { testdesk: 'x' } }, TEST_BUNDLED, FILE)).toMatchObject({ ok: false, errors: [`${FILE}: site "testdesk": use an object {"version": 2, "selectors": {…}} (found text).`] });
    expect(parseSiteDefinitions({ format: 1, sites: { testdesk: { version: 2, selectors: { workspace: '  ' } } } }, TEST_BUNDLED, 'Team policy (siteDefinitions)')).toMatchObject({
      ok: false,
      errors: ['Team policy (siteDefinitions): site "testdesk", key "workspace": This cannot be empty.'],
    });
  });

  it('lists at most MAX_LISTED_PROBLEMS problems and counts the rest', () => {
    const selectors = Object.fromEntries(Array.from({ length: 70 }, (_, i) => [`k${i}`, 'x']));
    const parsed = parseSiteDefinitions({ format: 1, sites: { testdesk: { version: 2, selectors } } }, TEST_BUNDLED, FILE);
    expect(parsed).toMatchObject({ ok: false, errorCount: 70 });
    if (!parsed.ok) {
      expect(parsed.errors).toHaveLength(MAX_LISTED_PROBLEMS + 1);
      expect(parsed.errors.at(-1)).toBe('…and 20 more problems.');
    }
  });
});

describe('which definition each site uses', () => {
  const policy = { source: 'policy' as const, sites: { testdesk: { version: 2, selectors: { workspace: 'from-policy' } } } };
  const url = { source: 'url' as const, sites: { testdesk: { version: 3, selectors: { workspace: 'from-url' } }, zendesk: { version: 1, selectors: { userEmail: 'a' } } } };

  it('the policy’s override, then the file’s, then the bundled definition', () => {
    const { overrides, hosts } = effectiveOverrides(TEST_BUNDLED, [policy, url]);
    expect(overrides).toEqual({ testdesk: policy.sites.testdesk, zendesk: url.sites.zendesk });
    expect(hosts.testdesk).toEqual({ source: 'policy', version: 2, bundledVersion: 2, notes: ['The override from the definitions file (version 3) is not used: the one from the team policy comes first.'] });
    expect(hosts.zendesk).toEqual({ source: 'url', version: 1, bundledVersion: 1, notes: [] });
    expect(effectiveOverrides(TEST_BUNDLED, [{ source: 'policy', sites: {} }, url]).hosts.testdesk).toMatchObject({ source: 'url', version: 3 });
    expect(effectiveOverrides(TEST_BUNDLED, [])).toEqual({
      overrides: {},
      hosts: { testdesk: { source: 'bundled', version: 2, bundledVersion: 2, notes: [] }, zendesk: { source: 'bundled', version: 1, bundledVersion: 1, notes: [] } },
    });
  });

  it('an override written for an older definition than the bundled one is passed over, and said so', () => {
    const stalePolicy = { source: 'policy' as const, sites: { testdesk: { version: 1, selectors: { workspace: 'old' } } } };
    const { overrides, hosts } = effectiveOverrides(TEST_BUNDLED, [stalePolicy, url]);
    expect(overrides.testdesk).toEqual(url.sites.testdesk);
    expect(hosts.testdesk).toMatchObject({ source: 'url', version: 3 });
    expect(hosts.testdesk!.notes).toEqual([
      'The override from the team policy (version 1) is not used: this release of Centric bundles version 2, which is newer. Update the override to version 2 if it is still needed.',
    ]);
    const bothStale = effectiveOverrides(TEST_BUNDLED, [stalePolicy, { source: 'url', sites: { testdesk: { version: 1, selectors: {} } } }]);
    expect(bothStale.overrides).toEqual({});
    expect(bothStale.hosts.testdesk).toMatchObject({ source: 'bundled', version: 2 });
    expect(bothStale.hosts.testdesk!.notes).toHaveLength(2);
  });
});
