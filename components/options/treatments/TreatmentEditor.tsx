/**
 * What agents are told to do: title, guidance, priority, response target, badge colour, links (URL
 * templates), reply snippets and tags. Issue paths are those of RuleSchema under "treatment".
 */
import { PLACEHOLDERS } from '~/lib/rules/template';
import { PRIORITIES, TIME_UNITS, type Priority, type TimeUnit } from '~/lib/rules/schema';
import { newKey, splitList, type DraftLink, type DraftSnippet, type DraftTreatment } from '~/lib/pages/treatments-draft';
import { Field, FieldErrors, fieldId, invalidProps, useEditor, useFieldErrors } from './editor-context';

const MAX_ACTIONS = 10;
const HEX = /^#[0-9a-fA-F]{6}$/;

const PRIORITY_LABELS: Record<Priority, string> = { urgent: 'Urgent', high: 'High', normal: 'Normal', low: 'Low' };

const placeholderList = PLACEHOLDERS.map((p) => `{{${p}}}`).join(' ');

export function TreatmentEditor({ treatment, onChange }: { treatment: DraftTreatment; onChange: (next: DraftTreatment) => void }) {
  const { readOnly, touch, idPrefix } = useEditor();
  const set = <K extends keyof DraftTreatment>(key: K, value: DraftTreatment[K], path: string) => {
    touch(path);
    onChange({ ...treatment, [key]: value });
  };
  const id = (path: string) => fieldId(idPrefix, path);
  const titleErrors = useFieldErrors('treatment.title');
  const guidanceErrors = useFieldErrors('treatment.guidance');
  const priorityErrors = useFieldErrors('treatment.priority');
  const targetErrors = useFieldErrors('treatment.responseTarget');
  const colorErrors = useFieldErrors('treatment.color');
  const tagErrors = useFieldErrors('treatment.actions.tags', { entries: splitList(treatment.tags) });
  const colorValid = HEX.test(treatment.color.trim());

  return (
    <fieldset class="treatment-editor" data-testid="rule-treatment">
      <legend>What agents should do</legend>
      <div class="rule-grid">
        <Field label="Title" id={id('treatment.title')} messages={titleErrors}>
          <input
            id={id('treatment.title')}
            value={treatment.title}
            maxLength={200}
            disabled={readOnly}
            data-testid="treatment-title"
            {...invalidProps(`${id('treatment.title')}-error`, titleErrors)}
            onInput={(e) => set('title', (e.currentTarget as HTMLInputElement).value, 'treatment.title')}
          />
        </Field>
        <Field label="Priority" id={id('treatment.priority')} messages={priorityErrors}>
          <select
            id={id('treatment.priority')}
            value={treatment.priority}
            disabled={readOnly}
            onChange={(e) => set('priority', (e.currentTarget as HTMLSelectElement).value as Priority | '', 'treatment.priority')}
          >
            <option value="">None</option>
            {PRIORITIES.map((p) => (
              <option key={p} value={p}>
                {PRIORITY_LABELS[p]}
              </option>
            ))}
          </select>
        </Field>
        <div class="form-field">
          <span id={`${id('treatment.responseTarget')}-label`}>Respond within (optional)</span>
          <span class="rule-inline" role="group" aria-labelledby={`${id('treatment.responseTarget')}-label`}>
            <input
              id={id('treatment.responseTarget')}
              type="number"
              min={1}
              max={1000}
              step={1}
              class="condition-number-input"
              aria-label="Response target amount"
              value={treatment.targetAmount}
              disabled={readOnly}
              data-testid="treatment-target-amount"
              {...invalidProps(`${id('treatment.responseTarget')}-error`, targetErrors)}
              onInput={(e) => set('targetAmount', (e.currentTarget as HTMLInputElement).value, 'treatment.responseTarget')}
            />
            <select
              aria-label="Response target unit"
              value={treatment.targetUnit}
              disabled={readOnly}
              onChange={(e) => set('targetUnit', (e.currentTarget as HTMLSelectElement).value as TimeUnit, 'treatment.responseTarget')}
            >
              {TIME_UNITS.map((u) => (
                <option key={u} value={u}>
                  {u}
                </option>
              ))}
            </select>
          </span>
          <FieldErrors id={`${id('treatment.responseTarget')}-error`} messages={targetErrors} />
        </div>
        <div class="form-field">
          <label for={id('treatment.color')}>Badge colour (hex)</label>
          <span class="rule-inline">
            <input
              type="color"
              aria-label="Badge colour picker"
              value={colorValid ? treatment.color.trim() : '#000000'}
              disabled={readOnly}
              onInput={(e) => set('color', (e.currentTarget as HTMLInputElement).value, 'treatment.color')}
            />
            <input
              id={id('treatment.color')}
              class="rule-hex"
              value={treatment.color}
              maxLength={7}
              spellcheck={false}
              disabled={readOnly}
              data-testid="treatment-color"
              {...invalidProps(`${id('treatment.color')}-error`, colorErrors)}
              onInput={(e) => set('color', (e.currentTarget as HTMLInputElement).value, 'treatment.color')}
            />
          </span>
          <FieldErrors id={`${id('treatment.color')}-error`} messages={colorErrors} />
        </div>
      </div>
      <Field label="Guidance" id={id('treatment.guidance')} messages={guidanceErrors} hint={`${treatment.guidance.trim().length} of 400 characters`}>
        <textarea
          id={id('treatment.guidance')}
          rows={3}
          value={treatment.guidance}
          disabled={readOnly}
          data-testid="treatment-guidance"
          {...invalidProps(`${id('treatment.guidance')}-error`, guidanceErrors, `${id('treatment.guidance')}-hint`)}
          onInput={(e) => set('guidance', (e.currentTarget as HTMLTextAreaElement).value, 'treatment.guidance')}
        />
      </Field>
      <LinksEditor links={treatment.links} onChange={(links) => onChange({ ...treatment, links })} />
      <SnippetsEditor snippets={treatment.snippets} onChange={(snippets) => onChange({ ...treatment, snippets })} />
      <Field label="Tags (comma-separated)" id={id('treatment.actions.tags')} messages={tagErrors} hint="one word each, e.g. vip, save-attempt">
        <input
          id={id('treatment.actions.tags')}
          value={treatment.tags}
          disabled={readOnly}
          data-testid="treatment-tags"
          {...invalidProps(`${id('treatment.actions.tags')}-error`, tagErrors, `${id('treatment.actions.tags')}-hint`)}
          onInput={(e) => set('tags', (e.currentTarget as HTMLInputElement).value, 'treatment.actions.tags')}
        />
      </Field>
    </fieldset>
  );
}

function LinksEditor({ links, onChange }: { links: DraftLink[]; onChange: (next: DraftLink[]) => void }) {
  const { readOnly, touch, idPrefix } = useEditor();
  const hintId = `${idPrefix}-links-hint`;
  const listErrors = useFieldErrors('treatment.actions.links', { exact: true });
  const update = (i: number, patch: Partial<DraftLink>, field: string) => {
    touch(`treatment.actions.links[${i}].${field}`);
    onChange(links.map((l, k) => (k === i ? { ...l, ...patch } : l)));
  };
  return (
    <fieldset class="rule-actions" data-testid="treatment-links">
      <legend>Links</legend>
      <p id={hintId} class="form-hint">
        Start with https://, http:// or mailto:. Placeholders filled in for each customer: <code>{placeholderList}</code>
      </p>
      {links.map((link, i) => (
        <LinkRow key={link.key} link={link} index={i} hintId={hintId} onChange={(patch, field) => update(i, patch, field)} onRemove={() => onChange(links.filter((_, k) => k !== i))} />
      ))}
      <FieldErrors id={`${idPrefix}-links-error`} messages={listErrors} />
      {!readOnly && (
        <button
          type="button"
          class="button secondary small"
          disabled={links.length >= MAX_ACTIONS}
          onClick={() => onChange([...links, { key: newKey(), label: '', url: '' }])}
          data-testid="link-add"
        >
          Add link
        </button>
      )}
    </fieldset>
  );
}

function LinkRow({
  link,
  index,
  hintId,
  onChange,
  onRemove,
}: {
  link: DraftLink;
  index: number;
  hintId: string;
  onChange: (patch: Partial<DraftLink>, field: string) => void;
  onRemove: () => void;
}) {
  const { readOnly, idPrefix } = useEditor();
  const base = `treatment.actions.links[${index}]`;
  const labelErrors = useFieldErrors(`${base}.label`);
  const urlErrors = useFieldErrors(`${base}.url`);
  const labelId = fieldId(idPrefix, `${base}.label`);
  const urlId = fieldId(idPrefix, `${base}.url`);
  return (
    <div class="rule-action-row" role="group" aria-label={`Link ${index + 1}`}>
      <Field label={`Link ${index + 1} label`} id={labelId} messages={labelErrors}>
        <input id={labelId} value={link.label} disabled={readOnly} {...invalidProps(`${labelId}-error`, labelErrors)} onInput={(e) => onChange({ label: (e.currentTarget as HTMLInputElement).value }, 'label')} />
      </Field>
      <Field label={`Link ${index + 1} URL`} id={urlId} messages={urlErrors} class="rule-wide">
        <input
          id={urlId}
          value={link.url}
          placeholder="https://crm.example.com/search?q={{email}}"
          disabled={readOnly}
          data-testid="link-url"
          {...invalidProps(`${urlId}-error`, urlErrors, hintId)}
          onInput={(e) => onChange({ url: (e.currentTarget as HTMLInputElement).value }, 'url')}
        />
      </Field>
      {!readOnly && (
        <button type="button" class="button secondary small" onClick={onRemove}>
          Remove<span class="visually-hidden"> link {index + 1}</span>
        </button>
      )}
    </div>
  );
}

function SnippetsEditor({ snippets, onChange }: { snippets: DraftSnippet[]; onChange: (next: DraftSnippet[]) => void }) {
  const { readOnly, touch, idPrefix } = useEditor();
  const listErrors = useFieldErrors('treatment.actions.snippets', { exact: true });
  const update = (i: number, patch: Partial<DraftSnippet>, field: string) => {
    touch(`treatment.actions.snippets[${i}].${field}`);
    onChange(snippets.map((s, k) => (k === i ? { ...s, ...patch } : s)));
  };
  return (
    <fieldset class="rule-actions" data-testid="treatment-snippets">
      <legend>Reply snippets</legend>
      <p class="form-hint">Text agents copy into their reply; the same placeholders work here.</p>
      {snippets.map((snippet, i) => (
        <SnippetRow key={snippet.key} snippet={snippet} index={i} onChange={(patch, field) => update(i, patch, field)} onRemove={() => onChange(snippets.filter((_, k) => k !== i))} />
      ))}
      <FieldErrors id={`${idPrefix}-snippets-error`} messages={listErrors} />
      {!readOnly && (
        <button
          type="button"
          class="button secondary small"
          disabled={snippets.length >= MAX_ACTIONS}
          onClick={() => onChange([...snippets, { key: newKey(), label: '', text: '' }])}
          data-testid="snippet-add"
        >
          Add snippet
        </button>
      )}
    </fieldset>
  );
}

function SnippetRow({
  snippet,
  index,
  onChange,
  onRemove,
}: {
  snippet: DraftSnippet;
  index: number;
  onChange: (patch: Partial<DraftSnippet>, field: string) => void;
  onRemove: () => void;
}) {
  const { readOnly, idPrefix } = useEditor();
  const base = `treatment.actions.snippets[${index}]`;
  const labelErrors = useFieldErrors(`${base}.label`);
  const textErrors = useFieldErrors(`${base}.text`);
  const labelId = fieldId(idPrefix, `${base}.label`);
  const textId = fieldId(idPrefix, `${base}.text`);
  return (
    <div class="rule-action-row" role="group" aria-label={`Snippet ${index + 1}`}>
      <Field label={`Snippet ${index + 1} label`} id={labelId} messages={labelErrors}>
        <input id={labelId} value={snippet.label} disabled={readOnly} {...invalidProps(`${labelId}-error`, labelErrors)} onInput={(e) => onChange({ label: (e.currentTarget as HTMLInputElement).value }, 'label')} />
      </Field>
      <Field label={`Snippet ${index + 1} text`} id={textId} messages={textErrors} class="rule-wide">
        <textarea id={textId} rows={2} value={snippet.text} disabled={readOnly} {...invalidProps(`${textId}-error`, textErrors)} onInput={(e) => onChange({ text: (e.currentTarget as HTMLTextAreaElement).value }, 'text')} />
      </Field>
      {!readOnly && (
        <button type="button" class="button secondary small" onClick={onRemove}>
          Remove<span class="visually-hidden"> snippet {index + 1}</span>
        </button>
      )}
    </div>
  );
}
