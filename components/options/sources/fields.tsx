/**
 * Form pieces of the Sources editors: a labelled field with its hint and inline error (tied to the
 * input with aria-describedby / aria-invalid), and the editor context (issues, touched fields, ids).
 */
import { createContext, type ComponentChildren } from 'preact';
import { useContext } from 'preact/hooks';
import { messagesAt, type DraftIssue } from './draft';

export interface EditorContextValue {
  issues: readonly DraftIssue[];
  touched: ReadonlySet<string>;
  touch(path: string): void;
  /** Prefix for element ids in this editor. */
  idPrefix: string;
}

export const SourceEditorContext = createContext<EditorContextValue>({ issues: [], touched: new Set(), touch: () => {}, idPrefix: 'source' });

export const useSourceEditor = () => useContext(SourceEditorContext);

/** An element id for the field at `path`, unique in this editor. */
export function fieldId(idPrefix: string, path: string): string {
  return `${idPrefix}-${path.replace(/[^a-zA-Z0-9]+/g, '-')}`;
}

/** True when `path` or a path around it (a row, a list) was touched. */
function isTouched(touched: ReadonlySet<string>, path: string): boolean {
  if (touched.has(path)) return true;
  for (const t of touched) if (path.startsWith(`${t}.`) || path.startsWith(`${t}[`)) return true;
  return false;
}

/** The messages to show next to the field at `path`: none until it is touched. */
export function useFieldErrors(path: string): string[] {
  const { issues, touched } = useSourceEditor();
  return isTouched(touched, path) ? messagesAt(issues, path) : [];
}

/** The attributes tying an input to its error and hint. */
export function describedBy(id: string, messages: readonly string[], hint: boolean) {
  const ids = [messages.length > 0 ? `${id}-error` : undefined, hint ? `${id}-hint` : undefined].filter(Boolean).join(' ');
  return {
    id,
    'aria-invalid': messages.length > 0 ? ('true' as const) : undefined,
    'aria-describedby': ids || undefined,
  };
}

/** The inline error of one field. */
export function FieldError({ id, messages }: { id: string; messages: readonly string[] }) {
  if (messages.length === 0) return null;
  return (
    <span id={`${id}-error`} class="source-field-error">
      {messages.join(' ')}
    </span>
  );
}

/** A labelled field with its hint and its error below it; the input gets describedBy(id, messages, !!hint). */
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
    <div class={`source-field${className ? ` ${className}` : ''}`}>
      <label for={id}>{label}</label>
      {children}
      {hint && (
        <span id={`${id}-hint`} class="source-hint">
          {hint}
        </span>
      )}
      <FieldError id={id} messages={messages} />
    </div>
  );
}

/** A text input bound to one draft field, with its label, hint and inline error. */
export function TextField({
  path,
  label,
  value,
  onInput,
  hint,
  testId,
  class: className,
  ...rest
}: {
  path: string;
  label: ComponentChildren;
  value: string;
  onInput(value: string): void;
  hint?: ComponentChildren;
  testId: string;
  class?: string;
  type?: 'text' | 'number' | 'url';
  min?: number;
  max?: number;
  step?: number | 'any';
  placeholder?: string;
  maxLength?: number;
  inputMode?: 'numeric' | 'decimal' | 'url' | 'text';
}) {
  const { idPrefix, touch } = useSourceEditor();
  const id = fieldId(idPrefix, path);
  const messages = useFieldErrors(path);
  return (
    <Field label={label} id={id} messages={messages} hint={hint} class={className}>
      <input
        {...describedBy(id, messages, !!hint)}
        type={rest.type ?? 'text'}
        value={value}
        min={rest.min}
        max={rest.max}
        step={rest.step}
        placeholder={rest.placeholder}
        maxLength={rest.maxLength}
        inputMode={rest.inputMode}
        spellcheck={false}
        autoComplete="off"
        data-testid={testId}
        onInput={(e) => {
          touch(path);
          onInput((e.currentTarget as HTMLInputElement).value);
        }}
        onBlur={() => touch(path)}
      />
    </Field>
  );
}
