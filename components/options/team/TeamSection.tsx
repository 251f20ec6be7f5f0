/**
 * Options → Team (issue 19; docs/team.md "The extension"): the team service's address and this
 * person's token (a password field with show/hide; once saved, only its last 4 characters are shown),
 * "Test connection" (who the token is, or why not, in one sentence), Connect / Disconnect, the managed
 * policy's address (and token) shown read-only, what the background last learned (connected as whom,
 * the versions of the tiers, rules and site definitions and when, the last error, the live updates),
 * and for managers and administrators the team's recent changes. The page holds the team port while
 * open, so the background follows the team's changes live.
 */
import { useSignal } from '@preact/signals';
import { useEffect, useMemo } from 'preact/hooks';
import { FormContext, TextField, IssueSummary, useFieldErrors, fieldId, describedBy, Field, type FormState } from '../form';
import { useSetting } from '~/lib/pages/use-setting';
import { readTeamAudit, teamTime, testTeamConnection, TeamSaveError } from '~/lib/pages/team';
import { holdTeamPortWhileConnected } from '~/lib/extension/team-port';
import { TEAM, TEAM_STATE } from '~/lib/settings/items';
import { readPolicy, removeSetting, watchPolicy, writeSetting } from '~/lib/settings/storage';
import { parseManagedPolicy } from '~/lib/rules/policy';
import { baseAddress, teamConnection, teamTokenProblems, teamUrlProblems } from '~/lib/team/connection';
import { tokenTail } from '~/lib/team/check';
import { canEditTeam, changedByText, parseTeamState } from '~/lib/team/state';
import { CONFIG_KINDS, type AuditEntry, type ConfigKind } from '~/lib/team/protocol';
import type { FieldIssue } from '~/lib/pages/form-issues';

const KIND_NAMES: Record<ConfigKind, string> = { tiers: 'Tiers', rules: 'Treatment rules', sites: 'Site definitions' };
const ROLE_NAMES = { admin: 'administrator', manager: 'manager', agent: 'agent' } as const;
const FIELD_NAMES: Record<string, string> = { url: 'Service address', token: 'Personal token' };

type Result = { ok: boolean; text: string } | null;

/** The password field with its show/hide switch, in the form kit's field. */
function TokenField({ value, onInput, saved, readOnlyText }: { value: string; onInput(value: string): void; saved: string | undefined; readOnlyText?: string }) {
  const shown = useSignal(false);
  const id = fieldId('team', 'token');
  const messages = useFieldErrors('token');
  const hint = readOnlyText ?? (saved ? `Saved: ${tokenTail(saved)}. Paste a new token to replace it.` : 'The personal token (ctk_…) your administrator gave you; it is kept in this browser only.');
  return (
    <Field label="Personal token" id={id} messages={messages} hint={hint}>
      <span class="team-token">
        <input
          {...describedBy(id, messages, true)}
          type={shown.value ? 'text' : 'password'}
          value={value}
          placeholder={saved ? tokenTail(saved) : 'ctk_…'}
          autoComplete="off"
          spellcheck={false}
          disabled={readOnlyText !== undefined}
          data-testid="team-token"
          onInput={(e) => onInput((e.currentTarget as HTMLInputElement).value)}
        />{' '}
        <button type="button" class="button secondary small" aria-pressed={shown.value} aria-controls={id} disabled={readOnlyText !== undefined} onClick={() => (shown.value = !shown.value)} data-testid="team-token-show">
          {shown.value ? 'Hide' : 'Show'}
        </button>
      </span>
    </Field>
  );
}

function auditWhat(entry: AuditEntry): string {
  const kind = CONFIG_KINDS.find((k) => entry.target === k);
  const name = kind ? KIND_NAMES[kind].toLowerCase() : entry.target;
  if (entry.outcome === 'refused') return `tried to change the ${name} (refused)`;
  if (kind === 'rules') {
    const count = (v: unknown) => (Array.isArray((v as { rules?: unknown[] })?.rules) ? (v as { rules: { enabled?: boolean }[] }).rules : null);
    const before = count(entry.before);
    const after = count(entry.after);
    if (before && after) {
      const on = (list: { enabled?: boolean }[]) => list.filter((r) => r.enabled !== false).length;
      return `changed the treatment rules: ${before.length} rules (${on(before)} on) → ${after.length} rules (${on(after)} on)`;
    }
  }
  if (kind === 'tiers') {
    const names = (v: unknown) => ((v as { tiers?: { name?: string }[] })?.tiers ?? []).map((t) => t.name).join(', ');
    return `changed the tiers: ${names(entry.before) || '—'} → ${names(entry.after) || '—'}`;
  }
  return `${entry.action.replace(/-/g, ' ')} ${kind ? '' : entry.target}`.trim();
}

/** The team's recent changes and refused attempts (managers and administrators). */
function TeamChanges() {
  const entries = useSignal<AuditEntry[] | null>(null);
  const error = useSignal<string | null>(null);
  const busy = useSignal(false);
  const load = async () => {
    busy.value = true;
    try {
      entries.value = await readTeamAudit(50);
      error.value = null;
    } catch (e) {
      error.value = e instanceof TeamSaveError ? e.message : (e as Error).message;
    } finally {
      busy.value = false;
    }
  };
  useEffect(() => void load(), []);
  return (
    <div class="team-changes" role="group" aria-labelledby="team-changes-title" data-testid="team-changes">
      <h3 id="team-changes-title">Team changes</h3>
      <button type="button" class="button secondary small" onClick={() => void load()} aria-disabled={busy.value || undefined} data-testid="team-changes-refresh">
        {busy.value ? 'Reading…' : 'Refresh'}
      </button>
      {error.value && (
        <p class="notice error" role="alert">
          {error.value}
        </p>
      )}
      {entries.value && entries.value.length === 0 && <p class="muted">No changes yet.</p>}
      {entries.value && entries.value.length > 0 && (
        <table class="team-changes-table">
          <caption class="visually-hidden">The team’s latest changes and refused attempts, newest first</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">What</th>
            </tr>
          </thead>
          <tbody>
            {entries.value.map((entry) => (
              <tr key={entry.id} data-testid="team-change" data-outcome={entry.outcome} data-target={entry.target}>
                <td>{teamTime(entry.at)}</td>
                <td>
                  {entry.tokenName ?? 'unknown'}
                  {entry.role ? ` (${entry.role})` : ''}
                </td>
                <td>{auditWhat(entry)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

export function TeamSection() {
  const setting = useSetting(TEAM);
  const state = parseTeamState(useSetting(TEAM_STATE));
  const policy = useSignal<{ teamUrl?: string; teamToken?: string; errors: string[] } | null>(null);
  const url = useSignal('');
  const token = useSignal('');
  const touched = useSignal<ReadonlySet<string>>(new Set());
  const result = useSignal<Result>(null);
  const busy = useSignal<'test' | 'connect' | 'disconnect' | null>(null);

  useEffect(() => {
    const read = () =>
      void readPolicy().then((managed) => {
        const { policy: p, errors } = parseManagedPolicy(managed);
        policy.value = { ...(p.teamUrl ? { teamUrl: p.teamUrl } : {}), ...(p.teamToken ? { teamToken: p.teamToken } : {}), errors: errors.filter((e) => e.startsWith('team')) };
      });
    read();
    const stop = watchPolicy(read);
    // While this page is open, the background follows the team's changes live.
    const release = holdTeamPortWhileConnected();
    return () => {
      stop();
      release();
    };
  }, []);
  // The saved address fills the field once read.
  useEffect(() => {
    if (setting && url.value === '') url.value = setting.url;
  }, [setting?.url]);

  const policyUrl = policy.value?.teamUrl;
  const policyToken = policy.value?.teamToken;
  const savedToken = setting?.token;
  const address = policyUrl ?? url.value;
  /** The token to use: typed, else the saved one, else the policy's. */
  const tokenInUse = policyToken ?? (token.value.trim() || savedToken || '');

  const issues: FieldIssue[] = useMemo(() => {
    const list: FieldIssue[] = [];
    if (!policyUrl) for (const message of teamUrlProblems(address)) list.push({ path: 'url', message });
    if (!policyToken && (token.value.trim() !== '' || !savedToken)) for (const message of teamTokenProblems(token.value)) list.push({ path: 'token', message });
    return list;
  }, [address, token.value, savedToken, policyUrl, policyToken]);

  const form: FormState = {
    issues,
    touched: touched.value,
    touch: (path) => (touched.value = new Set([...touched.value, path])),
    idPrefix: 'team',
    readOnly: false,
  };
  const touchAll = () => (touched.value = new Set(['url', 'token']));
  const connection = issues.length === 0 ? teamConnection({ url: address, token: tokenInUse }, policyUrl ? { teamUrl: policyUrl, teamToken: policyToken ?? tokenInUse } : {}) : null;

  const test = async () => {
    touchAll();
    if (!connection) return;
    busy.value = 'test';
    result.value = null;
    const check = await testTeamConnection(connection);
    busy.value = null;
    result.value = check.ok ? { ok: true, text: `Connected: this token is ${check.me.name} (${ROLE_NAMES[check.me.role]}).` } : { ok: false, text: check.message };
  };

  const connect = async (event: Event) => {
    event.preventDefault();
    touchAll();
    if (!connection) return;
    busy.value = 'connect';
    result.value = null;
    const check = await testTeamConnection(connection);
    if (!check.ok) {
      busy.value = null;
      result.value = { ok: false, text: `Not connected: ${check.message}` };
      return;
    }
    await writeSetting(TEAM, { url: policyUrl ?? baseAddress(url.value), token: policyToken ? (savedToken ?? '') : tokenInUse });
    token.value = '';
    busy.value = null;
    result.value = { ok: true, text: `Connected as ${check.me.name} (${ROLE_NAMES[check.me.role]}). The team’s tiers, rules and site definitions now apply.` };
  };

  const disconnect = async () => {
    busy.value = 'disconnect';
    await removeSetting(TEAM);
    token.value = '';
    busy.value = null;
    result.value = { ok: true, text: policyUrl ? 'Your token was removed.' : 'Disconnected: your own tiers, rules and site definitions apply again.' };
  };

  const connected = state !== undefined;
  const canDisconnect = setting !== undefined && !(policyUrl && policyToken);
  return (
    <section class="card team" aria-labelledby="team-title" data-testid="team-section" data-state={connected ? 'connected' : 'not-connected'}>
      <h2 id="team-title">Team</h2>
      <p class="muted">
        Connected to your team’s Centric service, everyone sees the same tiers, treatment rules and site definitions, set by the team’s managers;
        changes reach every open sidebar within seconds. Not connected, Centric works with your own.
      </p>
      <FormContext.Provider value={form}>
        <form class="team-form" noValidate onSubmit={(e) => void connect(e)} data-testid="team-form">
          {policyUrl ? (
            <Field label="Service address" id={fieldId('team', 'url')} messages={[]} hint="Set by your organisation; it cannot be changed here.">
              <input id={fieldId('team', 'url')} aria-describedby={`${fieldId('team', 'url')}-hint`} value={policyUrl} readOnly data-testid="team-url" />
            </Field>
          ) : (
            <TextField path="url" label="Service address" type="url" value={url.value} onInput={(v) => (url.value = v)} placeholder="https://centric.example.com" hint="The address your administrator gave you." testId="team-url" />
          )}
          <TokenField value={token.value} onInput={(v) => (token.value = v)} saved={savedToken} {...(policyToken ? { readOnlyText: `Set by your organisation: ${tokenTail(policyToken)}.` } : {})} />
          {touched.value.size > 0 && <IssueSummary id="team-issues" class="rule-summary" testId="team-issues" issues={issues} describe={(path) => FIELD_NAMES[path] ?? path} />}
          <div class="actions">
            <button type="button" class="button secondary" onClick={() => void test()} aria-disabled={busy.value !== null || undefined} data-testid="team-test">
              {busy.value === 'test' ? 'Testing…' : 'Test connection'}
            </button>
            <button type="submit" class="button" aria-disabled={busy.value !== null || undefined} data-testid="team-connect">
              {busy.value === 'connect' ? 'Connecting…' : setting ? 'Save and reconnect' : 'Connect'}
            </button>
            {canDisconnect && (
              <button type="button" class="button secondary" onClick={() => void disconnect()} aria-disabled={busy.value !== null || undefined} data-testid="team-disconnect">
                Disconnect
              </button>
            )}
          </div>
        </form>
      </FormContext.Provider>
      <p class={result.value ? `notice ${result.value.ok ? 'ok' : 'error'}` : undefined} role="status" aria-live="polite" data-testid="team-result">
        {result.value?.text ?? ''}
      </p>
      {(policy.value?.errors.length ?? 0) > 0 && (
        <p class="notice error" role="alert" data-testid="team-policy-problems">
          Team policy: {policy.value!.errors.join(' ')}
        </p>
      )}
      {state && (
        <div class="team-state" role="group" aria-labelledby="team-state-title" data-testid="team-state" data-stream={state.stream}>
          <h3 id="team-state-title">Sync</h3>
          <p data-testid="team-me">
            {state.me ? (
              <>
                Connected to {state.connection.url} as <strong>{state.me.name}</strong> ({ROLE_NAMES[state.me.role]}){state.connection.from === 'policy' ? ', set by your organisation' : ''}.
              </>
            ) : (
              <>Connecting to {state.connection.url}…</>
            )}
          </p>
          <ul class="team-documents">
            {CONFIG_KINDS.map((kind) => {
              const doc = state.documents[kind];
              return (
                <li key={kind} data-testid={`team-document-${kind}`} data-version={doc?.version ?? ''}>
                  {KIND_NAMES[kind]}: {doc ? `version ${doc.version}, ${changedByText(doc, teamTime)}` : 'not read yet'}
                </li>
              );
            })}
          </ul>
          <p class="muted" data-testid="team-synced-at">
            {state.syncedAt ? `As of ${teamTime(state.syncedAt)}.` : 'Not synced yet.'}{' '}
            <span data-testid="team-stream">
              {state.stream === 'open' ? 'Live updates: on.' : state.stream === 'reconnecting' ? 'Live updates: reconnecting…' : 'Live updates: off (checked every minute).'}
            </span>
          </p>
          {state.error && (
            <p class="notice error" role="alert" data-testid="team-error">
              Last problem: {state.error}
            </p>
          )}
        </div>
      )}
      {canEditTeam(state) && <TeamChanges />}
    </section>
  );
}
