/**
 * The conditions of a rule: a group (all / any) of rows, each a condition kind and its inputs, with
 * nested groups and "not" down to the depth the schema allows. Recursive; every row knows its path
 * in the rule (e.g. "conditions.conditions[1].conditions[0]") so its issues land next to it.
 */
import { FIELD_LABELS, METRIC_LABELS, OP_SYMBOLS } from '~/lib/rules/engine';
import {
  FIELD_IDS,
  FIELD_OPS,
  FLAG_IDS,
  MAX_DEPTH,
  MAX_GROUP_SIZE,
  METRIC_IDS,
  METRIC_OPS,
  type FieldId,
  type FieldOp,
  type MetricId,
  type MetricOp,
  type RuleFlag,
} from '~/lib/rules/schema';
import { depthOf, newCondition, splitList, type DraftCondition, type DraftGroup, type DraftKind } from '~/lib/pages/treatments-draft';
import { FieldErrors, fieldId, invalidProps, useEditor, useFieldErrors } from './editor-context';

const KIND_LABELS: Record<DraftKind, string> = {
  tier: 'Tier',
  flag: 'Flag',
  metric: 'Number (value, P(alive) …)',
  site: 'Site',
  field: 'Customer field',
  all: 'Group: all of',
  any: 'Group: any of',
  not: 'Not',
};

const LEAF_KINDS = ['tier', 'flag', 'metric', 'site', 'field'] as const;
const NESTED_KINDS = ['all', 'any', 'not'] as const;

const FLAG_LABELS: Record<RuleFlag, string> = { 'at-risk': 'at risk', new: 'new', 'one-time': 'a one-time buyer' };

const OP_WORDS: Record<MetricOp, string> = {
  '<': 'less than',
  '<=': 'at most',
  '>': 'more than',
  '>=': 'at least',
  '=': 'exactly',
  '!=': 'not',
};

const METRIC_UNITS: Record<MetricId, string> = {
  clv: 'money',
  lifetimeValue: 'money',
  next12Months: 'money',
  totalSpent: 'money',
  pAlive: '% (percent: 50 = 50%)',
  expectedTransactions: 'purchases',
  frequency: 'repeat purchases',
  recencyDays: 'days',
};

const FIELD_OP_WORDS: Record<FieldOp, string> = { equals: 'is', contains: 'contains' };

type Change = (next: DraftCondition) => void;

/** The rule's own group: "Customers who match all / any of these conditions". */
export function ConditionEditor({ group, onChange }: { group: DraftGroup; onChange: (next: DraftGroup) => void }) {
  return (
    <fieldset class="rule-conditions" data-testid="rule-conditions">
      <legend>Who it is for</legend>
      <GroupBody group={group} path="conditions" number="" onChange={(next) => onChange(next as DraftGroup)} />
    </fieldset>
  );
}

/** A group's all/any choice, its rows and its add buttons. */
function GroupBody({ group, path, number, onChange }: { group: DraftGroup; path: string; number: string; onChange: Change }) {
  const { readOnly, touch, idPrefix } = useEditor();
  const depth = depthOf(path);
  const childDepth = depth + 1;
  const full = group.conditions.length >= MAX_GROUP_SIZE;
  const kindId = fieldId(idPrefix, `${path}.kind`);
  const errors = useFieldErrors(path, { exact: true }).concat(useFieldErrors(`${path}.conditions`, { exact: true }));
  const where = number ? `group ${number}` : 'the rule';

  const setChild = (i: number, next: DraftCondition) => onChange({ ...group, conditions: group.conditions.map((c, k) => (k === i ? next : c)) });
  const add = (kind: DraftKind) => {
    touch(`${path}.conditions[${group.conditions.length}]`);
    onChange({ ...group, conditions: [...group.conditions, newCondition(kind)] });
  };
  const remove = (i: number) => onChange({ ...group, conditions: group.conditions.filter((_, k) => k !== i) });

  return (
    <div class="rule-group" data-depth={depth}>
      <p class="rule-group-kind">
        <label for={kindId}>{number ? 'Matches when' : 'Customers who match'}</label>{' '}
        <select
          id={kindId}
          value={group.kind}
          disabled={readOnly}
          data-testid="condition-group-kind"
          onChange={(e) => {
            touch(path);
            onChange({ ...group, kind: (e.currentTarget as HTMLSelectElement).value as 'all' | 'any' });
          }}
        >
          <option value="all">all</option>
          <option value="any">any</option>
        </select>{' '}
        of these conditions
        {group.conditions.length === 0 && (
          <span class="form-hint">
            {' '}
            — none yet: {group.kind === 'all' ? 'this matches every customer.' : 'this matches no one.'}
          </span>
        )}
      </p>
      <FieldErrors id={`${kindId}-error`} messages={errors} />
      {group.conditions.length > 0 && (
        <ol class="condition-rows">
          {group.conditions.map((condition, i) => {
            const childNumber = number ? `${number}.${i + 1}` : String(i + 1);
            return (
              <li key={condition.key}>
                <ConditionRow
                  condition={condition}
                  path={`${path}.conditions[${i}]`}
                  number={childNumber}
                  onChange={(next) => setChild(i, next)}
                  onRemove={() => remove(i)}
                />
              </li>
            );
          })}
        </ol>
      )}
      {!readOnly && (
        <div class="rule-add-condition">
          <button type="button" class="button secondary small" disabled={full} onClick={() => add('tier')} data-testid="condition-add">
            Add condition<span class="visually-hidden"> to {where}</span>
          </button>
          {childDepth <= MAX_DEPTH && (
            <button type="button" class="button secondary small" disabled={full} onClick={() => add('any')} data-testid="condition-add-group">
              Add group<span class="visually-hidden"> to {where}</span>
            </button>
          )}
          {full && <span class="form-hint">A group holds at most {MAX_GROUP_SIZE} conditions.</span>}
        </div>
      )}
    </div>
  );
}

/** One condition: its kind, its inputs, and Remove (when it can be removed). */
function ConditionRow({
  condition,
  path,
  number,
  onChange,
  onRemove,
}: {
  condition: DraftCondition;
  path: string;
  number: string;
  onChange: Change;
  onRemove?: () => void;
}) {
  const { readOnly, touch, idPrefix } = useEditor();
  const depth = depthOf(path);
  const kindId = fieldId(idPrefix, `${path}.kind`);
  const kindErrors = useFieldErrors(`${path}.kind`, { exact: true }).concat(useFieldErrors(path, { exact: true }));
  const kinds: DraftKind[] = [...LEAF_KINDS, ...NESTED_KINDS.filter((k) => depth <= MAX_DEPTH || k === condition.kind)];

  const changeKind = (kind: DraftKind) => {
    touch(path);
    if ((kind === 'all' || kind === 'any') && (condition.kind === 'all' || condition.kind === 'any')) onChange({ ...condition, kind });
    else onChange(newCondition(kind));
  };
  const change: Change = (next) => {
    touch(path);
    onChange(next);
  };

  return (
    <div class="condition-row" role="group" aria-label={`Condition ${number}`} data-testid="condition-row" data-kind={condition.kind}>
      <div class="condition-line">
        <span class="condition-number" aria-hidden="true">
          {number}
        </span>
        <select
          id={kindId}
          aria-label={`Condition ${number}: kind`}
          value={condition.kind}
          disabled={readOnly}
          data-testid="condition-kind"
          {...invalidProps(`${kindId}-error`, kindErrors)}
          onChange={(e) => changeKind((e.currentTarget as HTMLSelectElement).value as DraftKind)}
        >
          {kinds.map((k) => (
            <option key={k} value={k}>
              {KIND_LABELS[k]}
            </option>
          ))}
        </select>
        <LeafInputs condition={condition} path={path} number={number} onChange={change} />
        {onRemove && !readOnly && (
          <button type="button" class="button secondary small condition-remove" onClick={onRemove} data-testid="condition-remove">
            Remove<span class="visually-hidden"> condition {number}</span>
          </button>
        )}
      </div>
      <FieldErrors id={`${kindId}-error`} messages={kindErrors} />
      {(condition.kind === 'all' || condition.kind === 'any') && (
        <div class="condition-nested">
          <GroupBody group={condition} path={path} number={number} onChange={change} />
        </div>
      )}
      {condition.kind === 'not' && (
        <div class="condition-nested">
          <p class="form-hint">Matches when this does not:</p>
          <ConditionRow
            condition={condition.condition}
            path={`${path}.condition`}
            number={`${number} (not)`}
            onChange={(inner) => change({ ...condition, condition: inner })}
          />
        </div>
      )}
    </div>
  );
}

/** The inputs of a leaf condition (nothing for groups and "not": they nest below). */
function LeafInputs({ condition, path, number, onChange }: { condition: DraftCondition; path: string; number: string; onChange: Change }) {
  switch (condition.kind) {
    case 'tier':
      return <TierInputs condition={condition} path={path} number={number} onChange={onChange} />;
    case 'flag':
      return <FlagInputs condition={condition} path={path} number={number} onChange={onChange} />;
    case 'metric':
      return <MetricInputs condition={condition} path={path} number={number} onChange={onChange} />;
    case 'site':
      return <SiteInputs condition={condition} path={path} number={number} onChange={onChange} />;
    case 'field':
      return <FieldInputs condition={condition} path={path} number={number} onChange={onChange} />;
    default:
      return null;
  }
}

type Props<K extends DraftKind> = { condition: Extract<DraftCondition, { kind: K }>; path: string; number: string; onChange: Change };

function TierInputs({ condition, path, number, onChange }: Props<'tier'>) {
  const { readOnly, tiers, idPrefix } = useEditor();
  const id = fieldId(idPrefix, `${path}.tiers`);
  const errors = useFieldErrors(`${path}.tiers`);
  const known = new Set(tiers.map((t) => t.name.toLowerCase()));
  const others = condition.tiers.filter((name) => !known.has(name.toLowerCase()));
  const chosen = new Set(condition.tiers.map((n) => n.toLowerCase()));
  const toggle = (name: string, on: boolean) =>
    onChange({ ...condition, tiers: on ? [...condition.tiers, name] : condition.tiers.filter((n) => n.toLowerCase() !== name.toLowerCase()) });
  const choices = [...tiers.map((t) => ({ name: t.name, color: t.color as string | undefined, current: true })), ...others.map((name) => ({ name, color: undefined, current: false }))];
  return (
    <fieldset class="condition-tiers" {...invalidProps(`${id}-error`, errors)}>
      <legend>
        <span class="visually-hidden">Condition {number}: tier </span>is one of
      </legend>
      {choices.map((t) => (
        <label key={t.name} class="condition-check">
          <input type="checkbox" checked={chosen.has(t.name.toLowerCase())} disabled={readOnly} onChange={(e) => toggle(t.name, (e.currentTarget as HTMLInputElement).checked)} />
          {t.color && <span class="rule-swatch" style={{ background: t.color }} aria-hidden="true" />}
          {t.name}
          {!t.current && <span class="form-hint"> (not a current tier)</span>}
        </label>
      ))}
      {choices.length === 0 && <span class="form-hint">No tiers are set up yet (see Scoring).</span>}
      <FieldErrors id={`${id}-error`} messages={errors} />
    </fieldset>
  );
}

function FlagInputs({ condition, path, number, onChange }: Props<'flag'>) {
  const { readOnly, idPrefix } = useEditor();
  const errors = useFieldErrors(`${path}.flag`);
  const id = fieldId(idPrefix, `${path}.flag`);
  return (
    <>
      <select
        aria-label={`Condition ${number}: has or has not`}
        value={condition.present ? 'yes' : 'no'}
        disabled={readOnly}
        onChange={(e) => onChange({ ...condition, present: (e.currentTarget as HTMLSelectElement).value === 'yes' })}
      >
        <option value="yes">customer is</option>
        <option value="no">customer is not</option>
      </select>
      <select
        id={id}
        aria-label={`Condition ${number}: flag`}
        value={condition.flag}
        disabled={readOnly}
        {...invalidProps(`${id}-error`, errors)}
        onChange={(e) => onChange({ ...condition, flag: (e.currentTarget as HTMLSelectElement).value as RuleFlag })}
      >
        {FLAG_IDS.map((f) => (
          <option key={f} value={f}>
            {FLAG_LABELS[f]}
          </option>
        ))}
      </select>
      <FieldErrors id={`${id}-error`} messages={errors} />
    </>
  );
}

function MetricInputs({ condition, path, number, onChange }: Props<'metric'>) {
  const { readOnly, idPrefix } = useEditor();
  const valueId = fieldId(idPrefix, `${path}.value`);
  const errors = useFieldErrors(`${path}.value`);
  const otherErrors = useFieldErrors(`${path}.metric`).concat(useFieldErrors(`${path}.op`));
  const percent = condition.metric === 'pAlive';
  const unitId = `${valueId}-unit`;
  return (
    <>
      <select
        aria-label={`Condition ${number}: number`}
        value={condition.metric}
        disabled={readOnly}
        data-testid="condition-metric"
        onChange={(e) => onChange({ ...condition, metric: (e.currentTarget as HTMLSelectElement).value as MetricId })}
      >
        {METRIC_IDS.map((m) => (
          <option key={m} value={m}>
            {METRIC_LABELS[m]}
          </option>
        ))}
      </select>
      <select
        aria-label={`Condition ${number}: comparison`}
        value={condition.op}
        disabled={readOnly}
        onChange={(e) => onChange({ ...condition, op: (e.currentTarget as HTMLSelectElement).value as MetricOp })}
      >
        {METRIC_OPS.map((op) => (
          <option key={op} value={op}>
            {OP_SYMBOLS[op]} {OP_WORDS[op]}
          </option>
        ))}
      </select>
      <input
        id={valueId}
        type="number"
        step="any"
        inputMode="decimal"
        class="condition-number-input"
        min={percent ? 0 : undefined}
        max={percent ? 100 : undefined}
        aria-label={`Condition ${number}: ${percent ? 'P(alive) in percent' : 'value'}`}
        value={condition.value}
        disabled={readOnly}
        data-testid="condition-value"
        {...invalidProps(`${valueId}-error`, errors, unitId)}
        onInput={(e) => onChange({ ...condition, value: (e.currentTarget as HTMLInputElement).value })}
      />
      <span id={unitId} class="form-hint">
        {METRIC_UNITS[condition.metric]}
      </span>
      <FieldErrors id={`${valueId}-error`} messages={[...errors, ...otherErrors]} />
    </>
  );
}

function SiteInputs({ condition, path, number, onChange }: Props<'site'>) {
  const { readOnly, idPrefix } = useEditor();
  const id = fieldId(idPrefix, `${path}.hosts`);
  const errors = useFieldErrors(`${path}.hosts`, { entries: splitList(condition.hosts) });
  return (
    <>
      <input
        id={id}
        class="condition-text"
        aria-label={`Condition ${number}: sites, comma-separated`}
        placeholder="zendesk, acme.zendesk.com"
        value={condition.hosts}
        disabled={readOnly}
        data-testid="condition-hosts"
        {...invalidProps(`${id}-error`, errors, `${id}-hint`)}
        onInput={(e) => onChange({ ...condition, hosts: (e.currentTarget as HTMLInputElement).value })}
      />
      <span id={`${id}-hint`} class="form-hint">
        site ids such as zendesk, or hostnames (subdomains match too), comma-separated
      </span>
      <FieldErrors id={`${id}-error`} messages={errors} />
    </>
  );
}

function FieldInputs({ condition, path, number, onChange }: Props<'field'>) {
  const { readOnly, idPrefix } = useEditor();
  const id = fieldId(idPrefix, `${path}.text`);
  const errors = useFieldErrors(`${path}.text`);
  return (
    <>
      <select
        aria-label={`Condition ${number}: field`}
        value={condition.field}
        disabled={readOnly}
        onChange={(e) => onChange({ ...condition, field: (e.currentTarget as HTMLSelectElement).value as FieldId })}
      >
        {FIELD_IDS.map((f) => (
          <option key={f} value={f}>
            {FIELD_LABELS[f]}
          </option>
        ))}
      </select>
      <select
        aria-label={`Condition ${number}: test`}
        value={condition.op}
        disabled={readOnly}
        onChange={(e) => onChange({ ...condition, op: (e.currentTarget as HTMLSelectElement).value as FieldOp })}
      >
        {FIELD_OPS.map((op) => (
          <option key={op} value={op}>
            {FIELD_OP_WORDS[op]}
          </option>
        ))}
      </select>
      <input
        id={id}
        class="condition-text"
        aria-label={`Condition ${number}: text`}
        value={condition.text}
        disabled={readOnly}
        data-testid="condition-text"
        {...invalidProps(`${id}-error`, errors)}
        onInput={(e) => onChange({ ...condition, text: (e.currentTarget as HTMLInputElement).value })}
      />
      <FieldErrors id={`${id}-error`} messages={errors} />
    </>
  );
}
