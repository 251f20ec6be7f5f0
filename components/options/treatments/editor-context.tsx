/**
 * What every part of the rule editor needs: the validation issues, which fields the manager has
 * touched (a field's inline error shows once it or a row around it was touched; the summary by Save
 * lists every issue from the start), whether the editor is read-only, and the current tiers.
 */
import { createContext, type ComponentChildren } from 'preact';
import { useContext } from 'preact/hooks';
import type { RuleIssue } from '~/lib/rules/transfer';
import { listMessages, messagesAt } from './issues';

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

/** True when `path` or a path around it (a row, a list) was touched. */
export function isTouched(touched: ReadonlySet<string>, path: string): boolean {
  if (touched.has(path)) return true;
  for (const t of touched) if (path.startsWith(`${t}.`) || path.startsWith(`${t}[`)) return true;
  return false;
}

/** The messages to show next to the field at `path` (none until it is touched). */
export function useFieldErrors(path: string, options: { exact?: boolean; entries?: readonly string[] } = {}): string[] {
  const { issues, touched } = useEditor();
  if (!isTouched(touched, path)) return [];
  return options.entries ? listMessages(issues, path, options.entries) : messagesAt(issues, path, options);
}

/** An element id for the field at `path`, unique in this editor. */
export function fieldId(idPrefix: string, path: string): string {
  return `${idPrefix}-${path.replace(/[^a-zA-Z0-9]+/g, '-')}`;
}

/** The inline error of one field; give its id to the field's aria-describedby. */
export function FieldErrors({ id, messages }: { id: string; messages: readonly string[] }) {
  if (messages.length === 0) return null;
  return (
    <span id={id} class="rule-field-error">
      {messages.join(' ')}
    </span>
  );
}

/** aria attributes of a field with these errors (and optional hint ids). */
export function invalidProps(errorId: string, messages: readonly string[], hintId?: string) {
  const describedBy = [messages.length > 0 ? errorId : undefined, hintId].filter(Boolean).join(' ');
  return {
    'aria-invalid': messages.length > 0 ? ('true' as const) : undefined,
    'aria-describedby': describedBy || undefined,
  };
}

/** A labelled field with its error below it. */
export function Field({
  label,
  id,
  messages,
  hint,
  children,
  class: className,
}: {
  label: ComponentChildren;
  id: string;
  messages: readonly string[];
  hint?: ComponentChildren;
  children: ComponentChildren;
  class?: string;
}) {
  return (
    <div class={`rule-field${className ? ` ${className}` : ''}`}>
      <label for={id}>{label}</label>
      {children}
      {hint && (
        <span id={`${id}-hint`} class="rule-hint">
          {hint}
        </span>
      )}
      <FieldErrors id={`${id}-error`} messages={messages} />
    </div>
  );
}
