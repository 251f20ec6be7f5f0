/**
 * The one form kit of the options page's editors (treatment rules, sources): the editor's state every
 * field reads (its validation issues, the fields touched, read-only, element ids), a labelled field
 * with its hint and inline error tied to the input (aria-describedby, aria-invalid), a text field
 * bound to a draft's path, element ids from a field's path, and when a field counts as touched.
 * Styles: `.form-*` in entrypoints/options/options.css.
 */
import { createContext, type ComponentChildren } from 'preact';
import { useContext, useEffect, useRef } from 'preact/hooks';
import { listMessages, messagesAt, type FieldIssue } from '~/lib/pages/form-issues';

/** What every field of an editor needs from the editor. */
export interface FormState {
  issues: readonly FieldIssue[];
  touched: ReadonlySet<string>;
  touch(path: string): void;
  /** Prefix for element ids in this editor. */
  idPrefix: string;
  /** Shown, not editable (a rule the team policy locks). */
  readOnly: boolean;
}

export const FormContext = createContext<FormState>({ issues: [], touched: new Set(), touch: () => {}, idPrefix: 'form', readOnly: false });

export const useForm = (): FormState => useContext(FormContext);

/**
 * The messages to show next to the field at `path`: none until it (or a row around it) is touched.
 * `exact`: only issues at `path` itself; `entries`: a list typed as comma-separated text, whose messages name the entry.
 */
export function useFieldErrors(path: string, options: { exact?: boolean; entries?: readonly string[] } = {}): string[] {
  const { issues, touched } = useForm();
  if (!isTouched(touched, path)) return [];
  return options.entries ? listMessages(issues, path, options.entries) : messagesAt(issues, path, options);
}

/** An element id for the field at `path`, unique in an editor whose ids start with `idPrefix`. */
export function fieldId(idPrefix: string, path: string): string {
  return `${idPrefix}-${path.replace(/[^a-zA-Z0-9]+/g, '-')}`;
}

/** True when `path` or a path around it (a row, a list) was touched: its inline error may show. */
export function isTouched(touched: ReadonlySet<string>, path: string): boolean {
  if (touched.has(path)) return true;
  for (const t of touched) if (path.startsWith(`${t}.`) || path.startsWith(`${t}[`)) return true;
  return false;
}

/** aria attributes of an input with these errors (its error element is `errorId`) and an optional hint. */
export function invalidProps(errorId: string, messages: readonly string[], hintId?: string) {
  const describedBy = [messages.length > 0 ? errorId : undefined, hintId].filter(Boolean).join(' ');
  return {
    'aria-invalid': messages.length > 0 ? ('true' as const) : undefined,
    'aria-describedby': describedBy || undefined,
  };
}

/** The id and aria attributes of the input of a Field with this id (error `${id}-error`, hint `${id}-hint`). */
export function describedBy(id: string, messages: readonly string[], hint: boolean) {
  return { id, ...invalidProps(`${id}-error`, messages, hint ? `${id}-hint` : undefined) };
}

/** The inline error of one field (`id` is the error element's own id); nothing when there is none. */
export function FieldErrors({ id, messages }: { id: string; messages: readonly string[] }) {
  if (messages.length === 0) return null;
  return (
    <span id={id} class="form-field-error">
      {messages.join(' ')}
    </span>
  );
}

/** A labelled field with its hint and its error below it; give the input describedBy(id, messages, !!hint). */
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
    <div class={`form-field${className ? ` ${className}` : ''}`}>
      <label for={id}>{label}</label>
      {children}
      {hint && (
        <span id={`${id}-hint`} class="form-hint">
          {hint}
        </span>
      )}
      <FieldErrors id={`${id}-error`} messages={messages} />
    </div>
  );
}

/**
 * "Deleted X. [Undo]": a status toast that goes away by itself after `ms`, held open while the
 * pointer or the keyboard focus is on it. `onExpire(hadFocus)` tells whether focus was inside it when
 * it went (the caller moves focus somewhere sensible). Give it a `key` per removed item: a new removal
 * starts a new timer.
 */
export function UndoToast({
  message,
  ms,
  onUndo,
  onExpire,
  testId,
  undoTestId,
}: {
  message: ComponentChildren;
  ms: number;
  onUndo(): void;
  onExpire(hadFocus: boolean): void;
  testId: string;
  undoTestId: string;
}) {
  const root = useRef<HTMLDivElement>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const expire = useRef(onExpire);
  expire.current = onExpire;
  const stop = () => clearTimeout(timer.current);
  const start = () => {
    stop();
    timer.current = setTimeout(() => expire.current(root.current?.contains(document.activeElement) === true), ms);
  };
  useEffect(() => {
    start();
    return stop;
  }, []);
  return (
    <div ref={root} class="form-toast" role="status" data-testid={testId} onFocusIn={stop} onFocusOut={start} onMouseEnter={stop} onMouseLeave={start}>
      {message}{' '}
      <button type="button" class="button secondary small" onClick={onUndo} data-testid={undoTestId}>
        Undo
      </button>
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
  const { idPrefix, touch, readOnly } = useForm();
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
        disabled={readOnly}
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

/** The list by Save of what keeps it unavailable, every issue with where it is in words. */
export function IssueSummary({ id, issues, describe, class: className, testId }: { id: string; issues: readonly FieldIssue[]; describe(path: string): string; class: string; testId: string }) {
  if (issues.length === 0) return null;
  return (
    <div id={id} class={className} data-testid={testId}>
      <p>Save becomes available when {issues.length === 1 ? 'this is' : `these ${issues.length} are`} fixed:</p>
      <ul>
        {issues.map((issue, i) => (
          <li key={i}>
            {describe(issue.path)}: {issue.message}
          </li>
        ))}
      </ul>
    </div>
  );
}
