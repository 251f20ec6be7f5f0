/**
 * Site definitions as data (issue 17; docs/architecture.md "Site definitions"): each built-in site's
 * selectors and URL path patterns are one versioned definition, bundled with the release, that a
 * team can override without a release, through its policy (storage.managed `siteDefinitions`) or a
 * definitions file at an address it chooses (synced by the background like a scores file).
 *
 * A definition is `{ id, version, selectors }`: `selectors` is the adapter's `<HOST>_SELECTORS` object
 * (CSS selectors as text or lists of text, possibly nested one level; URL path patterns as regular
 * expressions' sources under `paths`). A definitions FILE is JSON:
 *
 * ```json
 * { "format": 1,
 *   "sites": { "zendesk": { "version": 1, "selectors": { "userEmail": "[data-test-id=\"requester-email\"]" } } } }
 * ```
 *
 * Validation (here, with zod, in the background and the options page; never in a content script) is
 * all or nothing: an unknown site or key, a value of the wrong shape, or a path pattern that is not a
 * regular expression rejects the whole file, with every problem named by file, site and key. CSS
 * selectors are checked where there is a CSS engine: in the page (lib/sites/overrides.ts), key by key.
 *
 * Precedence, per site: the policy's definition, then the file's, then the bundled one; an override
 * counts only if its version is at least the bundled definition's (a newer release wins over an
 * override written for an older one).
 */
import { z } from 'zod';
import { describeValue, formatPath, locateJsonError, plainMessage } from '../rules/transfer';
import { compilesAsRegExp, isTree, PATHS_KEY, type SiteOverride } from './overrides';
import type { SiteAdapter } from './types';

/** The definitions file format this code reads. */
export const DEFINITIONS_FORMAT = 1;
/** Longest selector or path pattern. */
export const MAX_SELECTOR_CHARS = 2000;
/** Most items in one list of selectors. */
export const MAX_LIST_ITEMS = 50;
/** Largest definitions file read. */
export const MAX_DEFINITIONS_CHARS = 1_000_000;
/** Most problems listed for one file (the rest are counted). */
export const MAX_LISTED_PROBLEMS = 50;

/** How often the definitions file is checked for a new version. */
export const SITE_DEFINITIONS_SYNC_MINUTES = 60;

/** One site's definition. */
export interface SiteDefinition {
  id: string;
  version: number;
  selectors: Readonly<Record<string, unknown>>;
}

/** Where an override in effect comes from: the team policy, the team service (issue 19) or the definitions file at an address. */
export type OverrideSource = 'policy' | 'team' | 'url';

/** The bundled definition of every built-in site that has one, by site id. */
export function bundledDefinitions(adapters: readonly SiteAdapter[]): Map<string, SiteDefinition> {
  const out = new Map<string, SiteDefinition>();
  for (const adapter of adapters) {
    if (adapter.definition) out.set(adapter.id, { id: adapter.id, version: adapter.definition.version, selectors: adapter.definition.selectors });
  }
  return out;
}

/** The data of a selectors object: values that are code (functions) left out; they cannot be overridden. */
export function selectorData(selectors: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(selectors)) {
    if (typeof value === 'function') continue;
    out[key] = isTree(value) ? selectorData(value) : Array.isArray(value) ? [...value] : value;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Schemas

const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;
const SITE_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** One selector (or other text of a definition). */
const textSchema = z
  .string()
  .max(MAX_SELECTOR_CHARS, `Use at most ${MAX_SELECTOR_CHARS} characters.`)
  .refine((t) => t.trim() !== '', 'This cannot be empty.')
  .refine((t) => !CONTROL_CHARS.test(t), 'A selector cannot contain line breaks or control characters.');
const listSchema = z.array(textSchema).min(1, 'Add at least one selector.').max(MAX_LIST_ITEMS, `Use at most ${MAX_LIST_ITEMS} items.`);
/** One URL path pattern: a regular expression's source. */
const patternSchema = textSchema.refine(compilesAsRegExp, 'This is not a valid regular expression (a URL path pattern).');
const patternListSchema = z.array(patternSchema).min(1, 'Add at least one pattern.').max(MAX_LIST_ITEMS, `Use at most ${MAX_LIST_ITEMS} items.`);

type SelectorTree = { [key: string]: string | string[] | SelectorTree };
const treeSchema: z.ZodType<SelectorTree> = z.lazy(() => z.record(z.string(), z.union([textSchema, listSchema, treeSchema])));

/**
 * The shape of any site definition: a site id, a whole version of at least 1, and selectors (text,
 * lists of text, objects of those; `paths` holds regular expressions' sources). Every bundled
 * definition passes it (tests/unit/sites/definitions.test.ts), and every override is checked against
 * its site's bundled definition, key by key (parseSiteDefinitions).
 */
export const SiteDefinitionSchema = z.strictObject({
  id: z.string().regex(SITE_ID),
  version: z.int().min(1),
  selectors: z
    .object({ [PATHS_KEY]: z.optional(z.record(z.string(), z.union([patternSchema, patternListSchema]))) })
    .catchall(z.union([textSchema, listSchema, treeSchema])),
});

const FileSchema = z.strictObject({
  format: z.literal(DEFINITIONS_FORMAT, { error: `Write "format": ${DEFINITIONS_FORMAT} (the site definitions file format this version of Centric reads).` }),
  sites: z.record(z.string(), z.unknown(), { error: 'Write "sites": {…}, an object of site ids and their overrides.' }),
});

const SiteEntrySchema = z.strictObject({
  version: z.int('Use a whole number (the version of the bundled definition this override was written for, or later).').min(1, 'Use a version of at least 1.'),
  selectors: z.record(z.string(), z.unknown(), { error: (issue) => (issue.input === undefined ? 'This is required: the keys this override replaces.' : 'Use an object of keys and selectors.') }),
});

// ---------------------------------------------------------------------------------------------
// Parsing a definitions file (or the policy's definitions)

/** A definitions file read: every site's override, or every problem (named by file, site and key). */
export type ParsedSiteDefinitions = { ok: true; sites: Record<string, SiteOverride> } | { ok: false; errors: string[]; errorCount: number };

/** Collects problems, listing the first MAX_LISTED_PROBLEMS. */
class Problems {
  readonly listed: string[] = [];
  count = 0;
  constructor(private readonly where: string) {}
  add(message: string): void {
    this.count++;
    if (this.listed.length < MAX_LISTED_PROBLEMS) this.listed.push(`${this.where}: ${message}`);
  }
  result(sites: Record<string, SiteOverride>): ParsedSiteDefinitions {
    if (this.count === 0) return { ok: true, sites };
    const errors = [...this.listed];
    if (this.count > errors.length) errors.push(`…and ${(this.count - errors.length).toLocaleString('en-US')} more problems.`);
    return { ok: false, errors, errorCount: this.count };
  }
}

const issueText = (issue: z.core.$ZodIssue) => issue.message;

/**
 * Reads a definitions file (its JSON text, or the parsed value, e.g. the policy's object) against the
 * bundled definitions: all of it, or every problem. `where` names the file in messages (its address,
 * or "team policy (siteDefinitions)"): `<where>: site "zendesk", key "userEmail": …`.
 */
export function parseSiteDefinitions(input: unknown, bundled: ReadonlyMap<string, SiteDefinition>, where: string): ParsedSiteDefinitions {
  const problems = new Problems(where);
  let value = input;
  if (typeof input === 'string') {
    const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
    if (text.trim() === '') {
      problems.add('the file is empty.');
      return problems.result({});
    }
    if (text.length > MAX_DEFINITIONS_CHARS) {
      problems.add(`the file is larger than ${MAX_DEFINITIONS_CHARS.toLocaleString('en-US')} characters; a definitions file holds selectors only.`);
      return problems.result({});
    }
    try {
      value = JSON.parse(text);
    } catch (error) {
      const at = locateJsonError(text);
      problems.add(at ? `not valid JSON: line ${at.line}, column ${at.column}: ${at.message}` : `not valid JSON (${(error as Error).message}).`);
      return problems.result({});
    }
  }
  if (isTree(value) && typeof value.format === 'number' && value.format > DEFINITIONS_FORMAT) {
    problems.add(`this file is format ${value.format}; this version of Centric reads format ${DEFINITIONS_FORMAT}. Update Centric, or publish a format ${DEFINITIONS_FORMAT} file.`);
    return problems.result({});
  }
  const file = FileSchema.safeParse(value, { error: plainMessage });
  if (!file.success) {
    for (const issue of file.error.issues) {
      const path = formatPath(issue.path);
      problems.add(`${path ? `${path}: ` : ''}${path === '' && issue.code === 'invalid_type' ? `a definitions file is an object {"format": ${DEFINITIONS_FORMAT}, "sites": {…}} (found ${describeValue(value)}).` : issueText(issue)}`);
    }
    return problems.result({});
  }
  const known = [...bundled.keys()].map((id) => `"${id}"`).join(', ');
  const sites: Record<string, SiteOverride> = {};
  for (const [id, entry] of Object.entries(file.data.sites)) {
    const definition = bundled.get(id);
    if (!definition) {
      problems.add(`site "${id}": Centric has no such site; use one of: ${known}.`);
      continue;
    }
    const parsed = SiteEntrySchema.safeParse(entry, { error: plainMessage });
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const path = formatPath(issue.path);
        problems.add(`site "${id}"${path ? `, ${path}` : ''}: ${issue.code === 'invalid_type' && issue.path.length === 0 ? `use an object {"version": ${definition.version}, "selectors": {…}} (found ${describeValue(entry)}).` : issueText(issue)}`);
      }
      continue;
    }
    const selectors = checkKeys(selectorData(definition.selectors), parsed.data.selectors, '', false, (key, message) => problems.add(`site "${id}", key "${key}": ${message}`));
    sites[id] = { version: parsed.data.version, selectors };
  }
  return problems.result(sites);
}

/**
 * The override's keys checked against the bundled data of the same level: each must exist there and
 * have its shape (text, a list of text, an object of keys); under `paths` every text must compile as
 * a regular expression. Returns the values read (trimmed of nothing: selectors are kept as written).
 */
function checkKeys(bundled: Record<string, unknown>, over: Record<string, unknown>, prefix: string, inPaths: boolean, problem: (key: string, message: string) => void): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const keys = Object.keys(bundled);
  for (const [key, value] of Object.entries(over)) {
    const name = prefix + key;
    if (!Object.hasOwn(bundled, key)) {
      problem(name, `the bundled definition has no such key; use one of: ${keys.map((k) => `"${prefix}${k}"`).join(', ')}.`);
      continue;
    }
    const original = bundled[key];
    const paths = inPaths || (prefix === '' && key === PATHS_KEY);
    if (isTree(original)) {
      if (!isTree(value)) problem(name, `use an object of keys (${Object.keys(original).map((k) => `"${k}"`).join(', ')}), as in the bundled definition (found ${describeValue(value)}).`);
      else out[key] = checkKeys(original, value, `${name}.`, paths, problem);
      continue;
    }
    const schema = Array.isArray(original) ? (paths ? patternListSchema : listSchema) : paths ? patternSchema : textSchema;
    if (Array.isArray(original) !== Array.isArray(value) && (typeof value === 'string' || Array.isArray(value))) {
      problem(name, Array.isArray(original) ? `use a list of ${paths ? 'patterns' : 'selectors'}, as in the bundled definition (found text).` : `use one ${paths ? 'pattern' : 'selector'} as text, as in the bundled definition (found a list).`);
      continue;
    }
    const parsed = schema.safeParse(value, { error: plainMessage });
    if (parsed.success) out[key] = parsed.data;
    else for (const issue of parsed.error.issues) problem(issue.path.length > 0 ? `${name}${formatPath(['', ...issue.path])}` : name, issueText(issue));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Which definition each site uses

/** What a site uses: the bundled definition or an override, and why an override was passed over. */
export interface HostDefinitionStatus {
  source: 'bundled' | OverrideSource;
  /** The version in use (the override's, or the bundled one's). */
  version: number;
  bundledVersion: number;
  /** Overrides not used, in words ("The team policy's override (version 1) is not used: …"). */
  notes: string[];
}

/** The name of an override's source, in words. */
export function overrideSourceName(source: OverrideSource): string {
  return source === 'policy' ? 'the team policy' : source === 'team' ? 'the team service' : 'the definitions file';
}

/**
 * The overrides in effect, per site: the first layer (in the order given: the policy, then the file)
 * with a definition for the site whose version is at least the bundled one's; else the bundled
 * definition. An older override is passed over and said so: a release that brings newer selectors
 * wins over an override written for older ones.
 */
export function effectiveOverrides(
  bundled: ReadonlyMap<string, SiteDefinition>,
  layers: readonly { source: OverrideSource; sites: Readonly<Record<string, SiteOverride>> }[],
): { overrides: Record<string, SiteOverride>; hosts: Record<string, HostDefinitionStatus> } {
  const overrides: Record<string, SiteOverride> = {};
  const hosts: Record<string, HostDefinitionStatus> = {};
  for (const [id, definition] of bundled) {
    const status: HostDefinitionStatus = { source: 'bundled', version: definition.version, bundledVersion: definition.version, notes: [] };
    for (const layer of layers) {
      const override = layer.sites[id];
      if (!override) continue;
      if (override.version < definition.version) {
        status.notes.push(
          `The override from ${overrideSourceName(layer.source)} (version ${override.version}) is not used: this release of Centric bundles version ${definition.version}, which is newer. Update the override to version ${definition.version} if it is still needed.`,
        );
        continue;
      }
      if (status.source === 'bundled') {
        overrides[id] = override;
        status.source = layer.source;
        status.version = override.version;
      } else {
        status.notes.push(`The override from ${overrideSourceName(layer.source)} (version ${override.version}) is not used: the one from ${overrideSourceName(status.source)} comes first.`);
      }
    }
    hosts[id] = status;
  }
  return { overrides, hosts };
}

// ---------------------------------------------------------------------------------------------
// What the background stores

/** The last valid definitions file downloaded, kept while a newer one is broken or unreachable. */
export interface KeptDefinitionsFile {
  url: string;
  sites: Record<string, SiteOverride>;
  /** When this copy was downloaded. */
  fetchedAt: number;
  etag?: string | undefined;
  lastModified?: string | undefined;
}

/** What the background last did about site definitions, for Options → Sites. */
export interface SiteDefinitionsStatus {
  /** The definitions file address in effect, and who set it. */
  url?: string;
  urlFrom?: 'policy' | 'options';
  /** The last download attempt and its outcome. */
  checkedAt?: number;
  outcome?: 'changed' | 'unchanged' | 'failed';
  /** When the file copy in use was downloaded. */
  fetchedAt?: number;
  /** The last problem with the file (download or validation), in words; absent after a good check. */
  error?: string;
  /** Every problem of the last rejected file, by site and key. */
  problems: string[];
  /** Problems with the team policy's site definitions (its definitions are then not used). */
  policyProblems: string[];
  /** The definition each built-in site uses. */
  hosts: Record<string, HostDefinitionStatus>;
}

const HostStatusSchema = z.object({
  source: z.enum(['bundled', 'policy', 'team', 'url']),
  version: z.number(),
  bundledVersion: z.number(),
  notes: z.array(z.string()),
});
const StatusSchema = z.object({
  url: z.string().optional(),
  urlFrom: z.enum(['policy', 'options']).optional(),
  checkedAt: z.number().optional(),
  outcome: z.enum(['changed', 'unchanged', 'failed']).optional(),
  fetchedAt: z.number().optional(),
  error: z.string().optional(),
  problems: z.array(z.string()),
  policyProblems: z.array(z.string()),
  hosts: z.record(z.string(), HostStatusSchema),
});
const OverrideSchema = z.object({ version: z.int().min(1), selectors: z.record(z.string(), z.unknown()) });
const KeptSchema = z.object({
  url: z.string(),
  sites: z.record(z.string(), OverrideSchema),
  fetchedAt: z.number(),
  etag: z.string().optional(),
  lastModified: z.string().optional(),
});

/** The stored status, or undefined when there is none or it does not read. */
export function readDefinitionsStatus(value: unknown): SiteDefinitionsStatus | undefined {
  const parsed = StatusSchema.safeParse(value);
  return parsed.success ? (parsed.data as SiteDefinitionsStatus) : undefined;
}

/** The stored copy of the definitions file, or undefined when there is none or it does not read. */
export function readKeptFile(value: unknown): KeptDefinitionsFile | undefined {
  const parsed = KeptSchema.safeParse(value);
  return parsed.success ? (parsed.data as KeptDefinitionsFile) : undefined;
}

/** What one site uses, in words: "bundled v1", "override v2 from the team policy". */
export function hostDefinitionText(status: HostDefinitionStatus): string {
  if (status.source === 'bundled') return `bundled v${status.version}`;
  return `override v${status.version} from ${overrideSourceName(status.source)} (bundled: v${status.bundledVersion})`;
}
