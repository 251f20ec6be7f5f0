import { type ConditionInput, type Rule, RuleSchema, type RuleSubject, type TreatmentInput } from '../../../lib/rules';

/** A valid rule with the given id, order and conditions (an `all` group unless a group is given). */
export function makeRule(
  id: string,
  conditions: ConditionInput[] | { kind: 'all' | 'any'; conditions: ConditionInput[] },
  extra: { order?: number; enabled?: boolean; treatment?: Partial<TreatmentInput>; reason?: string } = {},
): Rule {
  return RuleSchema.parse({
    id,
    name: `Rule ${id}`,
    enabled: extra.enabled ?? true,
    order: extra.order ?? 0,
    ...(extra.reason !== undefined ? { reason: extra.reason } : {}),
    conditions: Array.isArray(conditions) ? { kind: 'all', conditions } : conditions,
    treatment: { title: `Treatment ${id}`, guidance: '', color: '#334155', ...extra.treatment },
  });
}

/** A customer with no flags, plus the given fields. */
export function subject(fields: Partial<RuleSubject> = {}): RuleSubject {
  return { flags: [], ...fields };
}
