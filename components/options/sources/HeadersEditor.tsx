/**
 * The request headers of a source (an API key, a bearer token): a name and a value per row. Values
 * are secrets: a password-type input with a Show toggle. A saved value arrives as HIDDEN_VALUE (the
 * form never holds the secret) and is kept on save unless the manager types a new one; focusing such
 * a field selects it, so typing replaces it.
 */
import { useSignal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import { HIDDEN_VALUE, MAX_HEADERS, type Source } from '~/lib/sources/config';
import { newHeaderRow, type HeaderDraft } from '~/lib/pages/sources-draft';
import { FieldErrors, describedBy, fieldId, useFieldErrors, useForm } from '../form';

export interface HeadersEditorProps {
  headers: readonly HeaderDraft[];
  onChange(headers: HeaderDraft[]): void;
  /** The saved source, whose header values the hidden ones stand for. */
  stored: Source | undefined;
  /** What the headers are sent with, in words ("every request", "the file download"). */
  sentWith: string;
}

export function HeadersEditor({ headers, onChange, stored, sentWith }: HeadersEditorProps) {
  const { idPrefix, touch } = useForm();
  const shown = useSignal<ReadonlySet<number>>(new Set());
  const list = useRef<HTMLUListElement>(null);
  const focusRow = useRef<number | null>(null);
  const addButton = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    const key = focusRow.current;
    if (key === null) return;
    focusRow.current = null;
    const target = key < 0 ? addButton.current : list.current?.querySelector<HTMLInputElement>(`[data-row="${key}"] [data-testid="source-header-name"]`);
    target?.focus();
  });

  const update = (index: number, patch: Partial<HeaderDraft>, path: string) => {
    touch(path);
    onChange(headers.map((h, i) => (i === index ? { ...h, ...patch } : h)));
  };
  const add = () => {
    const row = newHeaderRow();
    focusRow.current = row.key;
    onChange([...headers, row]);
  };
  const remove = (index: number) => {
    const next = headers.filter((_, i) => i !== index);
    focusRow.current = next[Math.min(index, next.length - 1)]?.key ?? -1;
    onChange(next);
  };
  const toggleShown = (key: number) => {
    const next = new Set(shown.value);
    if (next.has(key)) next.delete(key);
    else next.add(key);
    shown.value = next;
  };
  const keepsStored = (h: HeaderDraft) => h.value === HIDDEN_VALUE && !!stored?.headers.some((s) => s.name.toLowerCase() === h.name.trim().toLowerCase());

  return (
    <fieldset class="source-headers">
      <legend>Headers</legend>
      <p class="form-hint" id={`${idPrefix}-headers-hint`}>
        Sent with {sentWith}, e.g. <code>Authorization</code> with <code>Bearer</code> and the token, or <code>X-API-Key</code>. Values stay in
        the extension’s storage and are never sent to web pages.
      </p>
      {headers.length > 0 && (
        <ul class="source-header-rows" ref={list}>
          {headers.map((h, i) => (
            <HeaderRow
              key={h.key}
              header={h}
              index={i}
              shown={shown.value.has(h.key)}
              keepsStored={keepsStored(h)}
              onName={(name) => {
                // Renaming a header with a hidden value may leave that value without its secret: say so at once.
                if (h.value === HIDDEN_VALUE) touch(`headers[${i}].value`);
                update(i, { name }, `headers[${i}].name`);
              }}
              onValue={(value) => {
                // Typing after a hidden value (the field was not selected) replaces it rather than adding to it.
                const replaced = h.value === HIDDEN_VALUE && value.startsWith(HIDDEN_VALUE) && value.length > HIDDEN_VALUE.length ? value.slice(HIDDEN_VALUE.length) : value;
                update(i, { value: replaced }, `headers[${i}].value`);
              }}
              onToggleShown={() => toggleShown(h.key)}
              onRemove={() => remove(i)}
            />
          ))}
        </ul>
      )}
      <button type="button" class="button secondary small" ref={addButton} onClick={add} disabled={headers.length >= MAX_HEADERS} data-testid="source-header-add">
        Add header
      </button>
    </fieldset>
  );
}

function HeaderRow({
  header,
  index,
  shown,
  keepsStored,
  onName,
  onValue,
  onToggleShown,
  onRemove,
}: {
  header: HeaderDraft;
  index: number;
  shown: boolean;
  keepsStored: boolean;
  onName(name: string): void;
  onValue(value: string): void;
  onToggleShown(): void;
  onRemove(): void;
}) {
  const { idPrefix } = useForm();
  const nameId = fieldId(idPrefix, `headers[${index}].name`);
  const valueId = fieldId(idPrefix, `headers[${index}].value`);
  const nameErrors = useFieldErrors(`headers[${index}].name`);
  const valueErrors = useFieldErrors(`headers[${index}].value`);
  const n = index + 1;
  return (
    <li class="source-header-row" data-row={header.key} data-testid="source-header">
      <div class="form-field">
        <label for={nameId}>Header {n} name</label>
        <input
          {...describedBy(nameId, nameErrors, false)}
          value={header.name}
          placeholder="Authorization"
          maxLength={100}
          spellcheck={false}
          autoComplete="off"
          data-testid="source-header-name"
          onInput={(e) => onName((e.currentTarget as HTMLInputElement).value)}
        />
        <FieldErrors id={`${nameId}-error`} messages={nameErrors} />
      </div>
      <div class="form-field source-header-value">
        <label for={valueId}>Header {n} value</label>
        <span class="source-secret">
          <input
            {...describedBy(valueId, valueErrors, keepsStored)}
            type={shown ? 'text' : 'password'}
            value={header.value}
            placeholder={header.name.toLowerCase() === 'authorization' ? 'Bearer …' : 'the API key'}
            spellcheck={false}
            autoComplete="off"
            data-testid="source-header-value"
            onFocus={(e) => {
              if (header.value === HIDDEN_VALUE) (e.currentTarget as HTMLInputElement).select();
            }}
            onInput={(e) => onValue((e.currentTarget as HTMLInputElement).value)}
          />
          <button
            type="button"
            class="button secondary small"
            aria-label={`${shown ? 'Hide' : 'Show'} the value of header ${n}`}
            aria-controls={valueId}
            data-testid="source-header-show"
            onClick={onToggleShown}
          >
            {shown ? 'Hide' : 'Show'}
          </button>
        </span>
        {keepsStored && (
          <span id={`${valueId}-hint`} class="form-hint">
            The saved value is kept (it is not shown here). Type a new value to replace it.
          </span>
        )}
        <FieldErrors id={`${valueId}-error`} messages={valueErrors} />
      </div>
      <button type="button" class="button secondary small source-header-remove" aria-label={`Remove header ${n}${header.name ? ` (${header.name})` : ''}`} onClick={onRemove} data-testid="source-header-remove">
        Remove
      </button>
    </li>
  );
}
