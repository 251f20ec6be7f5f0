/**
 * The editor of one rule (or a new one): name, reason, on/off, conditions and treatment, checked as
 * the manager types with ruleIssues (lib/rules/transfer). Each problem shows next to its field once
 * the field is touched, and all of them are listed by Save, which stays disabled until there are none.
 * Read-only (a rule set locked by the team policy): every input disabled, no Save.
 */
import { useSignal } from '@preact/signals';
import type { RefObject } from 'preact';
import { useEffect, useId, useRef } from 'preact/hooks';
import type { Rule } from '~/lib/rules/schema';
import { ConditionEditor } from './ConditionEditor';
import type { RuleDraft } from '~/lib/pages/treatments-draft';
import { Field, fieldId, FormContext, invalidProps, IssueSummary, useFieldErrors } from '../form';
import { TiersContext, type TierChoice } from './editor-context';
import { describePath, validateDraft } from '~/lib/pages/treatments-issues';
import { TreatmentEditor } from './TreatmentEditor';

export interface RuleEditorProps {
  initial: RuleDraft;
  /** True for a rule not saved yet. */
  isNew: boolean;
  readOnly: boolean;
  tiers: readonly TierChoice[];
  onSave(rule: Rule): void;
  onClose(): void;
}

export function RuleEditor({ initial, isNew, readOnly, tiers, onSave, onClose }: RuleEditorProps) {
  const draft = useSignal<RuleDraft>(initial);
  const touched = useSignal<ReadonlySet<string>>(new Set());
  const idPrefix = `rule-editor-${useId().replace(/[^a-zA-Z0-9]/g, '')}`;
  const nameInput = useRef<HTMLInputElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  // Focus goes into the editor when it opens: the name to edit, or the heading when there is nothing to edit.
  useEffect(() => {
    if (readOnly) heading.current?.focus();
    else nameInput.current?.focus();
  }, []);

  const touch = (path: string) => {
    if (!touched.value.has(path)) touched.value = new Set([...touched.value, path]);
  };
  const d = draft.value;
  const validation = validateDraft(d);
  const { issues } = validation;
  const titleText = readOnly ? `Rule: ${initial.name}` : isNew ? 'New rule' : `Edit rule: ${initial.name}`;
  const summaryId = `${idPrefix}-summary`;

  const save = () => {
    if (readOnly || !validation.rule) return;
    onSave(validation.rule);
  };

  return (
    <FormContext.Provider value={{ issues, touched: touched.value, touch, readOnly, idPrefix }}>
      <TiersContext.Provider value={tiers}>
        <form
          class="form-editor rule-editor"
          aria-labelledby={`${idPrefix}-title`}
          noValidate
          data-testid="rule-editor"
          onSubmit={(e) => {
            e.preventDefault();
            save();
          }}
        >
          <h3 id={`${idPrefix}-title`} ref={heading} tabIndex={-1}>
            {titleText}
          </h3>
          {readOnly && <p class="form-hint">Your administrator manages these rules: you can read this rule but not change it.</p>}
          <RuleBasics draft={d} readOnly={readOnly} idPrefix={idPrefix} nameInput={nameInput} onChange={(next) => (draft.value = next)} touch={touch} />
          <ConditionEditor group={d.conditions} onChange={(conditions) => (draft.value = { ...draft.value, conditions })} />
          <TreatmentEditor treatment={d.treatment} onChange={(treatment) => (draft.value = { ...draft.value, treatment })} />
          {!readOnly && <IssueSummary id={summaryId} issues={issues} describe={describePath} class="rule-summary" testId="rule-issues" />}
          <div class="actions">
            {!readOnly && (
              <button type="submit" class="button" disabled={issues.length > 0} aria-describedby={issues.length > 0 ? summaryId : undefined} data-testid="rule-save">
                {isNew ? 'Add rule' : 'Save rule'}
              </button>
            )}
            <button type="button" class="button secondary" onClick={onClose} data-testid="rule-cancel">
              {readOnly ? 'Close' : 'Cancel'}
            </button>
          </div>
        </form>
      </TiersContext.Provider>
    </FormContext.Provider>
  );
}

function RuleBasics({
  draft,
  readOnly,
  idPrefix,
  nameInput,
  onChange,
  touch,
}: {
  draft: RuleDraft;
  readOnly: boolean;
  idPrefix: string;
  nameInput: RefObject<HTMLInputElement>;
  onChange: (next: RuleDraft) => void;
  touch: (path: string) => void;
}) {
  const nameErrors = useFieldErrors('name');
  const reasonErrors = useFieldErrors('reason');
  const nameId = fieldId(idPrefix, 'name');
  const reasonId = fieldId(idPrefix, 'reason');
  const set = <K extends keyof RuleDraft>(key: K, value: RuleDraft[K]) => {
    touch(key);
    onChange({ ...draft, [key]: value });
  };
  return (
    <fieldset class="rule-basics">
      <legend class="visually-hidden">Rule</legend>
      <Field label="Name" id={nameId} messages={nameErrors}>
        <input
          id={nameId}
          ref={nameInput}
          value={draft.name}
          maxLength={200}
          disabled={readOnly}
          data-testid="rule-name"
          {...invalidProps(`${nameId}-error`, nameErrors)}
          onInput={(e) => set('name', (e.currentTarget as HTMLInputElement).value)}
        />
      </Field>
      <Field label="Why (one line, optional)" id={reasonId} messages={reasonErrors} class="rule-wide">
        <input
          id={reasonId}
          value={draft.reason}
          maxLength={400}
          disabled={readOnly}
          data-testid="rule-reason"
          {...invalidProps(`${reasonId}-error`, reasonErrors)}
          onInput={(e) => set('reason', (e.currentTarget as HTMLInputElement).value)}
        />
      </Field>
      <label class="check">
        <input type="checkbox" role="switch" checked={draft.enabled} disabled={readOnly} data-testid="rule-enabled" onChange={(e) => set('enabled', (e.currentTarget as HTMLInputElement).checked)} /> Rule is
        on
      </label>
    </fieldset>
  );
}
