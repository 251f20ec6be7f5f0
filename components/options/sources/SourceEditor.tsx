/**
 * The editor of one source (new or saved): a lookup service or a score file. Checked as the manager
 * types (validateDraft: sourceIssues and the form's own checks); each problem shows next to its field
 * once the field is touched, and all are listed by Save, which stays disabled until there are none.
 *
 * Save asks for the host permission of the source's site (not for 127.0.0.1 / localhost) in the click
 * itself, as browsers require; refused, nothing is saved and the editor says so. A saved source's
 * secrets never reach the form: they come back from the stored source on save (restoreSecrets).
 */
import { useSignal } from '@preact/signals';
import { useEffect, useId, useRef } from 'preact/hooks';
import { requestSourcePermission } from '~/lib/settings/sources';
import type { LookupServiceSource, Source } from '~/lib/sources/config';
import { describePath, validateDraft, type SourceDraft } from '~/lib/pages/sources-draft';
import { FormContext, IssueSummary } from '../form';
import { FileFields } from './FileFields';
import { LookupFields } from './LookupFields';
import { hostOf, needsPermission } from '~/lib/pages/sources-remote';
import { SourceTester } from './SourceTester';

export interface SourceEditorProps {
  initial: SourceDraft;
  /** The saved source being edited; undefined for a new one. */
  stored: Source | undefined;
  /** The id the source is saved under (a saved source keeps its own). */
  idFor(draft: SourceDraft): string;
  /** Saves the source; resolves to why it was not saved, or null. */
  onSave(source: Source): Promise<string | null>;
  onCancel(): void;
}

export function SourceEditor({ initial, stored, idFor, onSave, onCancel }: SourceEditorProps) {
  const draft = useSignal<SourceDraft>(initial);
  const touched = useSignal<ReadonlySet<string>>(new Set());
  const saving = useSignal(false);
  const saveError = useSignal<string | null>(null);
  const testing = useSignal(false);
  const idPrefix = `source-editor-${useId().replace(/[^a-zA-Z0-9]/g, '')}`;
  const root = useRef<HTMLFormElement>(null);

  // Focus goes to the name when the editor opens.
  useEffect(() => {
    root.current?.querySelector<HTMLInputElement>('[data-testid="source-name"]')?.focus();
  }, []);

  const touch = (path: string) => {
    if (!touched.value.has(path)) touched.value = new Set([...touched.value, path]);
  };
  const d = draft.value;
  const validation = validateDraft(d, idFor(d), stored);
  const { issues } = validation;
  const isNew = stored === undefined;
  const what = d.kind === 'lookup-service' ? 'lookup service' : 'score file';
  const title = isNew ? `New ${what}` : `Edit “${stored.name}”`;
  const summaryId = `${idPrefix}-summary`;

  const save = () => {
    const source = validation.source;
    if (!source || saving.value) return;
    const address = source.kind === 'lookup-service' ? source.urlTemplate : source.url;
    saving.value = true;
    saveError.value = null;
    // The permission prompt needs the click itself: nothing is awaited before it.
    const allowed = needsPermission(address) ? requestSourcePermission(address) : Promise.resolve(true);
    void allowed
      .then(async (ok) => {
        if (!ok) {
          return `Not saved: Centric was not allowed to contact ${hostOf(address)}. Save again and choose Allow when your browser asks; Centric needs it to ${source.kind === 'lookup-service' ? 'ask the service' : 'download the file'}.`;
        }
        return onSave(source);
      })
      .catch((error: unknown) => `Not saved: ${error instanceof Error ? error.message : String(error)}`)
      .then((problem) => {
        saving.value = false;
        saveError.value = problem;
      });
  };

  const testable = validation.source?.kind === 'lookup-service' ? (validation.source as LookupServiceSource) : undefined;

  return (
    <FormContext.Provider value={{ issues, touched: touched.value, touch, idPrefix, readOnly: false }}>
      <form
        ref={root}
        class="form-editor source-editor"
        aria-labelledby={`${idPrefix}-title`}
        noValidate
        data-testid="source-editor"
        data-kind={d.kind}
        onSubmit={(e) => {
          e.preventDefault();
          save();
        }}
      >
        <h3 id={`${idPrefix}-title`} tabIndex={-1}>
          {title}
        </h3>
        {d.kind === 'lookup-service' ? (
          <LookupFields draft={d} stored={stored} onChange={(next) => (draft.value = next)} />
        ) : (
          <FileFields draft={d} stored={stored} onChange={(next) => (draft.value = next)} />
        )}
        <label class="source-check">
          <input
            type="checkbox"
            role="switch"
            checked={d.enabled}
            data-testid="source-enabled"
            onChange={(e) => (draft.value = { ...draft.value, enabled: (e.currentTarget as HTMLInputElement).checked })}
          />{' '}
          Use this source
        </label>
        <IssueSummary id={summaryId} issues={issues} describe={describePath} class="source-summary" testId="source-issues" />
        {saveError.value && (
          <p class="notice error" role="alert" data-testid="source-save-error">
            {saveError.value}
          </p>
        )}
        <div class="actions">
          <button
            type="submit"
            class="button"
            disabled={issues.length > 0}
            aria-disabled={saving.value || undefined}
            aria-describedby={issues.length > 0 ? summaryId : undefined}
            data-testid="source-save"
          >
            {saving.value ? 'Saving…' : isNew ? `Add ${what}` : 'Save'}
          </button>
          <button type="button" class="button secondary" onClick={onCancel} data-testid="source-cancel">
            Cancel
          </button>
          {d.kind === 'lookup-service' && (
            <button
              type="button"
              class="button secondary"
              aria-expanded={testing.value}
              aria-controls={`${idPrefix}-tester`}
              data-testid="source-test"
              onClick={() => (testing.value = !testing.value)}
            >
              Test
            </button>
          )}
        </div>
        {d.kind === 'lookup-service' && (
          <div id={`${idPrefix}-tester`} hidden={!testing.value}>
            {testing.value && <SourceTester source={testable} unavailable="Fix the problems listed above to test this service." idPrefix={idPrefix} />}
          </div>
        )}
      </form>
    </FormContext.Provider>
  );
}
