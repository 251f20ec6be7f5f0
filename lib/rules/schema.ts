/**
 * Treatment rules: what a manager writes to say how agents should treat a customer. A rule has
 * conditions (who it is for) and a treatment (what to do). Validated with zod; the same schemas check
 * rules typed in the options page, imported files and the team policy.
 *
 * Conditions:
 * - `tier`: the customer's tier is one of `tiers` (tier names, compared case-insensitively).
 * - `flag`: the customer has (`present: true`, the default) or has not a flag: at risk, new, one-time buyer.
 * - `metric`: a comparison of a number (CLV, P(alive) …) with `value`; an unknown number never matches.
 * - `site`: the page is one of `hosts`: an adapter id ("zendesk") or a hostname ("acme.zendesk.com",
 *   which also matches its subdomains).
 * - `field`: a customer field equals or contains `text` (case-insensitive); an empty field never matches.
 * - `all` / `any`: a group. `all` of nothing is true (a catch-all that matches everyone); `any` of nothing
 *   is false (matches no one).
 * - `not`: the opposite of one condition.
 *
 * Bounds (so a hostile file cannot make the engine work hard): at most MAX_RULES rules, groups nested at
 * most MAX_DEPTH deep, MAX_CONDITIONS_PER_RULE conditions in a rule, and every string and list bounded.
 */
import { z } from 'zod';
import { PLACEHOLDERS, unknownPlaceholders } from './template';

/** The `format` header of a rule set file. */
export const RULES_FORMAT = 'centric-rules';
/** The rule set version this code reads and writes. */
export const RULES_VERSION = 1;
/** Most rules in a rule set. */
export const MAX_RULES = 200;
/** Deepest nesting of groups: the rule's own group is level 1. */
export const MAX_DEPTH = 5;
/** Most conditions (groups included) in one rule. */
export const MAX_CONDITIONS_PER_RULE = 100;
/** Most conditions directly inside one group. */
export const MAX_GROUP_SIZE = 30;

/** Flag ids, as in lib/tiers FLAGS. */
export const FLAG_IDS = ['at-risk', 'new', 'one-time'] as const;
export type RuleFlag = (typeof FLAG_IDS)[number];

/** Numbers a condition can compare. */
export const METRIC_IDS = ['clv', 'lifetimeValue', 'next12Months', 'pAlive', 'expectedTransactions', 'recencyDays', 'frequency', 'totalSpent'] as const;
export type MetricId = (typeof METRIC_IDS)[number];

/** Comparison operators for metrics. */
export const METRIC_OPS = ['<', '<=', '>', '>=', '=', '!='] as const;
export type MetricOp = (typeof METRIC_OPS)[number];

/** Customer fields a condition can test. */
export const FIELD_IDS = ['name', 'email', 'company', 'domain'] as const;
export type FieldId = (typeof FIELD_IDS)[number];

/** Text operators for fields. */
export const FIELD_OPS = ['equals', 'contains'] as const;
export type FieldOp = (typeof FIELD_OPS)[number];

/** Kinds of condition. */
export const CONDITION_KINDS = ['tier', 'flag', 'metric', 'site', 'field', 'all', 'any', 'not'] as const;
export type ConditionKind = (typeof CONDITION_KINDS)[number];

export const PRIORITIES = ['urgent', 'high', 'normal', 'low'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const TIME_UNITS = ['minutes', 'hours', 'days'] as const;
export type TimeUnit = (typeof TIME_UNITS)[number];

const HEX_COLOR = /^#[0-9a-fA-F]{6}$/;
const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;
/** A hostname or adapter id: letters, digits, dots and dashes (no scheme, path or wildcard). */
const HOST = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$/i;
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;
const LINE_BREAKS = /[\r\n\u2028\u2029]/;
const SAFE_URL_START = /^(?:https?:\/\/|mailto:)/i;

/** A message that also says when the value is missing: for schemas whose own message would hide that. */
function says(message: string) {
  return { error: (issue: { input?: unknown }) => (issue.input === undefined ? `This is required. ${message}` : message) };
}

/** A trimmed one-line text of 1..max characters. */
function lineText(max: number) {
  return z
    .string()
    .trim()
    .min(1, 'This cannot be empty.')
    .max(max, `Use at most ${max} characters.`)
    .refine((s) => !LINE_BREAKS.test(s), 'Use a single line.');
}

/** A text with {{placeholders}}: only the known ones are allowed. */
function templated<T extends z.ZodString>(schema: T) {
  return schema.superRefine((text, ctx) => {
    const unknown = unknownPlaceholders(text);
    if (unknown.length > 0) {
      ctx.addIssue({
        code: 'custom',
        message: `Unknown placeholder${unknown.length > 1 ? 's' : ''} ${unknown.map((p) => `{{${p}}}`).join(', ')}; use ${PLACEHOLDERS.map((p) => `{{${p}}}`).join(', ')}.`,
      });
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Conditions

export const TierConditionSchema = z.strictObject({
  kind: z.literal('tier'),
  /** Tier names, e.g. ["Platinum", "Gold"]; compared case-insensitively. */
  tiers: z.array(lineText(40)).min(1, 'Name at least one tier.').max(20, 'Use at most 20 tiers.'),
});

export const FlagConditionSchema = z.strictObject({
  kind: z.literal('flag'),
  flag: z.enum(FLAG_IDS, says(`Use one of: ${FLAG_IDS.join(', ')}.`)),
  /** True: the customer has the flag; false: the customer has not. */
  present: z.boolean().default(true),
});

const RANGE_1E12 = 'Use a number between -1,000,000,000,000 and 1,000,000,000,000.';

export const MetricConditionSchema = z
  .strictObject({
    kind: z.literal('metric'),
    metric: z.enum(METRIC_IDS, says(`Use one of: ${METRIC_IDS.join(', ')}.`)),
    op: z.enum(METRIC_OPS, says(`Use one of: ${METRIC_OPS.join(' ')}.`)),
    /** The number to compare with; P(alive) as a probability (0.5 = 50%). */
    value: z.number(says('Use a number.')).min(-1e12, RANGE_1E12).max(1e12, RANGE_1E12),
  })
  .superRefine((condition, ctx) => {
    if (condition.metric === 'pAlive' && (condition.value < 0 || condition.value > 1)) {
      ctx.addIssue({ code: 'custom', message: 'P(alive) is a probability between 0 and 1 (0.5 = 50%).', path: ['value'] });
    }
  });

export const SiteConditionSchema = z.strictObject({
  kind: z.literal('site'),
  /** Adapter ids ("zendesk") or hostnames ("acme.zendesk.com", subdomains included). */
  hosts: z
    .array(
      z
        .string()
        .trim()
        .max(253, 'Use at most 253 characters.')
        .regex(HOST, 'Write a site id such as zendesk or a hostname such as acme.zendesk.com (no https:// or path; subdomains match too).'),
    )
    .min(1, 'Name at least one site.')
    .max(20, 'Use at most 20 sites.'),
});

export const FieldConditionSchema = z.strictObject({
  kind: z.literal('field'),
  field: z.enum(FIELD_IDS, says(`Use one of: ${FIELD_IDS.join(', ')}.`)),
  op: z.enum(FIELD_OPS, says(`Use one of: ${FIELD_OPS.join(', ')}.`)),
  /** The text to look for (case-insensitive). Named `text`, not `value`, so the managed-storage schema can type it. */
  text: lineText(200),
});

export type TierCondition = z.output<typeof TierConditionSchema>;
export type FlagCondition = z.output<typeof FlagConditionSchema>;
export type MetricCondition = z.output<typeof MetricConditionSchema>;
export type SiteCondition = z.output<typeof SiteConditionSchema>;
export type FieldCondition = z.output<typeof FieldConditionSchema>;
export type LeafCondition = TierCondition | FlagCondition | MetricCondition | SiteCondition | FieldCondition;

/** `all`: every condition matches (none = true); `any`: at least one matches (none = false). */
export interface GroupCondition {
  kind: 'all' | 'any';
  conditions: Condition[];
}

/** The opposite of one condition. */
export interface NotCondition {
  kind: 'not';
  condition: Condition;
}

export type Condition = LeafCondition | GroupCondition | NotCondition;

/** A condition as written (before defaults such as `present: true` are filled in). */
export type ConditionInput =
  | z.input<typeof TierConditionSchema>
  | z.input<typeof FlagConditionSchema>
  | z.input<typeof MetricConditionSchema>
  | z.input<typeof SiteConditionSchema>
  | z.input<typeof FieldConditionSchema>
  | { kind: 'all' | 'any'; conditions: ConditionInput[] }
  | { kind: 'not'; condition: ConditionInput };

export type GroupConditionInput = { kind: 'all' | 'any'; conditions: ConditionInput[] };

const TOO_DEEP = `Groups can be nested at most ${MAX_DEPTH} deep.`;

/** A group or "not" below the deepest allowed level: always an error. */
function tooDeep(kind: 'all' | 'any' | 'not') {
  return z.looseObject({ kind: z.literal(kind) }).superRefine((_, ctx) => {
    ctx.addIssue({ code: 'custom', message: TOO_DEEP, path: ['kind'] });
  });
}

const conditionsAt = new Map<number, z.ZodType<Condition, ConditionInput>>();
const groupsAt = new Map<number, z.ZodType<GroupCondition, GroupConditionInput>>();

/** The schema of a group at nesting level `depth` (the rule's own group is level 1). */
function groupAt(depth: number): z.ZodType<GroupCondition, GroupConditionInput> {
  let schema = groupsAt.get(depth);
  if (!schema) {
    const conditions = z.array(conditionAt(depth + 1)).max(MAX_GROUP_SIZE, `A group holds at most ${MAX_GROUP_SIZE} conditions.`);
    schema = z.discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('all'), conditions }),
      z.strictObject({ kind: z.literal('any'), conditions }),
    ]);
    groupsAt.set(depth, schema);
  }
  return schema;
}

/** The schema of a condition at nesting level `depth`: groups only down to MAX_DEPTH. */
function conditionAt(depth: number): z.ZodType<Condition, ConditionInput> {
  let schema = conditionsAt.get(depth);
  if (!schema) {
    const leaves = [TierConditionSchema, FlagConditionSchema, MetricConditionSchema, SiteConditionSchema, FieldConditionSchema] as const;
    if (depth <= MAX_DEPTH) {
      const conditions = z.array(conditionAt(depth + 1)).max(MAX_GROUP_SIZE, `A group holds at most ${MAX_GROUP_SIZE} conditions.`);
      schema = z.discriminatedUnion('kind', [
        ...leaves,
        z.strictObject({ kind: z.literal('all'), conditions }),
        z.strictObject({ kind: z.literal('any'), conditions }),
        z.strictObject({ kind: z.literal('not'), condition: conditionAt(depth + 1) }),
      ]);
    } else {
      schema = z.discriminatedUnion('kind', [...leaves, tooDeep('all'), tooDeep('any'), tooDeep('not')]) as unknown as z.ZodType<
        Condition,
        ConditionInput
      >;
    }
    conditionsAt.set(depth, schema);
  }
  return schema;
}

/** Any condition (at the top level of nesting). */
export const ConditionSchema: z.ZodType<Condition, ConditionInput> = conditionAt(1);

/** A rule's own conditions: a group (`all` or `any`). */
export const GroupConditionSchema: z.ZodType<GroupCondition, GroupConditionInput> = groupAt(1);

/** Number of conditions in a tree, groups included (stops counting past `limit`). */
export function countConditions(condition: Condition, limit = Infinity): number {
  let count = 0;
  const stack: Condition[] = [condition];
  while (stack.length > 0 && count <= limit) {
    const c = stack.pop() as Condition;
    count++;
    if (c.kind === 'all' || c.kind === 'any') stack.push(...c.conditions);
    else if (c.kind === 'not') stack.push(c.condition);
  }
  return count;
}

// ---------------------------------------------------------------------------------------------
// Treatment

export const LinkSchema = z.strictObject({
  label: lineText(60),
  /** URL template, e.g. "mailto:{{email}}" or "https://crm.example.com/search?q={{email}}". */
  url: templated(z.string().trim().min(1, 'This cannot be empty.').max(2000, 'Use at most 2000 characters.'))
    .refine((url) => SAFE_URL_START.test(url), 'Links must start with https://, http:// or mailto:.')
    .refine((url) => !CONTROL_CHARS.test(url), 'Links cannot contain line breaks or control characters.'),
});

export const SnippetSchema = z.strictObject({
  label: lineText(60),
  /** Reply text to copy (plain text, may use placeholders such as {{firstName}}). */
  text: templated(z.string().min(1, 'This cannot be empty.').max(2000, 'Use at most 2000 characters.')),
});

export const ResponseTargetSchema = z.strictObject({
  amount: z.int(says('Use a whole number.')).min(1, 'Use a whole number of at least 1.').max(1000, 'Use at most 1000.'),
  unit: z.enum(TIME_UNITS, says(`Use one of: ${TIME_UNITS.join(', ')}.`)),
});

export const ActionsSchema = z.strictObject({
  links: z.array(LinkSchema).max(10, 'Use at most 10 links.').default([]),
  snippets: z.array(SnippetSchema).max(10, 'Use at most 10 snippets.').default([]),
  tags: z
    .array(z.string().trim().regex(/^[^\s,]{1,40}$/, 'Write a tag as one word without commas, up to 40 characters, e.g. vip.'))
    .max(20, 'Use at most 20 tags.')
    .default([]),
});

export const TreatmentSchema = z.strictObject({
  title: lineText(80),
  /** What the agent should do, in a sentence or two. */
  guidance: z.string().trim().max(400, 'Use at most 400 characters.').default(''),
  priority: z.enum(PRIORITIES, says(`Use one of: ${PRIORITIES.join(', ')}.`)).optional(),
  /** Target time to the first response. */
  responseTarget: ResponseTargetSchema.optional(),
  actions: ActionsSchema.default({ links: [], snippets: [], tags: [] }),
  /** Colour of the recommendation's badge. */
  color: z.string().regex(HEX_COLOR, 'Use a hex colour such as #1e293b.'),
});

export type Link = z.output<typeof LinkSchema>;
export type Snippet = z.output<typeof SnippetSchema>;
export type ResponseTarget = z.output<typeof ResponseTargetSchema>;
export type Actions = z.output<typeof ActionsSchema>;
export type Treatment = z.output<typeof TreatmentSchema>;
export type TreatmentInput = z.input<typeof TreatmentSchema>;

// ---------------------------------------------------------------------------------------------
// Rule and rule set

export const RuleSchema = z
  .strictObject({
    /** Stable id: lower-case letters, digits and dashes, e.g. "high-value-at-risk". */
    id: z.string().regex(SLUG, 'Use lower-case letters, digits and dashes (up to 64), e.g. high-value-at-risk.'),
    name: lineText(80),
    enabled: z.boolean().default(true),
    /** Lower orders are tried first; equal orders keep their position in the list. */
    order: z.int(says('Use a whole number.')).min(-1_000_000, 'Use a number from -1000000 to 1000000.').max(1_000_000, 'Use a number from -1000000 to 1000000.'),
    /** One line on why the rule exists. */
    reason: lineText(200).optional(),
    conditions: GroupConditionSchema,
    treatment: TreatmentSchema,
  })
  .superRefine((rule, ctx) => {
    if (countConditions(rule.conditions, MAX_CONDITIONS_PER_RULE) > MAX_CONDITIONS_PER_RULE) {
      ctx.addIssue({ code: 'custom', message: `A rule holds at most ${MAX_CONDITIONS_PER_RULE} conditions.`, path: ['conditions'] });
    }
  });

export type Rule = z.output<typeof RuleSchema>;
export type RuleInput = z.input<typeof RuleSchema>;

export const RuleSetSchema = z
  .strictObject({
    format: z.literal(RULES_FORMAT, `This is not a Centric rules file: "format" should be "${RULES_FORMAT}".`),
    version: z.literal(RULES_VERSION, `This file has an unsupported version; this version of Centric reads version ${RULES_VERSION}.`),
    rules: z.array(RuleSchema).max(MAX_RULES, `A rule set holds at most ${MAX_RULES} rules.`),
  })
  .superRefine((set, ctx) => {
    const first = new Map<string, number>();
    set.rules.forEach((rule, i) => {
      const earlier = first.get(rule.id);
      if (earlier !== undefined) {
        ctx.addIssue({ code: 'custom', message: `Rule id "${rule.id}" is used twice (also by rules[${earlier}]).`, path: ['rules', i, 'id'] });
      } else first.set(rule.id, i);
    });
  });

export type RuleSet = z.output<typeof RuleSetSchema>;
export type RuleSetInput = z.input<typeof RuleSetSchema>;
