import { useSignal } from '@preact/signals';
import { browser } from 'wxt/browser';
import { CUSTOM_SITES } from '~/lib/settings/items';
import { updateSetting } from '~/lib/settings/storage';
import {
  FIELD_KEYS,
  formForPage,
  formFromRule,
  interpretReading,
  isRuleReading,
  readRuleInPage,
  ruleForUrl,
  ruleFromForm,
  type CustomSiteRule,
  type FieldKey,
  type RuleFindings,
  type RuleForm,
} from '~/lib/sites/custom';
import { parseCustomSiteRule } from '~/lib/sites/custom-schema';

const FIELD_TITLES: Record<FieldKey, string> = { email: 'Email', name: 'Name', recordId: 'Record id' };
const FIELD_HINTS: Record<FieldKey, string> = {
  email: 'e.g. selector a[href^="mailto:"] with attribute href',
  name: 'e.g. selector .customer-name',
  recordId: 'e.g. attribute data-id, or pattern Customer #(\\d+)',
};

type Part = 'selector' | 'pattern' | 'attribute';
const PARTS: { part: Part; label: string }[] = [
  { part: 'selector', label: 'CSS selector' },
  { part: 'pattern', label: 'Text pattern' },
  { part: 'attribute', label: 'Attribute' },
];

export interface CustomSiteEditorProps {
  /** The active tab: the preview runs there (the popup has activeTab). */
  tabId: number;
  url: URL;
  /** The saved rule that covers this page, to edit it. */
  existing?: CustomSiteRule;
  onSaved?: (rule: CustomSiteRule) => void;
}

/**
 * "Teach Centric this site": a rule for a page no built-in adapter reads (lib/sites/custom.ts), with a
 * preview on the active tab. Everything the page gives back is shown as text.
 */
export function CustomSiteEditor({ tabId, url, existing, onSaved }: CustomSiteEditorProps) {
  const form = useSignal<RuleForm>(existing ? formFromRule(existing) : formForPage(url));
  const errors = useSignal<string[]>([]);
  const findings = useSignal<(RuleFindings & { coversPage: boolean }) | null>(null);
  const note = useSignal<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const busy = useSignal(false);

  const set = (change: (draft: RuleForm) => void) => {
    const next = structuredClone(form.value);
    change(next);
    form.value = next;
  };
  const validate = () => {
    const parsed = parseCustomSiteRule(ruleFromForm(form.value));
    errors.value = parsed.ok ? [] : parsed.errors;
    return parsed.ok ? parsed.rule : null;
  };

  const preview = async () => {
    note.value = null;
    findings.value = null;
    const rule = validate();
    if (!rule) return;
    busy.value = true;
    try {
      // The reader is self-contained (no imports), so it can run in the page; the rule is its argument.
      const [result] = await browser.scripting.executeScript({ target: { tabId }, func: readRuleInPage, args: [rule] });
      const reading: unknown = result?.result;
      if (!isRuleReading(reading)) throw new Error('the page gave no answer');
      findings.value = { ...interpretReading(reading), coversPage: ruleForUrl([rule], url) !== undefined };
    } catch (error) {
      note.value = { kind: 'error', text: `Could not read this page: ${error instanceof Error ? error.message : String(error)}.` };
    } finally {
      busy.value = false;
    }
  };

  const save = () => {
    note.value = null;
    const rule = validate();
    if (!rule) return;
    // permissions.request must run in the click itself (a user gesture): nothing is awaited before it.
    void browser.permissions
      .request({ origins: rule.matches })
      .then(async (granted) => {
        if (!granted) {
          note.value = { kind: 'error', text: `Permission for ${rule.matches.join(', ')} was not given; nothing was saved.` };
          return;
        }
        await updateSetting(CUSTOM_SITES, (saved) => [...saved.filter((r) => r.id !== rule.id), rule]);
        note.value = { kind: 'ok', text: `Saved. Centric is on for ${rule.name}: reload the page to see the sidebar.` };
        onSaved?.(rule);
      })
      .catch((error: unknown) => {
        note.value = { kind: 'error', text: `Could not save: ${error instanceof Error ? error.message : String(error)}.` };
      });
  };

  const input = (label: string, value: string, onInput: (value: string) => void, testId: string, placeholder?: string) => (
    <label class="field">
      <span>{label}</span>
      <input
        value={value}
        placeholder={placeholder}
        spellcheck={false}
        autocomplete="off"
        data-testid={testId}
        onInput={(event) => onInput((event.currentTarget as HTMLInputElement).value)}
      />
    </label>
  );

  const f = form.value;
  const found = findings.value;
  return (
    <section class="custom-editor" data-testid="custom-site-editor" aria-labelledby="custom-editor-title">
      <h2 id="custom-editor-title">Teach Centric this site</h2>
      <p class="muted">
        Say where this app shows the customer: a CSS selector (its first visible match is read), a text pattern (a regular expression,
        case-insensitive, with one capture group and no look-around or back-reference, on the selected element or the page), or both.
      </p>
      {input('Site name', f.name, (v) => set((d) => void (d.name = v)), 'custom-name')}
      {input('Pages (URL pattern)', f.matches, (v) => set((d) => void (d.matches = v)), 'custom-matches', 'https://crm.example.com/*')}
      {FIELD_KEYS.map((key) => (
        <fieldset key={key} class="custom-field">
          <legend>{FIELD_TITLES[key]}</legend>
          <p class="muted hint">{FIELD_HINTS[key]}</p>
          {PARTS.map(({ part, label }) =>
            input(label, f.fields[key][part], (v) => set((d) => void (d.fields[key][part] = v)), `custom-${key}-${part}`),
          )}
          {key === 'recordId' &&
            input('Or from the URL (pattern)', f.recordIdFromUrl, (v) => set((d) => void (d.recordIdFromUrl = v)), 'custom-recordIdFromUrl', '/customers/(\\d+)')}
        </fieldset>
      ))}
      {errors.value.length > 0 && (
        <ul class="notice error" role="alert" data-testid="custom-errors">
          {errors.value.map((error) => (
            <li key={error}>{error}</li>
          ))}
        </ul>
      )}
      <p class="actions">
        <button type="button" class="button secondary" data-testid="custom-preview" disabled={busy.value} onClick={() => void preview()}>
          Preview
        </button>
        <button type="button" class="button" data-testid="custom-save" onClick={save}>
          Save and turn on
        </button>
      </p>
      {found && (
        <div data-testid="custom-preview-result">
          {!found.coversPage && <p class="notice error">The URL pattern does not cover this page.</p>}
          <dl class="preview">
            {FIELD_KEYS.map((key) => {
              const finding = found[key];
              return [
                <dt key={`${key}-t`}>{FIELD_TITLES[key]}</dt>,
                <dd key={`${key}-d`} data-testid={`custom-found-${key}`} data-found={finding.found}>
                  {finding.found ? finding.value : `Not found: ${finding.reason}`}
                </dd>,
              ];
            })}
          </dl>
        </div>
      )}
      {note.value && (
        <p class={`notice ${note.value.kind}`} role={note.value.kind === 'error' ? 'alert' : 'status'} data-testid="custom-note">
          {note.value.text}
        </p>
      )}
    </section>
  );
}
