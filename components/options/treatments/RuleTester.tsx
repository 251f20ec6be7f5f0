/**
 * "Test against a customer": find a customer in the local store (a combobox: type two letters, pick
 * with the arrow keys and Enter, or click), then see which rule fires for them with these rules, why
 * (each condition marked matched or not), the other rules that match too, and why the rest do not.
 * Optionally as if on a given site, for site conditions. Works when the rules are locked too.
 */
import { horizonValueShort } from '~/lib/labels/value';
import { useSignal } from '@preact/signals';
import { useId, useRef } from 'preact/hooks';
import type { CentricDb } from '~/lib/db/db';
import type { CustomerWithValue } from '~/lib/db/records';
import { withValue } from '~/lib/db/values';
import { runFormat } from '~/lib/tiers/value-view';
import type { DisplayFormat } from '~/lib/format/money';
import { searchCustomers } from '~/lib/lookup/lookup';
import { ruleSubjectOf } from '~/lib/lookup/rule-subject';
import type { Suggestion } from '~/lib/messages/schema';
import { evaluateRules, explainCondition, flattenTrace, rulesInOrder, type ConditionTrace } from '~/lib/rules/engine';
import type { Rule } from '~/lib/rules/schema';
import { responseTargetText } from '~/lib/rules/template';
import { DEMO_PATTERNS, SITE_ADAPTERS } from '~/lib/sites/registry';
import { formatMoney, formatPercent } from '~/lib/format/display';

const SITES = SITE_ADAPTERS.filter((a) => a.matches.some((p) => !DEMO_PATTERNS.includes(p)));

export function RuleTester({ db, rules }: { db: CentricDb; rules: readonly Rule[] }) {
  const query = useSignal('');
  const results = useSignal<Suggestion[]>([]);
  const open = useSignal(false);
  const active = useSignal(-1);
  const customer = useSignal<CustomerWithValue | null>(null);
  const dataEnd = useSignal<string | undefined>(undefined);
  const display = useSignal<DisplayFormat | undefined>(undefined);
  const host = useSignal('');
  const error = useSignal<string | null>(null);
  const searched = useSignal(false);
  const sequence = useRef(0);
  const id = `rule-test-${useId().replace(/[^a-zA-Z0-9]/g, '')}`;
  const listId = `${id}-list`;

  const search = async (text: string) => {
    query.value = text;
    const mine = ++sequence.current;
    if (text.trim().length < 2) {
      results.value = [];
      open.value = false;
      searched.value = false;
      return;
    }
    try {
      const found = (await searchCustomers(db, text)).results;
      if (mine !== sequence.current) return;
      results.value = found;
      active.value = found.length > 0 ? 0 : -1;
      open.value = true;
      searched.value = true;
      error.value = null;
    } catch (e) {
      if (mine === sequence.current) error.value = `The search did not work: ${(e as Error).message}`;
    }
  };

  const pick = async (suggestion: Suggestion) => {
    open.value = false;
    query.value = suggestion.name;
    try {
      const [stored, run] = await Promise.all([db.customers.get(suggestion.id), db.modelRuns.orderBy('at').last()]);
      if (!stored) {
        error.value = `Customer ${suggestion.name} is no longer in the store.`;
        return;
      }
      dataEnd.value = run?.dataEnd;
      display.value = runFormat(run);
      customer.value = await withValue(db, stored);
      error.value = null;
    } catch (e) {
      error.value = `The customer could not be read: ${(e as Error).message}`;
    }
  };

  const onKeyDown = (event: KeyboardEvent) => {
    const count = results.value.length;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      if (count === 0) return;
      event.preventDefault();
      if (!open.value) {
        open.value = true;
        return;
      }
      const step = event.key === 'ArrowDown' ? 1 : -1;
      active.value = (active.value + step + count) % count;
    } else if (event.key === 'Enter') {
      const choice = open.value ? results.value[active.value] : undefined;
      if (choice) {
        event.preventDefault();
        void pick(choice);
      }
    } else if (event.key === 'Escape' && open.value) {
      event.preventDefault();
      open.value = false;
    }
  };

  const expanded = open.value && results.value.length > 0;
  const activeId = expanded && active.value >= 0 ? `${id}-option-${active.value}` : undefined;

  return (
    <section class="rule-tester" aria-labelledby={`${id}-title`} data-testid="rule-tester">
      <h3 id={`${id}-title`}>Test against a customer</h3>
      <p class="muted">See which rule would fire for a customer in your data, and why. This uses the rules as listed above.</p>
      <div class="tester-inputs">
        <div class="tester-search">
          <label for={`${id}-input`}>Customer</label>
          <input
            id={`${id}-input`}
            type="text"
            role="combobox"
            autocomplete="off"
            placeholder="Name, email or id (2 letters or more)"
            aria-autocomplete="list"
            aria-expanded={expanded ? 'true' : 'false'}
            aria-controls={listId}
            aria-activedescendant={activeId}
            value={query.value}
            data-testid="rule-test-search"
            onInput={(e) => void search((e.currentTarget as HTMLInputElement).value)}
            onKeyDown={onKeyDown}
            onBlur={() => (open.value = false)}
          />
          <ul id={listId} role="listbox" aria-label="Matching customers" class="tester-options" hidden={!expanded} data-testid="rule-test-options">
            {expanded &&
              results.value.map((s, i) => (
                <li
                  key={s.id}
                  id={`${id}-option-${i}`}
                  role="option"
                  aria-selected={i === active.value ? 'true' : 'false'}
                  class={i === active.value ? 'active' : undefined}
                  data-testid="rule-test-option"
                  // mousedown, not click: picking must happen before the input's blur closes the list.
                  onMouseDown={(e) => {
                    e.preventDefault();
                    void pick(s);
                  }}
                >
                  <span class="tester-option-name">{s.name}</span> <span class="muted">{[s.email, s.company, s.tier].filter(Boolean).join(' · ')}</span>
                </li>
              ))}
          </ul>
          <p class="form-hint" role="status">
            {searched.value && query.value.trim().length >= 2 && open.value
              ? results.value.length === 0
                ? `No customer matches “${query.value.trim()}”.`
                : `${results.value.length} customer${results.value.length === 1 ? '' : 's'} found: use the arrow keys and Enter to choose.`
              : ''}
          </p>
        </div>
        <label class="tester-site">
          As if on{' '}
          <select value={host.value} onChange={(e) => (host.value = (e.currentTarget as HTMLSelectElement).value)} data-testid="rule-test-site">
            <option value="">any page (no site)</option>
            {SITES.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name} ({s.id})
              </option>
            ))}
          </select>
        </label>
      </div>
      {error.value && (
        <p class="notice error" role="alert">
          {error.value}
        </p>
      )}
      {customer.value && <TestResult customer={customer.value} rules={rules} host={host.value} dataEnd={dataEnd.value} display={display.value} />}
    </section>
  );
}

function TestResult({ customer, rules, host, dataEnd, display }: { customer: CustomerWithValue; rules: readonly Rule[]; host: string; dataEnd?: string; display?: DisplayFormat }) {
  const subject = ruleSubjectOf(customer, host ? { host } : {}, dataEnd);
  const recommendation = evaluateRules(rules, subject);
  const fired = recommendation.rule;
  const matched = new Set([fired?.ruleId, ...recommendation.otherMatches.map((o) => o.ruleId)]);
  const tried = rulesInOrder(rules);
  const notMatched = tried.filter((r) => !matched.has(r.id));
  const off = rules.length - tried.length;
  const v = customer.value;
  const facts = v
    ? [v.tier, `${horizonValueShort(v.horizonMonths)} ${formatMoney(v.clv, display)}`, `P(alive) ${formatPercent(v.pAlive)}`, ...(v.flags.length > 0 ? [v.flags.join(', ')] : [])]
    : ['not scored yet: tier and value conditions cannot match'];

  return (
    <div class="tester-result" data-testid="rule-test-result">
      <p>
        <strong>{customer.name}</strong> <span class="muted">— {facts.join(' · ')}</span>
      </p>
      {fired ? (
        <div class="tester-fired">
          <p role="status">
            Fires: <strong data-testid="rule-test-fired">{fired.name}</strong>
          </p>
          <p class="tester-treatment">
            <span class="rule-swatch" style={{ background: fired.treatment.color }} aria-hidden="true" />
            Recommendation: <strong data-testid="rule-test-title">{fired.treatment.title}</strong>
            {fired.treatment.priority && <span class="muted"> · {fired.treatment.priority} priority</span>}
            {fired.treatment.responseTarget && <span class="muted"> · respond {responseTargetText(fired.treatment.responseTarget)}</span>}
          </p>
          {fired.treatment.guidance && <p class="muted">{fired.treatment.guidance}</p>}
          <h4>Why it fires</h4>
          <Trace trace={fired.explanation} testId="rule-test-trace" />
        </div>
      ) : (
        <p role="status" data-testid="rule-test-none">
          No rule matches this customer: the sidebar shows no recommendation for them.
        </p>
      )}
      {recommendation.otherMatches.length > 0 && (
        <>
          <h4>Also matching (a rule above wins)</h4>
          <ul data-testid="rule-test-others">
            {recommendation.otherMatches.map((o) => (
              <li key={o.ruleId}>
                {o.name} <span class="muted">— {o.treatment.title}</span>
              </li>
            ))}
          </ul>
        </>
      )}
      {notMatched.length > 0 && (
        <details class="tester-why-not">
          <summary>
            Why the other {notMatched.length} rule{notMatched.length === 1 ? '' : 's'} do not match
          </summary>
          {notMatched.map((r) => (
            <div key={r.id}>
              <p class="tester-rule-name">{r.name}</p>
              <Trace trace={explainCondition(r.conditions, subject)} />
            </div>
          ))}
        </details>
      )}
      {off > 0 && (
        <p class="muted">
          {off} rule{off === 1 ? ' is' : 's are'} off and {off === 1 ? 'was' : 'were'} not tried.
        </p>
      )}
    </div>
  );
}

function Trace({ trace, testId }: { trace: ConditionTrace; testId?: string }) {
  return (
    <ul class="trace" data-testid={testId}>
      {flattenTrace(trace).map((line, i) => (
        <li key={i} class={line.matched ? 'matched' : 'not-matched'} style={{ paddingLeft: `${line.depth * 18}px` }} data-matched={String(line.matched)}>
          <span class="trace-mark" aria-hidden="true">
            {line.matched ? '✓' : '✗'}
          </span>
          <span class="visually-hidden">{line.matched ? 'Matched: ' : 'Not matched: '}</span>
          {line.text}
        </li>
      ))}
    </ul>
  );
}
