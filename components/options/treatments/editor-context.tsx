/**
 * What every part of the rule editor needs: the validation issues, which fields the manager has
 * touched (a field's inline error shows once it or a row around it was touched; the summary by Save
 * lists every issue from the start), whether the editor is read-only, and the current tiers.
 */
import { createContext } from 'preact';
import { isTouched } from '../form';
import { useContext } from 'preact/hooks';
import type { RuleIssue } from '~/lib/rules/transfer';
import { listMessages, messagesAt } from '~/lib/pages/treatments-issues';

export interface TierChoice {
  name: string;
  color: string;
}

export interface EditorContextValue {
  issues: readonly RuleIssue[];
  touched: ReadonlySet<string>;
  touch(path: string): void;
  readOnly: boolean;
  tiers: readonly TierChoice[];
  /** Prefix for element ids in this editor. */
  idPrefix: string;
}

export const EditorContext = createContext<EditorContextValue>({
  issues: [],
  touched: new Set(),
  touch: () => {},
  readOnly: false,
  tiers: [],
  idPrefix: 'rule',
});

export function useEditor(): EditorContextValue {
  return useContext(EditorContext);
}

/** The messages to show next to the field at `path` (none until it is touched). */
export function useFieldErrors(path: string, options: { exact?: boolean; entries?: readonly string[] } = {}): string[] {
  const { issues, touched } = useEditor();
  if (!isTouched(touched, path)) return [];
  return options.entries ? listMessages(issues, path, options.entries) : messagesAt(issues, path, options);
}

export { Field, FieldErrors, fieldId, invalidProps, isTouched } from '../form';
