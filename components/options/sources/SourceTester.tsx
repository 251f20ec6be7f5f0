/**
 * "Test" for a lookup service: asks it about one customer from the options page, exactly as the
 * sidebar's background would (fetchScore: time limit, retries, the response format), and shows the
 * score it gave or what went wrong, in words (the SourceError's message). Contacting a site other than
 * this computer needs its host permission, asked for in the click that runs the test.
 */
import { horizonValueLabel, VALUE_WORDS } from '~/lib/labels/value';
import { useSignal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import { requestSourcePermission } from '~/lib/settings/sources';
import type { LookupServiceSource } from '~/lib/sources/config';
import { fetchScore } from '~/lib/sources/fetch-policy';
import { asOfText } from '~/lib/sources/precedence';
import type { RemoteScore } from '~/lib/sources/response';
import { type LookupIdentity, renderLookupUrl } from '~/lib/sources/url';
import { remoteValueView } from '~/lib/sources/view';
import { liveFetchDeps } from '~/lib/extension/fetch-deps';
import { hostOf, needsPermission } from '~/lib/pages/sources-remote';

export interface SourceTesterProps {
  /** The service to ask; undefined while it cannot be asked (say why in `unavailable`). */
  source: LookupServiceSource | undefined;
  unavailable?: string;
  /** Prefix for element ids. */
  idPrefix: string;
  /** Focus the email field when shown. */
  autoFocus?: boolean;
}

type Outcome = { ok: true; score: RemoteScore; attempts: number; name: string; who: string } | { ok: false; message: string };

const IDENTITY_FIELDS = [
  { key: 'email', label: 'Customer email', testId: 'source-test-email', placeholder: 'ann@acme.com', type: 'email' },
  { key: 'domain', label: 'Company domain (optional)', testId: 'source-test-domain', placeholder: 'acme.com', type: 'text' },
  { key: 'id', label: 'Customer id (optional)', testId: 'source-test-id', placeholder: 'C-1042', type: 'text' },
  { key: 'name', label: 'Name (optional)', testId: 'source-test-name', placeholder: 'Ann Lee', type: 'text' },
] as const;

type IdentityKey = (typeof IDENTITY_FIELDS)[number]['key'];

export function SourceTester({ source, unavailable, idPrefix, autoFocus = true }: SourceTesterProps) {
  const identity = useSignal<Record<IdentityKey, string>>({ email: '', domain: '', id: '', name: '' });
  const running = useSignal(false);
  const outcome = useSignal<Outcome | null>(null);
  const progress = useSignal('');
  const run = useRef(0);
  const firstInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (autoFocus) firstInput.current?.focus();
  }, []);

  const start = () => {
    if (!source || running.value) return;
    const who: LookupIdentity = {};
    for (const { key } of IDENTITY_FIELDS) if (identity.value[key].trim() !== '') who[key] = identity.value[key].trim();
    const rendered = renderLookupUrl(source.urlTemplate, who);
    if (!rendered.ok) {
      outcome.value = { ok: false, message: `Enter the customer’s ${rendered.missing.join(' and ')}: ${source.name}’s address uses ${rendered.missing.length > 1 ? 'them' : 'it'}.` };
      return;
    }
    const mine = ++run.current;
    running.value = true;
    outcome.value = null;
    const host = hostOf(source.urlTemplate);
    progress.value = `Asking ${host}…`;
    // The permission prompt needs the click itself: nothing is awaited before it.
    const allowed = needsPermission(source.urlTemplate) ? requestSourcePermission(source.urlTemplate) : Promise.resolve(true);
    void allowed
      .then(async (ok) => {
        if (!ok) return { ok: false as const, message: `Centric may not contact ${host}: allow it when your browser asks, then test again.` };
        const result = await fetchScore(liveFetchDeps(), source, who);
        if (!result.ok) return { ok: false as const, message: result.error.message };
        return { ok: true as const, score: result.score, attempts: result.attempts, name: source.name, who: who.email ?? who.id ?? who.name ?? who.domain ?? '' };
      })
      .catch((error: unknown) => ({ ok: false as const, message: `The test could not run: ${error instanceof Error ? error.message : String(error)}` }))
      .then((result) => {
        if (mine !== run.current) return;
        outcome.value = result;
        running.value = false;
        progress.value = '';
      });
  };

  const titleId = `${idPrefix}-test-title`;
  const o = outcome.value;
  return (
    <div class="source-tester" role="group" aria-labelledby={titleId} data-testid="source-tester">
      <h4 id={titleId}>Test {source ? `“${source.name}”` : 'this service'} with a customer</h4>
      <div class="source-test-inputs">
        {IDENTITY_FIELDS.map((f, i) => {
          const id = `${idPrefix}-test-${f.key}`;
          return (
            <div class="form-field" key={f.key}>
              <label for={id}>{f.label}</label>
              <input
                id={id}
                type={f.type}
                value={identity.value[f.key]}
                placeholder={f.placeholder}
                autoComplete="off"
                spellcheck={false}
                ref={i === 0 ? firstInput : undefined}
                data-testid={f.testId}
                onInput={(e) => (identity.value = { ...identity.value, [f.key]: (e.currentTarget as HTMLInputElement).value })}
                onKeyDown={(e) => {
                  // Enter runs the test (and never submits an editor around it).
                  if (e.key !== 'Enter') return;
                  e.preventDefault();
                  start();
                }}
              />
            </div>
          );
        })}
      </div>
      <div class="actions">
        <button
          type="button"
          class="button small"
          disabled={!source}
          aria-disabled={running.value || undefined}
          aria-describedby={!source && unavailable ? `${idPrefix}-test-unavailable` : undefined}
          data-testid="source-test-run"
          onClick={start}
        >
          {running.value ? 'Testing…' : 'Run test'}
        </button>
      </div>
      {!source && unavailable && (
        <p id={`${idPrefix}-test-unavailable`} class="form-hint">
          {unavailable}
        </p>
      )}
      <div class="source-test-result" role="status" aria-busy={running.value} data-testid="source-test-result" data-outcome={o ? (o.ok ? 'score' : 'error') : undefined}>
        {running.value && <p class="muted">{progress.value}</p>}
        {o && !o.ok && <p class="notice error">Test failed: {o.message}</p>}
        {o && o.ok && <ScoreView outcome={o} />}
      </div>
    </div>
  );
}

const num = (n: number, digits = 2) => n.toLocaleString('en-US', { maximumFractionDigits: digits });

function ScoreView({ outcome }: { outcome: Extract<Outcome, { ok: true }> }) {
  const { score } = outcome;
  const view = remoteValueView(score);
  const rows: [string, string][] = [];
  if (score.lifetimeValue !== undefined) rows.push([VALUE_WORDS.lifetimeValue, num(score.lifetimeValue)]);
  if (score.clv !== undefined) rows.push([horizonValueLabel(), num(score.clv)]);
  if (score.next12Months !== undefined) rows.push([VALUE_WORDS.next12Months, num(score.next12Months)]);
  if (score.pAlive !== undefined) rows.push(['P(alive)', `${num(score.pAlive * 100, 1)}%`]);
  if (score.expectedTransactions !== undefined) rows.push(['Expected purchases', num(score.expectedTransactions)]);
  if (score.segment !== undefined) rows.push(['Segment', score.segment]);
  if (score.treatment !== undefined) rows.push(['Treatment', score.treatment.guidance ? `${score.treatment.title} — ${score.treatment.guidance}` : score.treatment.title]);
  if (score.customerId !== undefined) rows.push(['Customer id', score.customerId]);
  const updated = score.updatedAt !== undefined ? Date.parse(score.updatedAt) : undefined;
  return (
    <div class="source-test-score">
      <p>
        <strong>{outcome.name}</strong> answered{outcome.who ? ` for ${outcome.who}` : ''}
        {outcome.attempts > 1 ? ` (after ${outcome.attempts} attempts)` : ''}:{' '}
        <span class="source-tier" style={{ background: view.tierColor, color: view.tierForeground }} data-testid="source-test-tier">
          {score.tier}
        </span>
      </p>
      <dl class="source-test-values">
        {rows.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
        {score.updatedAt !== undefined && (
          <div>
            <dt>Scored</dt>
            <dd>
              <time dateTime={score.updatedAt}>{updated !== undefined && !Number.isNaN(updated) ? asOfText(updated, Date.now()) : score.updatedAt}</time>
            </dd>
          </div>
        )}
      </dl>
      {rows.length === 0 && score.updatedAt === undefined && <p class="form-hint">The service gave only the tier.</p>}
    </div>
  );
}
