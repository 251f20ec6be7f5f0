/**
 * Form pieces of the Sources editors: a labelled field with its hint and inline error (tied to the
 * input with aria-describedby / aria-invalid), and the editor context (issues, touched fields, ids).
 */
import { createContext, type ComponentChildren } from 'preact';
import { describedBy, Field, FieldErrors, fieldId, isTouched } from '../form';
import { useContext } from 'preact/hooks';
import { messagesAt, type DraftIssue } from '~/lib/pages/sources-draft';

export interface EditorContextValue {
  issues: readonly DraftIssue[];
  touched: ReadonlySet<string>;
  touch(path: string): void;
  /** Prefix for element ids in this editor. */
  idPrefix: string;
}

export const SourceEditorContext = createContext<EditorContextValue>({ issues: [], touched: new Set(), touch: () => {}, idPrefix: 'source' });

export const useSourceEditor = () => useContext(SourceEditorContext);

/** The messages to show next to the field at `path`: none until it is touched. */
export function useFieldErrors(path: string): string[] {
  const { issues, touched } = useSourceEditor();
  return isTouched(touched, path) ? messagesAt(issues, path) : [];
}

export { describedBy, Field, fieldId } from '../form';

/** The inline error of one field with this id. */
export function FieldError({ id, messages }: { id: string; messages: readonly string[] }) {
  return <FieldErrors id={`${id}-error`} messages={messages} />;
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
