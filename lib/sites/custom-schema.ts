/**
 * The zod schema of a custom site rule (lib/sites/custom.ts) and its problems in words, for the popup's
 * editor that saves rules. Apart from custom.ts so that the content script, which only reads saved
 * rules, carries no zod (tests/unit/house/rooms.test.ts).
 */
import { z } from 'zod';
import { matchPatternProblem, MAX_SELECTOR_LENGTH, selectorProblem, textPatternProblem, type CustomSiteRule } from './custom';

const ATTRIBUTE = /^[a-z_:][-a-z0-9_:.]*$/i;
const ID = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;

let schema: z.ZodType<CustomSiteRule> | undefined;

/** The zod schema of a rule (built on first use). */
export function customSiteRuleSchema(): z.ZodType<CustomSiteRule> {
  if (schema) return schema;
  const withProblem = (check: (value: string) => string | null) => (value: string, ctx: z.RefinementCtx) => {
    const problem = check(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  };
  const pattern = z.string().min(1, 'is empty').superRefine(withProblem(textPatternProblem));
  const fieldRule = z
    .strictObject({
      selector: z.string().min(1, 'is empty').max(MAX_SELECTOR_LENGTH, `is longer than ${MAX_SELECTOR_LENGTH} characters`).superRefine(withProblem(selectorProblem)).optional(),
      pattern: pattern.optional(),
      attribute: z.string().max(64, 'is longer than 64 characters').regex(ATTRIBUTE, 'is not an attribute name such as href or data-id').optional(),
    })
    .superRefine((field, ctx) => {
      if (!field.selector && !field.pattern) ctx.addIssue({ code: 'custom', message: 'needs a CSS selector or a text pattern' });
      if (field.attribute && !field.selector) ctx.addIssue({ code: 'custom', path: ['attribute'], message: 'needs a CSS selector to read it from' });
    });
  schema = z.strictObject({
    id: z.string().regex(ID, 'must be 1–40 lower-case letters, digits or dashes'),
    name: z.string().trim().min(1, 'is empty').max(80, 'is longer than 80 characters'),
    matches: z
      .array(z.string().max(300).superRefine(withProblem(matchPatternProblem)))
      .min(1, 'needs at least one URL pattern')
      .max(10, 'has more than 10 URL patterns'),
    fields: z.strictObject({ email: fieldRule.optional(), name: fieldRule.optional(), recordId: fieldRule.optional() }),
    recordIdFromUrl: pattern.optional(),
  }) as z.ZodType<CustomSiteRule>;
  return schema;
}

const PART_NAMES: Record<string, string> = {
  id: 'Id',
  name: 'Site name',
  matches: 'URL pattern',
  recordIdFromUrl: 'Record id from the URL',
  selector: 'CSS selector',
  pattern: 'text pattern',
  attribute: 'attribute',
};
const FIELD_NAMES: Record<string, string> = { email: 'Email', name: 'Name', recordId: 'Record id' };

/** A zod issue path in words: ["fields","email","pattern"] -> "Email, text pattern". */
function describePath(path: readonly PropertyKey[]): string {
  if (path[0] === 'fields') {
    const field = FIELD_NAMES[String(path[1])] ?? String(path[1]);
    return path.length > 2 ? `${field}, ${PART_NAMES[String(path[2])] ?? String(path[2])}` : field;
  }
  if (path[0] === 'matches') return typeof path[1] === 'number' ? `URL pattern ${path[1] + 1}` : 'URL patterns';
  return PART_NAMES[String(path[0])] ?? (path.map(String).join('.') || 'The rule');
}

export type ParsedRule = { ok: true; rule: CustomSiteRule } | { ok: false; errors: string[] };

/** Validates a rule (e.g. from the popup's editor); every problem in words. */
export function parseCustomSiteRule(input: unknown): ParsedRule {
  const parsed = customSiteRuleSchema().safeParse(input);
  if (parsed.success) return { ok: true, rule: parsed.data };
  return { ok: false, errors: parsed.error.issues.map((issue) => `${describePath(issue.path)}: ${issue.message}`) };
}
