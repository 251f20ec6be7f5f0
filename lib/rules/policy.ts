/**
 * The team policy: an administrator sets treatment rules (and tiers) for everyone through the
 * browser's managed storage (chrome.storage.managed / browser.storage.managed), and can lock them so
 * people cannot change them in the options page. The keys are declared in assets/public/managed-schema.json (the
 * manifest's storage.managed_schema); the extension reads them with storage.managed.get().
 *
 * Keys:
 * - rules: a rule set exactly as exported from the options page ({"format": "centric-rules", …}); the
 *   exported JSON text as a string is accepted too (handy where a policy value must be a string).
 * - lockRules: true = people use the policy's rules (or, without `rules`, their own) and cannot edit them.
 * - tiers: a tier configuration (parsed by lib/tiers, passed through untouched here).
 * - lockTiers: true = people cannot change the tiers.
 * - siteDefinitions: a site definitions file (lib/sites/definitions.ts; docs/managed-policy.md), as its
 *   JSON text (Chrome's policy schema cannot declare its values, which are text or lists) or, where
 *   the browser does not check the schema (Firefox's policies.json), as the object itself. Checked by
 *   lib/sites/definitions.ts in the background; passed through untouched here.
 * - siteDefinitionsUrl: the address of a site definitions file, synced by the background; replaces the
 *   one set in Options → Sites.
 * - teamUrl: the team service's address (issue 19; docs/team.md): everyone connects to it, and Options →
 *   Team shows it without letting it be changed.
 * - teamToken: optionally, the personal token to use with it (else each person pastes their own in
 *   Options → Team). A token in a policy is shared by everyone the policy reaches: prefer one per person.
 *
 * Example policy (Chrome on Linux, /etc/opt/chrome/policies/managed/centric.json; on Windows and macOS
 * the same keys go under the extension's 3rdparty policy; Firefox: policies.json
 * "3rdparty" → "Extensions" → the extension id):
 *
 * {
 *   "3rdparty": {
 *     "extensions": {
 *       "<centric extension id>": {
 *         "lockRules": true,
 *         "lockTiers": false,
 *         "rules": {
 *           "format": "centric-rules",
 *           "version": 1,
 *           "rules": [
 *             {
 *               "id": "enterprise-accounts",
 *               "name": "Enterprise accounts: named account manager",
 *               "enabled": true,
 *               "order": 5,
 *               "reason": "Our enterprise accounts carry most of the value: they always get their account manager.",
 *               "conditions": {
 *                 "kind": "all",
 *                 "conditions": [
 *                   { "kind": "field", "field": "domain", "op": "contains", "text": "bigcorp.com" },
 *                   { "kind": "metric", "metric": "clv", "op": ">=", "value": 10000 }
 *                 ]
 *               },
 *               "treatment": {
 *                 "title": "Named account manager",
 *                 "guidance": "Loop in the account manager before replying; answer within the hour.",
 *                 "priority": "urgent",
 *                 "responseTarget": { "amount": 1, "unit": "hours" },
 *                 "actions": {
 *                   "links": [{ "label": "Open in CRM", "url": "https://crm.example.com/search?q={{email}}" }],
 *                   "snippets": [{ "label": "Acknowledge", "text": "Hi {{firstName}}, your account manager is on it." }],
 *                   "tags": ["enterprise"]
 *                 },
 *                 "color": "#1d4ed8"
 *               }
 *             },
 *             {
 *               "id": "everyone-else",
 *               "name": "Everyone else: standard service",
 *               "enabled": true,
 *               "order": 100,
 *               "conditions": { "kind": "all", "conditions": [] },
 *               "treatment": { "title": "Standard service", "guidance": "Solve the issue well and efficiently.", "color": "#475569" }
 *             }
 *           ]
 *         }
 *       }
 *     }
 *   }
 * }
 *
 * A broken part of the policy never throws and never half-applies: when `rules` is invalid, the rules
 * part (`rules` and `lockRules`) is ignored and its problems are listed; the tiers part stands on its
 * own. A policy that is not an object at all gives an empty policy.
 */
import { z } from 'zod';
import { addressProblems } from '../sources/url';
import { teamTokenProblems, teamUrlProblems } from '../team/connection';
import { type Rule, RuleSetSchema } from './schema';
import { parseRuleSet, parseRuleSetValue } from './transfer';

/** The managed policy's keys (all optional). */
export const ManagedPolicySchema = z.object({
  rules: RuleSetSchema.optional(),
  lockRules: z.boolean().optional(),
  tiers: z.unknown().optional(),
  lockTiers: z.boolean().optional(),
  siteDefinitions: z.unknown().optional(),
  siteDefinitionsUrl: z.string().optional(),
  teamUrl: z.string().optional(),
  teamToken: z.string().optional(),
});

export type ManagedPolicy = z.output<typeof ManagedPolicySchema>;

/** The policy keys, as declared in managed-schema.json. */
export const POLICY_KEYS = ['rules', 'lockRules', 'tiers', 'lockTiers', 'siteDefinitions', 'siteDefinitionsUrl', 'teamUrl', 'teamToken'] as const;

/** Reads the managed storage contents; never throws. Problems come back as plain sentences. */
export function parseManagedPolicy(raw: unknown): { policy: ManagedPolicy; errors: string[] } {
  if (raw === undefined || raw === null) return { policy: {}, errors: [] };
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    return { policy: {}, errors: ['The managed policy is not an object of settings; it is ignored.'] };
  }
  const record = raw as Record<string, unknown>;
  const policy: ManagedPolicy = {};
  const errors: string[] = [];

  // The rules part: `rules` and `lockRules` stand or fall together.
  const ruleErrors: string[] = [];
  let rules: Rule[] | undefined;
  if (record.rules !== undefined) {
    const result = typeof record.rules === 'string' ? parseRuleSet(record.rules) : parseRuleSetValue(record.rules);
    if (result.ok) rules = result.rules;
    else ruleErrors.push(...result.errors.map((e) => (e.startsWith('rules[') || e.startsWith('rules:') ? `rules.${e}` : `rules: ${e}`)));
  }
  if (record.lockRules !== undefined && typeof record.lockRules !== 'boolean') {
    ruleErrors.push('lockRules: Use true or false.');
  }
  if (ruleErrors.length > 0) {
    errors.push(...ruleErrors, 'The team rules in the managed policy are ignored until these problems are fixed.');
  } else {
    if (rules !== undefined) policy.rules = { format: 'centric-rules', version: 1, rules };
    if (typeof record.lockRules === 'boolean') policy.lockRules = record.lockRules;
  }

  // The tiers part: the value is checked by lib/tiers; only the lock is checked here.
  if (record.lockTiers !== undefined && typeof record.lockTiers !== 'boolean') {
    errors.push('lockTiers: Use true or false. The tiers in the managed policy are ignored until this is fixed.');
  } else {
    if (record.tiers !== undefined) policy.tiers = record.tiers;
    if (typeof record.lockTiers === 'boolean') policy.lockTiers = record.lockTiers;
  }

  // The site definitions part: the definitions are checked by lib/sites/definitions.ts (against the
  // bundled ones), the address here; each stands on its own.
  if (record.siteDefinitions !== undefined) policy.siteDefinitions = record.siteDefinitions;
  if (record.siteDefinitionsUrl !== undefined) {
    const url = record.siteDefinitionsUrl;
    const problems = typeof url === 'string' ? addressProblems(url, false) : ['Use text: the address of a site definitions file.'];
    if (problems.length > 0) errors.push(`siteDefinitionsUrl: ${problems.join(' ')} The address in the managed policy is ignored until this is fixed.`);
    else policy.siteDefinitionsUrl = (url as string).trim();
  }
  // The team service: the address and the token each stand on their own (lib/team/connection.ts).
  if (record.teamUrl !== undefined) {
    const url = record.teamUrl;
    const problems = typeof url === 'string' ? teamUrlProblems(url) : ['Use text: the address of the team service.'];
    if (problems.length > 0) errors.push(`teamUrl: ${problems.join(' ')} The team service in the managed policy is ignored until this is fixed.`);
    else policy.teamUrl = (url as string).trim();
  }
  if (record.teamToken !== undefined) {
    const token = record.teamToken;
    const problems = typeof token === 'string' ? teamTokenProblems(token) : ['Use text: a personal token (ctk_…).'];
    if (problems.length > 0) errors.push(`teamToken: ${problems.join(' ')} The token in the managed policy is ignored until this is fixed.`);
    else policy.teamToken = (token as string).trim();
  }
  return { policy, errors };
}

/** The rules in force: the policy's when it sets any, else the local ones; locked when the policy says so. */
export function effectiveRules(
  local: readonly Rule[],
  policy: ManagedPolicy,
): { rules: Rule[]; locked: boolean; source: 'policy' | 'local' } {
  const fromPolicy = policy.rules?.rules;
  return {
    rules: fromPolicy ? [...fromPolicy] : [...local],
    locked: policy.lockRules === true,
    source: fromPolicy ? 'policy' : 'local',
  };
}
