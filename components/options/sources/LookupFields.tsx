/**
 * The fields of a lookup service: name, URL template (with its placeholders, insert buttons and a
 * preview of the address for a sample customer), headers, response format (the Centric JSON, or a
 * path per field of the service's own JSON), and the limits: time limit, retries, request rate, and
 * how long answers are kept (in minutes or hours; stored in seconds).
 */
import { useEffect, useRef } from 'preact/hooks';
import { MAPPED_FIELDS, type MappedField, type Source } from '~/lib/sources/config';
import { URL_PLACEHOLDERS, renderLookupUrl, type UrlPlaceholder } from '~/lib/sources/url';
import { MAPPED_FIELD_LABELS, type LookupDraft, type TimeUnit } from '~/lib/pages/sources-draft';
import { messagesAt } from '~/lib/pages/form-issues';
import { Field, TextField, describedBy, fieldId, useFieldErrors, useForm } from '../form';
import { VALUE_WORDS } from '~/lib/labels/value';
import { HeadersEditor } from './HeadersEditor';

const SAMPLE = { email: 'ann@acme.com', domain: 'acme.com', id: 'C-1042', name: 'Ann Lee' };

const MAPPING_EXAMPLES: Record<MappedField, string> = {
  tier: 'data.customer.tier',
  clv: 'data.customer.ltv',
  next12Months: 'data.forecast.next12m',
  lifetimeValue: 'data.customer.ltv_residual',
  pAlive: 'data.churn.p_active',
  expectedTransactions: 'data.forecast.orders',
  segment: 'data.segment',
  treatment: 'data.playbook',
  updatedAt: 'meta.scored_at',
  tierColor: 'data.tier_color',
  customerId: 'data.customer.id',
};

export function LookupFields({ draft, stored, onChange }: { draft: LookupDraft; stored: Source | undefined; onChange(next: LookupDraft): void }) {
  const set = <K extends keyof LookupDraft>(key: K, value: LookupDraft[K]) => onChange({ ...draft, [key]: value });
  return (
    <>
      <TextField
        path="name"
        label="Name"
        value={draft.name}
        onInput={(v) => set('name', v)}
        maxLength={80}
        placeholder="Acme warehouse API"
        hint="Shown in the sidebar: “From <name>, as of …”."
        testId="source-name"
      />
      <UrlTemplateField value={draft.urlTemplate} onInput={(v) => set('urlTemplate', v)} />
      <HeadersEditor headers={draft.headers} stored={stored} sentWith="every request" onChange={(headers) => set('headers', headers)} />
      <FormatFields draft={draft} onChange={onChange} />
      <fieldset class="source-limits">
        <legend>Limits and caching</legend>
        <div class="source-grid">
          <TextField
            path="timeoutMs"
            label="Time limit (milliseconds)"
            type="number"
            min={500}
            max={30000}
            step={100}
            inputMode="numeric"
            value={draft.timeoutMs}
            onInput={(v) => set('timeoutMs', v)}
            hint="Per attempt; 500 to 30,000."
            testId="source-timeout"
          />
          <TextField
            path="retries"
            label="Retries"
            type="number"
            min={0}
            max={5}
            step={1}
            inputMode="numeric"
            value={draft.retries}
            onInput={(v) => set('retries', v)}
            hint="After a time-out, a network error or a server error (never after a refusal); 0 to 5."
            testId="source-retries"
          />
          <TextField
            path="ratePerMinute"
            label="Requests a minute, at most"
            type="number"
            min={1}
            max={600}
            step={1}
            inputMode="numeric"
            value={draft.ratePerMinute}
            onInput={(v) => set('ratePerMinute', v)}
            hint="Retries included; 1 to 600."
            testId="source-rate"
          />
          <DurationField
            path="ttl"
            label="Keep answers for"
            amount={draft.ttl}
            unit={draft.ttlUnit}
            onAmount={(v) => set('ttl', v)}
            onUnit={(u) => set('ttlUnit', u)}
            hint="Shown without asking again; up to 7 days."
            testId="source-ttl"
          />
          <DurationField
            path="stale"
            label="Then show old answers for"
            amount={draft.stale}
            unit={draft.staleUnit}
            onAmount={(v) => set('stale', v)}
            onUnit={(u) => set('staleUnit', u)}
            hint="Shown at once while Centric asks again in the background; up to 30 days."
            testId="source-stale"
          />
        </div>
      </fieldset>
    </>
  );
}

/** The URL template, with buttons that insert a placeholder at the cursor and a preview for a sample customer. */
function UrlTemplateField({ value, onInput }: { value: string; onInput(value: string): void }) {
  const { idPrefix, touch, issues } = useForm();
  const id = fieldId(idPrefix, 'urlTemplate');
  const messages = useFieldErrors('urlTemplate');
  const input = useRef<HTMLInputElement>(null);
  const caret = useRef<number | null>(null);

  useEffect(() => {
    const at = caret.current;
    if (at === null || !input.current) return;
    caret.current = null;
    input.current.focus();
    input.current.setSelectionRange(at, at);
  });

  const insert = (name: UrlPlaceholder) => {
    const el = input.current;
    const start = el?.selectionStart ?? value.length;
    const end = el?.selectionEnd ?? start;
    const text = `{${name}}`;
    touch('urlTemplate');
    caret.current = start + text.length;
    onInput(value.slice(0, start) + text + value.slice(end));
  };

  const preview = value.trim() !== '' && messagesAt(issues, 'urlTemplate').length === 0 ? renderLookupUrl(value, SAMPLE) : undefined;
  return (
    <Field
      label="URL template"
      id={id}
      messages={messages}
      class="source-wide"
      hint={
        <>
          Where the customer goes, write a placeholder: {URL_PLACEHOLDERS.map((p, i) => [i > 0 ? ', ' : '', <code key={p}>{`{${p}}`}</code>])} — e.g.{' '}
          <code>https://api.example.com/customers/{'{email}'}</code>. https:// only (http:// just for 127.0.0.1 and localhost).
        </>
      }
    >
      <input
        {...describedBy(id, messages, true)}
        ref={input}
        type="url"
        value={value}
        placeholder="https://api.example.com/customers/{email}"
        maxLength={2000}
        spellcheck={false}
        autoComplete="off"
        data-testid="source-url"
        onInput={(e) => {
          touch('urlTemplate');
          onInput((e.currentTarget as HTMLInputElement).value);
        }}
        onBlur={() => touch('urlTemplate')}
      />
      <span class="source-placeholders" role="group" aria-label="Insert a placeholder">
        {URL_PLACEHOLDERS.map((p) => (
          <button key={p} type="button" class="button secondary small" onClick={() => insert(p)} data-testid={`source-insert-${p}`} aria-label={`Insert {${p}}`}>
            {`{${p}}`}
          </button>
        ))}
      </span>
      {preview?.ok && (
        <span class="form-hint source-preview" data-testid="source-url-preview">
          For {SAMPLE.name} ({SAMPLE.email}) Centric would ask: <code>{preview.url}</code>
        </span>
      )}
    </Field>
  );
}

/** A cache time: an amount and its unit (minutes or hours). */
function DurationField({
  path,
  label,
  amount,
  unit,
  onAmount,
  onUnit,
  hint,
  testId,
}: {
  path: string;
  label: string;
  amount: string;
  unit: TimeUnit;
  onAmount(value: string): void;
  onUnit(unit: TimeUnit): void;
  hint: string;
  testId: string;
}) {
  const { idPrefix, touch } = useForm();
  const id = fieldId(idPrefix, path);
  const messages = useFieldErrors(path);
  return (
    <Field label={label} id={id} messages={messages} hint={hint}>
      <span class="source-inline">
        <input
          {...describedBy(id, messages, true)}
          type="number"
          min={0}
          step="any"
          inputMode="decimal"
          value={amount}
          data-testid={testId}
          onInput={(e) => {
            touch(path);
            onAmount((e.currentTarget as HTMLInputElement).value);
          }}
          onBlur={() => touch(path)}
        />
        <select
          aria-label={`${label}: unit`}
          value={unit}
          data-testid={`${testId}-unit`}
          onChange={(e) => {
            touch(path);
            onUnit((e.currentTarget as HTMLSelectElement).value as TimeUnit);
          }}
        >
          <option value="minutes">minutes</option>
          <option value="hours">hours</option>
        </select>
      </span>
    </Field>
  );
}

/** The response format: the documented Centric JSON, or a path per field of the service's own JSON. */
function FormatFields({ draft, onChange }: { draft: LookupDraft; onChange(next: LookupDraft): void }) {
  const { idPrefix, touch } = useForm();
  const id = fieldId(idPrefix, 'format');
  return (
    <fieldset class="source-format">
      <legend>What the service answers</legend>
      <div class="form-field">
        <label for={id}>Response format</label>
        <select
          id={id}
          value={draft.format}
          data-testid="source-format"
          onChange={(e) => {
            touch('format');
            onChange({ ...draft, format: (e.currentTarget as HTMLSelectElement).value as LookupDraft['format'] });
          }}
        >
          <option value="centric">Centric JSON</option>
          <option value="mapping">Map fields from your service’s JSON</option>
        </select>
      </div>
      {draft.format === 'centric' ? <CentricJsonHelp /> : <MappingFields draft={draft} onChange={onChange} />}
    </fieldset>
  );
}

function CentricJsonHelp() {
  return (
    <details class="source-json-help" data-testid="source-centric-json">
      <summary>What the Centric JSON looks like</summary>
      <p>One JSON object per customer. Only the tier is required; null counts as absent, other fields are ignored.</p>
      <pre>
        <code>{`{
  "tier": "Gold",
  "clv": 1234.5,
  "next12Months": 310.2,
  "lifetimeValue": 2890.1,
  "pAlive": 0.82,
  "expectedTransactions": 2.4,
  "segment": "Wholesale",
  "treatment": "Call back today",
  "updatedAt": "2025-03-12T10:42:00Z",
  "tierColor": "#facc15",
  "customerId": "C-1042"
}`}</code>
      </pre>
      <ul>
        <li>
          <code>tier</code>: text, up to 40 characters (the badge).
        </li>
        <li>
          <code>lifetimeValue</code>: the {VALUE_WORDS.lifetimeValue.toLowerCase()} (the rest of the customer’s life, discounted);{' '}
          <code>clv</code>: the value over your scoring horizon, discounted; <code>next12Months</code>: the next 12 months, undiscounted. Numbers,
          in your team’s currency.
        </li>
        <li>
          <code>pAlive</code>: the probability the customer is still active, from 0 to 1; <code>expectedTransactions</code>: 0 or more.
        </li>
        <li>
          <code>segment</code>: text; <code>treatment</code>: a title, or <code>{'{"title": …, "guidance": …}'}</code>.
        </li>
        <li>
          <code>updatedAt</code>: when the customer was scored (ISO 8601); <code>tierColor</code>: #rgb or #rrggbb; <code>customerId</code>: your
          id for the customer.
        </li>
      </ul>
      <p>
        Answer 404 when you do not know the customer; 401 or 403 when the key is wrong.
      </p>
    </details>
  );
}

function MappingFields({ draft, onChange }: { draft: LookupDraft; onChange(next: LookupDraft): void }) {
  return (
    <div class="source-mapping">
      <p class="form-hint">
        Where each value is in your service’s answer: names separated by dots, list positions in brackets, e.g. <code>data.customer.ltv</code> or{' '}
        <code>scores[0].tier</code>. Only the tier is required; numbers may be numeric text, and the date a Unix time.
      </p>
      <div class="source-grid">
        {MAPPED_FIELDS.map((field) => (
          <TextField
            key={field}
            path={`format.fields.${field}`}
            label={field === 'tier' ? `${MAPPED_FIELD_LABELS[field]} (required)` : `${MAPPED_FIELD_LABELS[field]} (optional)`}
            value={draft.fields[field]}
            placeholder={MAPPING_EXAMPLES[field]}
            maxLength={200}
            onInput={(v) => onChange({ ...draft, fields: { ...draft.fields, [field]: v } })}
            testId={`source-map-${field}`}
          />
        ))}
      </div>
    </div>
  );
}
