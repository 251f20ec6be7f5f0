/**
 * The options page's Treatments section: the rules that decide the recommendation the sidebar shows.
 * Every change is saved at once (saveRules; open sidebars follow through storage.onChanged), and the
 * list re-reads the rules when they change elsewhere (another options tab, the team policy).
 * Locked by the team policy (or set by it): everything can be read, exported and tested, nothing changed.
 * Connected to a team service (issue 19): the team's rules are shown; a manager or an administrator
 * changes them on the service (with the version read: a change made meanwhile is refused, in words),
 * an agent reads them.
 */
import { useSignal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import { UndoToast } from '../form';
import { loadRules, onRulesChanged, restoreDefaultRules, saveRules } from '~/lib/settings/rules';
import { readSetting } from '~/lib/settings/storage';
import { TEAM_STATE } from '~/lib/settings/items';
import { canEditTeam, changedByText, parseTeamState, type TeamDocument } from '~/lib/team/state';
import { saveTeamDocument, teamTime, TeamSaveError } from '~/lib/pages/team';
import { defaultRules } from '~/lib/rules/defaults';
import { ruleSetValue } from '~/lib/rules/stored';
import type { CentricDb } from '~/lib/db/db';
import type { Rule } from '~/lib/rules/schema';
import { readScoringSettings } from '~/lib/scoring/store';
import { DEFAULT_TIER_CONFIG } from '~/lib/tiers/config';
import { newRuleDraft, ruleToDraft, type RuleDraft } from '~/lib/pages/treatments-draft';
import type { TierChoice } from './editor-context';
import { appendRule, duplicateRule, inEffectOrder, moveRule, orderAfterLast, placeAt, uniqueId } from '~/lib/pages/treatments-order';
import { RuleEditor } from './RuleEditor';
import { RuleList } from './RuleList';
import { RuleTester } from './RuleTester';
import { RuleTransfer } from './RuleTransfer';

export interface TreatmentsSectionProps {
  db: CentricDb;
  /** How long Undo is offered after a delete, in ms (paused while it has focus or the pointer). */
  undoMs?: number;
}

type Editing = { key: number; draft: RuleDraft; isNew: boolean; returnTo: FocusRequest };
type FocusRequest = { ruleId?: string; testId: string };
type Deleted = { rule: Rule; index: number };

const DEFAULT_TIERS: TierChoice[] = DEFAULT_TIER_CONFIG.tiers.map((t) => ({ name: t.name, color: t.color }));

export function TreatmentsSection({ db, undoMs = 10_000 }: TreatmentsSectionProps) {
  const state = useSignal<'loading' | 'ready' | 'failed'>('loading');
  const rules = useSignal<Rule[]>([]);
  const locked = useSignal(false);
  const source = useSignal<'policy' | 'team' | 'local' | 'defaults'>('defaults');
  /** The team's rules document as read with the rules (its ETag goes with a change), and whether this person may change it. */
  const team = useSignal<{ doc: TeamDocument | undefined; canEdit: boolean }>({ doc: undefined, canEdit: false });
  const problems = useSignal<string[]>([]);
  const tiers = useSignal<TierChoice[]>(DEFAULT_TIERS);
  const editing = useSignal<Editing | null>(null);
  const deleted = useSignal<Deleted | null>(null);
  const status = useSignal('');
  const failure = useSignal<string | null>(null);

  const root = useRef<HTMLElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  /** Saves not finished yet: storage events they cause are our own and are not re-read. */
  const inFlight = useRef(0);
  /** Bumped by every local change, so a slower re-read started before it does not undo it. */
  const version = useRef(0);
  const pendingFocus = useRef<FocusRequest | null>(null);
  const editorKey = useRef(0);

  const teamEdits = source.value === 'team' && team.value.canEdit;
  const readOnly = teamEdits ? false : locked.value || source.value === 'policy' || source.value === 'team';

  const readTiers = async (): Promise<TierChoice[]> => {
    try {
      const settings = await readScoringSettings(db);
      return settings.tiers.tiers.map((t) => ({ name: t.name, color: t.color }));
    } catch {
      return DEFAULT_TIERS;
    }
  };

  const load = async () => {
    const started = version.current;
    try {
      const currentTiers = await readTiers();
      const [result, teamState] = await Promise.all([loadRules(currentTiers.map((t) => t.name)), readSetting(TEAM_STATE).then(parseTeamState)]);
      if (started !== version.current) return;
      team.value = { doc: teamState?.documents.rules, canEdit: canEditTeam(teamState) };
      tiers.value = currentTiers;
      rules.value = inEffectOrder(result.rules);
      locked.value = result.locked;
      source.value = result.source;
      problems.value = result.problems;
      state.value = 'ready';
    } catch (error) {
      if (state.value === 'loading') state.value = 'failed';
      failure.value = `The rules could not be read: ${(error as Error).message}`;
    }
  };

  useEffect(() => {
    void load();
    const stop = onRulesChanged(() => {
      if (inFlight.current === 0) void load();
    });
    return stop;
  }, []);

  // Focus requests (after a delete, undo, duplicate, save) are met once the list has re-rendered.
  useEffect(() => {
    const request = pendingFocus.current;
    if (!request || !root.current) return;
    pendingFocus.current = null;
    const scope = request.ruleId
      ? [...root.current.querySelectorAll<HTMLElement>('[data-testid="rule-item"]')].find((el) => el.dataset.ruleId === request.ruleId)
      : root.current;
    const target = scope?.querySelector<HTMLElement>(`[data-testid="${request.testId}"]`);
    (target ?? heading.current)?.focus();
  });

  /** Stores the rules: the team's on the service when connected (a manager), else this person's own. */
  const store = async (next: readonly Rule[]): Promise<void> => {
    if (source.value !== 'team') return saveRules(next);
    const saved = await saveTeamDocument('rules', ruleSetValue(next), team.value.doc?.etag ?? null);
    team.value = { ...team.value, doc: saved };
  };

  /** The words for a change that was not saved. */
  const notSaved = (error: unknown) => {
    if (error instanceof TeamSaveError) {
      const problems = error.problems.length > 0 ? ` ${error.problems.join(' ')}` : '';
      return `${error.message}${problems}${error.code === 'version-conflict' ? '' : ' The rules shown are the team’s.'}`;
    }
    return `The change was not saved: ${(error as Error).message}. The rules shown are the saved ones.`;
  };

  /** Shows and saves new rules; says `message` once saved. */
  const persist = (next: Rule[], message: string) => {
    version.current++;
    rules.value = next;
    if (source.value === 'defaults') source.value = 'local';
    // The saved set these problems were about has just been replaced.
    if (problems.value.some((p) => p.startsWith('Saved rules:'))) problems.value = problems.value.filter((p) => !p.startsWith('Saved rules:'));
    failure.value = null;
    inFlight.current++;
    store(next)
      .then(() => (status.value = message))
      .catch((error: unknown) => {
        failure.value = notSaved(error);
        // A refused team change: the team's rules as they are now (the conflict's message asks for a reload, which this is).
        void load();
      })
      .finally(() => inFlight.current--);
  };

  const position = (id: string, list = rules.value) => `position ${list.findIndex((r) => r.id === id) + 1} of ${list.length}`;

  const toggle = (index: number, enabled: boolean) => {
    const rule = rules.value[index];
    if (!rule || readOnly) return;
    persist(
      rules.value.map((r, i) => (i === index ? { ...r, enabled } : r)),
      `“${rule.name}” is ${enabled ? 'on' : 'off'}.`,
    );
  };

  const move = (from: number, to: number) => {
    const rule = rules.value[from];
    if (!rule || readOnly) return;
    const next = moveRule(rules.value, from, to);
    persist(next, `“${rule.name}” moved to ${position(rule.id, next)}.`);
  };

  const duplicate = (index: number) => {
    if (readOnly) return;
    const result = duplicateRule(rules.value, index);
    if (!result) return;
    pendingFocus.current = { ruleId: result.copy.id, testId: 'rule-edit' };
    persist(result.rules, `Added “${result.copy.name}” at ${position(result.copy.id, result.rules)}.`);
  };

  const undoExpired = (hadFocus: boolean) => {
    if (hadFocus) pendingFocus.current = { testId: 'treatments-title' };
    deleted.value = null;
  };

  const remove = (index: number) => {
    const rule = rules.value[index];
    if (!rule || readOnly) return;
    if (editing.value && !editing.value.isNew && editing.value.draft.id === rule.id) editing.value = null;
    deleted.value = { rule, index };
    pendingFocus.current = { testId: 'undo-delete' };
    persist(
      rules.value.filter((_, i) => i !== index),
      `Deleted “${rule.name}”.`,
    );
  };

  const undo = () => {
    const d = deleted.value;
    deleted.value = null;
    if (!d || readOnly) return;
    if (rules.value.some((r) => r.id === d.rule.id)) return;
    const next = placeAt(rules.value, d.rule, d.index);
    pendingFocus.current = { ruleId: d.rule.id, testId: 'rule-delete' };
    persist(next, `Restored “${d.rule.name}” at ${position(d.rule.id, next)}.`);
  };

  const openEditor = (index: number | null, returnTo: FocusRequest) => {
    const rule = index === null ? undefined : rules.value[index];
    const draft = rule ? ruleToDraft(rule) : newRuleDraft(orderAfterLast(rules.value));
    editing.value = { key: ++editorKey.current, draft, isNew: !rule, returnTo };
    void readTiers().then((t) => (tiers.value = t));
  };

  const closeEditor = (focus?: FocusRequest) => {
    const e = editing.value;
    editing.value = null;
    pendingFocus.current = focus ?? e?.returnTo ?? null;
  };

  const saveEdited = (rule: Rule) => {
    const e = editing.value;
    if (!e || readOnly) return;
    if (e.isNew) {
      const added = { ...rule, id: uniqueId(rule.name, rules.value), order: orderAfterLast(rules.value) };
      const next = appendRule(rules.value, added);
      persist(next, `Added “${added.name}” at ${position(added.id, next)}.`);
      closeEditor({ ruleId: added.id, testId: 'rule-edit' });
      return;
    }
    const index = rules.value.findIndex((r) => r.id === e.draft.id);
    const next = index >= 0 ? rules.value.map((r, i) => (i === index ? rule : r)) : appendRule(rules.value, rule);
    persist(next, `Saved “${rule.name}”.`);
    closeEditor({ ruleId: rule.id, testId: 'rule-edit' });
  };

  const importRules = async (imported: Rule[], fileName: string) => {
    version.current++;
    inFlight.current++;
    try {
      const next = inEffectOrder(imported);
      try {
        await store(next);
      } catch (error) {
        failure.value = notSaved(error);
        return;
      }
      rules.value = next;
      if (source.value !== 'team') source.value = 'local';
      problems.value = problems.value.filter((p) => !p.startsWith('Saved rules:'));
      editing.value = null;
      deleted.value = null;
      status.value = `Imported ${imported.length} rule${imported.length === 1 ? '' : 's'} from ${fileName}.`;
    } finally {
      inFlight.current--;
    }
  };

  const restoreDefaults = async () => {
    version.current++;
    inFlight.current++;
    try {
      if (source.value === 'team') await store(defaultRules(tiers.value.map((t) => t.name)));
      else await restoreDefaultRules();
    } catch (error) {
      failure.value = notSaved(error);
      return;
    } finally {
      inFlight.current--;
    }
    editing.value = null;
    deleted.value = null;
    await load();
    status.value = `Restored the ${rules.value.length} default rules for your tiers (${tiers.value.map((t) => t.name).join(', ')}).`;
  };

  const e = editing.value;
  const d = deleted.value;
  return (
    <section class="card treatments" ref={root} aria-labelledby="treatments-title" data-testid="treatments" data-state={state.value}>
      <h2 id="treatments-title" ref={heading} tabIndex={-1}>
        Treatments
      </h2>
      <p class="muted">
        The sidebar recommends how to treat each customer: rules are tried from the top, and the first one that matches decides.
        {!readOnly && ' Drag a rule, use its arrow buttons, or press Alt+↑ / Alt+↓ on it to change the order.'}
      </p>
      <p class="visually-hidden" role="status" data-testid="rules-status">
        {status.value}
      </p>
      {failure.value && (
        <p class="notice error" role="alert" data-testid="rules-failure">
          {failure.value}
        </p>
      )}
      {state.value === 'loading' && <p class="muted">Reading the rules…</p>}
      {state.value === 'ready' && (
        <>
          {readOnly && source.value === 'team' && (
            <p class="rules-locked" data-testid="rules-locked" data-source="team">
              <LockIcon /> <strong>Set by your team</strong> — {team.value.doc ? changedByText(team.value.doc, teamTime) : 'the team’s rules'}. You can view, export and test
              them; a manager changes them.
            </p>
          )}
          {readOnly && source.value !== 'team' && (
            <p class="rules-locked" data-testid="rules-locked">
              <LockIcon />{' '}
              <strong>Locked.</strong>{' '}
              {locked.value
                ? 'Your administrator manages these rules through a team policy: you can view, export and test them, but not change them.'
                : 'Your administrator sets these rules through a team policy, so changes made here would not take effect: you can view, export and test them.'}
            </p>
          )}
          {teamEdits && (
            <p class="notice" data-testid="rules-team-edit" data-source="team">
              These are your team’s rules ({team.value.doc ? changedByText(team.value.doc, teamTime) : 'the team’s'}): your changes apply to everyone in the team at once.
            </p>
          )}
          {problems.value.length > 0 && (
            <div class="notice rules-problems" data-testid="rules-problems">
              <p>
                <strong>Problems with the rules</strong> (the rules below are the ones in use):
              </p>
              <ul>
                {problems.value.map((p, i) => (
                  <li key={i}>{p}</li>
                ))}
              </ul>
            </div>
          )}
          {source.value === 'defaults' && !readOnly && problems.value.length === 0 && (
            <p class="muted" data-testid="rules-defaults-note">
              These are the default rules for your tiers. Change anything and the rules become your own.
            </p>
          )}
          <RuleList
            rules={rules.value}
            readOnly={readOnly}
            onToggle={toggle}
            onMove={move}
            onEdit={(i) => openEditor(i, { ruleId: rules.value[i]?.id, testId: 'rule-edit' })}
            onDuplicate={duplicate}
            onDelete={remove}
          />
          {d && (
            <UndoToast
              key={d.rule.id}
              message={`Deleted “${d.rule.name}”.`}
              ms={undoMs}
              onUndo={undo}
              onExpire={undoExpired}
              testId="undo-toast"
              undoTestId="undo-delete"
            />
          )}
          {!readOnly && (
            <div class="actions">
              <button type="button" class="button" onClick={() => openEditor(null, { testId: 'new-rule' })} data-testid="new-rule" disabled={e?.isNew === true}>
                New rule
              </button>
            </div>
          )}
          {e && (
            <RuleEditor
              key={e.key}
              initial={e.draft}
              isNew={e.isNew}
              readOnly={readOnly}
              tiers={tiers.value}
              onSave={saveEdited}
              onClose={() => closeEditor()}
            />
          )}
          <RuleTransfer rules={rules.value} readOnly={readOnly} onImport={importRules} onRestore={restoreDefaults} announce={(text) => (status.value = text)} />
          <RuleTester db={db} rules={rules.value} />
        </>
      )}
    </section>
  );
}

/** A padlock (an SVG rather than an emoji, which not every system font draws). */
function LockIcon() {
  return (
    <svg class="rules-lock-icon" width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <path
        fill="currentColor"
        d="M8 1a3.5 3.5 0 0 0-3.5 3.5V7H4a1 1 0 0 0-1 1v6a1 1 0 0 0 1 1h8a1 1 0 0 0 1-1V8a1 1 0 0 0-1-1h-.5V4.5A3.5 3.5 0 0 0 8 1Zm-2 6V4.5a2 2 0 1 1 4 0V7H6Z"
      />
    </svg>
  );
}
