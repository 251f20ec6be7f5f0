import { useSignal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import type { CentricDb } from '~/lib/db/db';
import type { ModelRunRecord } from '~/lib/db/records';
import type { FromScoreWorker } from '~/lib/scoring/protocol';
import { DEFAULT_SCORING_SETTINGS, MODEL_CHOICES, parseScoringSettings, type ScoringSettings } from '~/lib/scoring/settings';
import { readScoringSettings, writeScoringSettings } from '~/lib/scoring/store';
import { readPolicyInForce, watchPolicyInForce } from '~/lib/settings/policy';
import { tiersInForce, type Layer } from '~/lib/team/in-force';
import { canEditTeam, changedByText, type TeamDocument } from '~/lib/team/state';
import { saveTeamDocument, teamTime, TeamSaveError } from '~/lib/pages/team';
import type { TierConfig, TierDefinition } from '~/lib/tiers';
import { formatDate, formatMoney } from '../../lib/format/display';
import { runFormat } from '~/lib/tiers/value-view';
import { moneyText } from '~/lib/format/money';
import { overallFraction, SCORING_STAGES, secondsLeft, STAGE_LABELS, type ScoringStage } from '~/lib/scoring/progress';

const MODEL_LABELS: Record<(typeof MODEL_CHOICES)[number], string> = {
  auto: 'Automatic (best on the holdout)',
  bgnbd: 'BG/NBD',
  mbgnbd: 'MBG/NBD',
  'pareto-nbd': 'Pareto/NBD',
};

export interface ScoringSectionProps {
  db: CentricDb;
  createWorker: () => Worker;
  /** Bumped by the page when new data arrived: scoring starts by itself. */
  dataVersion: number;
  onScored: () => void;
}

type Run =
  | { state: 'idle' }
  | { state: 'running'; stage: ScoringStage; fraction: number; startedAt: number; elapsedMs: number }
  | { state: 'done'; text: string }
  | { state: 'cancelled'; text: string }
  | { state: 'failed'; text: string };

function formatSeconds(seconds: number): string {
  return seconds < 60 ? `${Math.max(1, Math.ceil(seconds))} s` : `${Math.floor(seconds / 60)} min ${Math.ceil(seconds % 60)} s`;
}

/**
 * A scoring run in progress: a progress bar (ARIA values), the stage in words, the time left once it
 * can be estimated, the stages done and to come, and Cancel. Fixed at the bottom of the window, so it
 * is seen from every section that starts a scoring (Score now, Save and re-score, an import).
 */
function ScoringProgress({ run, onCancel }: { run: Extract<Run, { state: 'running' }>; onCancel: () => void }) {
  const fraction = overallFraction(run.stage, run.fraction);
  const percent = Math.round(fraction * 100);
  const step = SCORING_STAGES.indexOf(run.stage);
  const left = secondsLeft(run.elapsedMs, fraction);
  const words = `Step ${step + 1} of ${SCORING_STAGES.length}: ${STAGE_LABELS[run.stage]}`;
  return (
    <div class="scoring-run" role="region" aria-label="Scoring in progress" data-testid="scoring-progress">
      <p class="scoring-stage" aria-live="polite" data-testid="scoring-stage">
        {words}… {percent}%{left !== null && <span data-testid="scoring-time-left"> · about {formatSeconds(left)} left</span>}
      </p>
      <div
        class="scoring-bar"
        role="progressbar"
        aria-label="Scoring"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={`${percent}%, ${STAGE_LABELS[run.stage]}`}
        data-testid="scoring-progressbar"
      >
        <span style={{ width: `${percent}%` }} />
      </div>
      <ol class="scoring-stages" aria-label="Stages">
        {SCORING_STAGES.map((stage, i) => {
          const state = i < step ? 'done' : i === step ? 'current' : 'todo';
          return (
            <li key={stage} class={state} aria-current={state === 'current' ? 'step' : undefined} data-testid={`scoring-stage-${stage}`} data-state={state}>
              <span aria-hidden="true">{state === 'done' ? '✓' : state === 'current' ? '▸' : '·'}</span> {STAGE_LABELS[stage]}
              <span class="visually-hidden">{state === 'done' ? ' (done)' : state === 'current' ? ' (now)' : ' (to come)'}</span>
            </li>
          );
        })}
      </ol>
      <div class="actions">
        <button type="button" class="button secondary" onClick={onCancel} data-testid="scoring-cancel">
          Cancel scoring
        </button>
      </div>
    </div>
  );
}

/** The tiers set for this person (lib/team/in-force.ts): by the managed policy or the team service, locked or not, and who may change the team's. */
interface TeamTiers {
  tiers: TierConfig | null;
  locked: boolean;
  note: string | null;
  from?: Layer;
  /** The team's tiers document (its ETag goes with a manager's change). */
  doc?: TeamDocument;
  canEdit?: boolean;
}

/** Scoring settings (model, unit, horizon, discount, margin, tiers) and the scoring run itself. */
export function ScoringSection({ db, createWorker, dataVersion, onScored }: ScoringSectionProps) {
  const saved = useSignal<ScoringSettings | null>(null);
  const draft = useSignal<ScoringSettings>(DEFAULT_SCORING_SETTINGS);
  const problems = useSignal<string | null>(null);
  const run = useSignal<Run>({ state: 'idle' });
  const lastRun = useSignal<ModelRunRecord | undefined>(undefined);
  const active = useRef<Worker | null>(null);
  /** New data arrived before the settings were read: score as soon as they are. */
  const scoreWhenLoaded = useRef(false);
  useEffect(() => () => active.current?.terminate(), []);

  const refreshLastRun = async () => {
    lastRun.value = await db.modelRuns.orderBy('at').last();
  };

  /** The team policy's or the team service's tiers (docs/managed-policy.md, docs/team.md): they replace the stored ones; locked, they cannot be edited here. */
  const team = useSignal<TeamTiers>({ tiers: null, locked: false, note: null });

  /** Reads the tiers in force and, where a policy or the team sets them, makes them the stored ones. */
  const applyTiersInForce = async (stored: ScoringSettings) => {
    const inForce = await readPolicyInForce();
    const set = tiersInForce(stored.tiers, inForce);
    const doc = set.from === 'team' ? inForce.team?.documents.tiers : undefined;
    const policy: TeamTiers = { tiers: set.from === 'local' ? null : set.tiers, locked: set.locked, note: set.note, ...(set.from !== 'local' ? { from: set.from } : {}), ...(doc ? { doc } : {}), canEdit: set.from === 'team' && canEditTeam(inForce.team) };
    team.value = policy;
    // Locked, the policy's (or the team's) tiers always apply; unlocked, they are the team's starting
    // point until someone here changes the tiers.
    const untouched = JSON.stringify(stored.tiers) === JSON.stringify(DEFAULT_SCORING_SETTINGS.tiers);
    if (policy.tiers && (policy.locked || untouched) && JSON.stringify(policy.tiers) !== JSON.stringify(stored.tiers)) {
      const s = { ...stored, tiers: policy.tiers };
      await writeScoringSettings(db, s);
      saved.value = s;
      draft.value = s;
      team.value = { ...policy, note: `${policy.from === 'team' ? 'Your team' : 'Your administrator'} set the tiers. Score now to apply them to your customers.` };
    }
  };

  useEffect(() => {
    // The settings first (scoring must not wait for the browser's policy answer), then the team's tiers.
    void readScoringSettings(db)
      .then((stored) => {
        saved.value = stored;
        draft.value = stored;
        if (scoreWhenLoaded.current) {
          scoreWhenLoaded.current = false;
          score(stored);
        }
        return applyTiersInForce(stored);
      })
      .catch((e: unknown) => (problems.value = (e as Error).message));
    void refreshLastRun();
    // The policy or the team's tiers changed while the page is open: apply them (what is being typed is replaced only when locked).
    return watchPolicyInForce(() => {
      if (saved.value) void applyTiersInForce(saved.value).catch((e: unknown) => (problems.value = (e as Error).message));
    });
  }, []);

  /** The latest model run when the current scoring started: Cancel checks it is still the latest. */
  const runBefore = useRef<number | undefined>(undefined);

  const score = (settings: ScoringSettings) => {
    // A newer request supersedes a run in progress (its transaction is aborted, nothing half-written).
    active.current?.terminate();
    const worker = createWorker();
    active.current = worker;
    runBefore.current = lastRun.value?.id;
    const startedAt = performance.now();
    run.value = { state: 'running', stage: 'read', fraction: 0, startedAt, elapsedMs: 0 };
    worker.onmessage = (event: MessageEvent<FromScoreWorker>) => {
      if (active.current !== worker) return; // a cancelled or superseded run's last words
      const m = event.data;
      if (m.type === 'progress') run.value = { state: 'running', stage: m.stage, fraction: m.fraction, startedAt, elapsedMs: performance.now() - startedAt };
      else {
        worker.terminate();
        active.current = null;
        if (m.type === 'done') {
          run.value = {
            state: 'done',
            text: `Scored ${m.result.customers.toLocaleString('en-US')} customers with ${m.result.model} in ${(m.milliseconds / 1000).toFixed(1)} s. Customer equity ${formatMoney(m.result.customerEquity, draft.value.tiers.display)}.`,
          };
          void refreshLastRun();
          onScored();
        } else run.value = { state: 'failed', text: `Scoring failed: ${m.message} Your previous scores are unchanged.` };
      }
    };
    worker.onerror = (event) => {
      if (active.current !== worker) return;
      worker.terminate();
      active.current = null;
      run.value = { state: 'failed', text: `Scoring stopped unexpectedly (${event.message || 'worker error'}). Your previous scores are unchanged.` };
    };
    worker.postMessage({ type: 'score', settings });
  };

  /**
   * Stops the worker. Its write is one IndexedDB transaction, which the browser aborts when the worker
   * ends before it committed; one that committed just before is said so, and kept.
   */
  const cancel = async () => {
    const worker = active.current;
    if (!worker) return;
    worker.terminate();
    active.current = null;
    run.value = { state: 'cancelled', text: 'Scoring cancelled.' };
    const latest = await db.modelRuns.orderBy('at').last();
    if (latest?.id !== runBefore.current && latest !== undefined) {
      lastRun.value = latest;
      run.value = { state: 'done', text: 'Scoring had already finished writing when it was cancelled: the new scores are kept.' };
      onScored();
    } else {
      run.value = {
        state: 'cancelled',
        text: latest
          ? `Scoring cancelled. Nothing was written: the scores from ${formatDate(latest.at)} are unchanged.`
          : 'Scoring cancelled. Nothing was written.',
      };
    }
  };

  // New data (an import) re-scores by itself, with the saved settings (once they are read).
  useEffect(() => {
    if (dataVersion === 0) return;
    if (saved.value) score(saved.value);
    else scoreWhenLoaded.current = true;
  }, [dataVersion]);

  const save = async () => {
    try {
      const settings = parseScoringSettings(JSON.parse(JSON.stringify(draft.value)));
      const t = team.value;
      // A manager's change of the team's tiers goes to the service first (with the version read), then here.
      if (t.from === 'team' && t.canEdit && JSON.stringify(settings.tiers) !== JSON.stringify(saved.value?.tiers)) {
        const doc = await saveTeamDocument('tiers', settings.tiers, t.doc?.etag ?? null);
        team.value = { ...t, tiers: settings.tiers, doc };
      }
      await writeScoringSettings(db, settings);
      saved.value = settings;
      problems.value = null;
      score(settings);
    } catch (error) {
      problems.value = error instanceof TeamSaveError && error.problems.length > 0 ? `${error.message} ${error.problems.join(' ')}` : (error as Error).message;
    }
  };

  const set = <K extends keyof ScoringSettings>(key: K, value: ScoringSettings[K]) => {
    draft.value = { ...draft.value, [key]: value };
  };
  const setTier = (i: number, patch: Partial<TierDefinition>) => {
    const tiers = draft.value.tiers.tiers.map((t, k) => (k === i ? { ...t, ...patch } : t));
    draft.value = { ...draft.value, tiers: { ...draft.value.tiers, tiers } };
  };

  const d = draft.value;
  const r = run.value;
  const last = lastRun.value;
  const dirty = saved.value !== null && JSON.stringify(saved.value) !== JSON.stringify(d);
  const percentMode = d.tiers.cutoff === 'percentile';
  const tiersLocked = team.value.locked && !(team.value.from === 'team' && team.value.canEdit);

  return (
    <section class="card" aria-labelledby="scoring-title" data-testid="scoring-section">
      <h2 id="scoring-title">Scoring</h2>
      <p class="muted" data-testid="last-scoring">
        {last
          ? `Last scored ${formatDate(last.at)} with ${last.model}: ${last.customers.toLocaleString('en-US')} customers, customer equity ${formatMoney(last.customerEquity, runFormat(last))}.`
          : 'Not scored yet.'}
      </p>
      <div class="actions">
        <button type="button" class="button" disabled={r.state === 'running'} onClick={() => saved.value && score(saved.value)} data-testid="score-now">
          Score now
        </button>
      </div>
      {r.state === 'running' && <ScoringProgress run={r} onCancel={() => void cancel()} />}
      {r.state === 'cancelled' && (
        <p class="notice" role="status" data-testid="scoring-cancelled">
          {r.text}
        </p>
      )}
      {r.state === 'done' && (
        <p class="notice ok" role="status" data-testid="scoring-done">
          {r.text}
        </p>
      )}
      {r.state === 'failed' && (
        <p class="notice error" role="alert" data-testid="scoring-failed">
          {r.text}
        </p>
      )}

      <form
        class="settings"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
        data-testid="scoring-settings"
      >
        <div class="mapping-grid">
          <label>
            Model
            <select data-testid="setting-model" value={d.model} onChange={(e) => set('model', (e.currentTarget as HTMLSelectElement).value as ScoringSettings['model'])}>
              {MODEL_CHOICES.map((m) => (
                <option key={m} value={m}>
                  {MODEL_LABELS[m]}
                </option>
              ))}
            </select>
          </label>
          <label>
            Time unit
            <select value={d.unit} onChange={(e) => set('unit', (e.currentTarget as HTMLSelectElement).value as ScoringSettings['unit'])}>
              <option value="day">Days</option>
              <option value="week">Weeks</option>
              <option value="month">Months</option>
            </select>
          </label>
          <label>
            Horizon (months)
            <input type="number" min={1} max={120} step={1} value={d.horizonMonths} data-testid="setting-horizon" onInput={(e) => set('horizonMonths', Number((e.currentTarget as HTMLInputElement).value))} />
          </label>
          <label>
            Discount rate (% a year)
            <input type="number" min={0} max={100} step={0.5} value={round(d.annualDiscountRate * 100)} onInput={(e) => set('annualDiscountRate', Number((e.currentTarget as HTMLInputElement).value) / 100)} />
          </label>
          <label>
            Margin (% of spend kept)
            <input type="number" min={1} max={100} step={1} value={round(d.margin * 100)} data-testid="setting-margin" onInput={(e) => set('margin', Number((e.currentTarget as HTMLInputElement).value) / 100)} />
          </label>
          <label>
            Holdout (% of the time span)
            <input type="number" min={10} max={60} step="any" value={round(d.holdoutShare * 100)} onInput={(e) => set('holdoutShare', Number((e.currentTarget as HTMLInputElement).value) / 100)} />
          </label>
        </div>

        {team.value.from === 'team' && !team.value.canEdit && (
          <p class="notice" data-testid="tiers-locked" data-source="team" role="note">
            🔒 Set by your team — {team.value.doc ? changedByText(team.value.doc, teamTime) : 'the team’s tiers'}. A manager changes them.
          </p>
        )}
        {team.value.from === 'team' && team.value.canEdit && (
          <p class="notice" data-testid="tiers-team-edit" data-source="team" role="note">
            These are your team’s tiers ({team.value.doc ? changedByText(team.value.doc, teamTime) : 'the team’s'}): saving changes them for everyone in the team.
          </p>
        )}
        {team.value.locked && team.value.from !== 'team' && (
          <p class="notice" data-testid="tiers-locked" role="note">
            🔒 Your administrator manages the tiers: they cannot be changed here.
          </p>
        )}
        {team.value.note && (
          <p class="notice" data-testid="tiers-policy-note" role="status">
            {team.value.note}
          </p>
        )}
        <fieldset class="tiers-editor" disabled={tiersLocked}>
          <legend>Tiers</legend>
          <label>
            <input type="radio" name="cutoff" checked={percentMode} onChange={() => (draft.value = { ...d, tiers: { ...d.tiers, cutoff: 'percentile' } })} /> By share of
            customers
          </label>{' '}
          <label>
            <input type="radio" name="cutoff" checked={!percentMode} onChange={() => (draft.value = { ...d, tiers: { ...d.tiers, cutoff: 'absolute' } })} /> By predicted value
          </label>
          <table class="tier-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Colour</th>
                <th scope="col">{percentMode ? 'Share of customers (%)' : 'Lowest value'}</th>
              </tr>
            </thead>
            <tbody>
              {d.tiers.tiers.map((tier, i) => (
                <tr key={tier.id}>
                  <td>
                    <input aria-label={`Name of tier ${i + 1}`} value={tier.name} data-testid={`tier-name-${i}`} onInput={(e) => setTier(i, { name: (e.currentTarget as HTMLInputElement).value })} />
                  </td>
                  <td>
                    <input type="color" aria-label={`Colour of ${tier.name}`} value={tier.color} onInput={(e) => setTier(i, { color: (e.currentTarget as HTMLInputElement).value, foreground: undefined })} />
                  </td>
                  <td>
                    {percentMode ? (
                      <input type="number" min={0} max={100} step={1} aria-label={`Share of ${tier.name}`} value={tier.percent ?? 0} onInput={(e) => setTier(i, { percent: Number((e.currentTarget as HTMLInputElement).value) })} />
                    ) : i === d.tiers.tiers.length - 1 ? (
                      <span class="muted">everyone else</span>
                    ) : (
                      <input type="number" min={0} step={1} aria-label={`Lowest value of ${tier.name}`} value={tier.minValue ?? ''} onInput={(e) => setTier(i, { minValue: Number((e.currentTarget as HTMLInputElement).value) })} />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <label>
            At risk: a customer in the top {d.tiers.atRisk.topTiers} tier(s) with P(alive) below{' '}
            <input
              type="number"
              min={1}
              max={100}
              step={1}
              aria-label="At-risk P(alive) threshold in percent"
              value={round(d.tiers.atRisk.pAliveBelow * 100)}
              onInput={(e) => (draft.value = { ...d, tiers: { ...d.tiers, atRisk: { ...d.tiers.atRisk, pAliveBelow: Number((e.currentTarget as HTMLInputElement).value) / 100 } } })}
            />
            %
          </label>
        </fieldset>
        <fieldset class="money-editor" disabled={tiersLocked}>
          <legend>Amounts</legend>
          <p class="muted">How every amount is written (sidebar, list chips, reports, rules), from the next scoring on.</p>
          <div class="mapping-grid">
            <label>
              Currency (ISO code)
              <input
                value={d.tiers.display.currency}
                maxLength={3}
                list="currency-codes"
                data-testid="setting-currency"
                onInput={(e) => (draft.value = { ...d, tiers: { ...d.tiers, display: { ...d.tiers.display, currency: (e.currentTarget as HTMLInputElement).value.trim().toUpperCase() } } })}
              />
              <datalist id="currency-codes">
                {['USD', 'EUR', 'GBP', 'CHF', 'CAD', 'AUD', 'JPY', 'SEK', 'NOK', 'DKK', 'PLN', 'BRL', 'INR'].map((code) => (
                  <option key={code} value={code} />
                ))}
              </datalist>
            </label>
            <label>
              Number format (language tag)
              <input
                value={d.tiers.display.locale}
                maxLength={35}
                list="locale-tags"
                data-testid="setting-locale"
                onInput={(e) => (draft.value = { ...d, tiers: { ...d.tiers, display: { ...d.tiers.display, locale: (e.currentTarget as HTMLInputElement).value.trim() } } })}
              />
              <datalist id="locale-tags">
                {['en-US', 'en-GB', 'de-DE', 'fr-FR', 'es-ES', 'it-IT', 'nl-NL', 'sv-SE', 'pt-BR', 'ja-JP'].map((tag) => (
                  <option key={tag} value={tag} />
                ))}
              </datalist>
            </label>
            <p class="muted" data-testid="money-preview" aria-live="polite">
              For example: {moneyText(1234567.5, d.tiers.display)} and {moneyText(3.4, d.tiers.display)}
            </p>
          </div>
        </fieldset>
        {problems.value && (
          <p class="notice error" role="alert" data-testid="settings-problems">
            {problems.value}
          </p>
        )}
        <div class="actions">
          <button type="submit" class="button" disabled={!dirty || r.state === 'running'} data-testid="settings-save">
            Save and re-score
          </button>
          <button type="button" class="button secondary" disabled={!dirty} onClick={() => saved.value && (draft.value = saved.value)}>
            Undo changes
          </button>
          <button type="button" class="button secondary" onClick={() => (draft.value = DEFAULT_SCORING_SETTINGS)}>
            Restore defaults
          </button>
        </div>
      </form>
    </section>
  );
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
