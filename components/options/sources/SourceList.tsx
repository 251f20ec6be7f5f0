/**
 * The configured sources: each with its on/off switch, name, kind, address (public view: secrets
 * hidden), for a score file its last sync and "Sync now", for a lookup service "Test", and Edit /
 * Remove.
 */
import { useSignal } from '@preact/signals';
import { publicView, type Source } from '~/lib/sources/config';
import { KIND_WORDS } from '~/lib/pages/sources-draft';
import { loadLocalScoreFile } from '~/lib/extension/score-file-sync';
import { CentricDb } from '~/lib/db/db';
import { hostOf, syncNow, syncStatusText, type SyncStatus } from '~/lib/pages/sources-remote';

/** The options page's own connection to the store (extension pages share the background's database). */
let db: CentricDb | null = null;
const localDb = () => (db ??= new CentricDb());
import { SourceTester } from './SourceTester';

export interface SourceListProps {
  sources: readonly Source[];
  syncStatus: Readonly<Record<string, SyncStatus>>;
  /** Sources whose site Centric may not contact yet. */
  noAccess: ReadonlySet<string>;
  onToggle(id: string, enabled: boolean): void;
  onEdit(id: string): void;
  onRemove(id: string): void;
  /** Asks for the site of a source in `noAccess`. */
  onAllow(id: string): void;
}

export function SourceList({ sources, syncStatus, noAccess, onToggle, onEdit, onRemove, onAllow }: SourceListProps) {
  if (sources.length === 0) {
    return (
      <p class="muted" data-testid="source-list-empty">
        No sources yet: the sidebar shows the scores computed in this browser.
      </p>
    );
  }
  return (
    <ul class="source-list" aria-label="Sources" data-testid="source-list">
      {sources.map((source) => (
        <SourceItem
          key={source.id}
          source={source}
          status={syncStatus[source.id]}
          noAccess={noAccess.has(source.id)}
          onAllow={() => onAllow(source.id)}
          onToggle={(enabled) => onToggle(source.id, enabled)}
          onEdit={() => onEdit(source.id)}
          onRemove={() => onRemove(source.id)}
        />
      ))}
    </ul>
  );
}

function SourceItem({
  source,
  status,
  noAccess,
  onAllow,
  onToggle,
  onEdit,
  onRemove,
}: {
  source: Source;
  status: SyncStatus | undefined;
  noAccess: boolean;
  onAllow(): void;
  onToggle(enabled: boolean): void;
  onEdit(): void;
  onRemove(): void;
}) {
  const testing = useSignal(false);
  const syncing = useSignal(false);
  const syncResult = useSignal<{ ok: boolean; message: string } | null>(null);
  const shown = publicView(source);
  const address = shown.kind === 'lookup-service' ? shown.urlTemplate : shown.url;
  const name = `“${source.name}”`;
  const idPrefix = `source-${source.id}`;
  const sync = source.kind === 'score-file' ? syncStatusText(status) : undefined;

  const problems = useSignal<string[]>([]);
  const loadPicked = async (file: File) => {
    if (source.kind !== 'score-file') return;
    syncing.value = true;
    syncResult.value = null;
    try {
      const result = await loadLocalScoreFile(localDb(), source, await file.text(), file.name);
      syncResult.value = { ok: result.ok, message: result.message };
      problems.value = result.problems;
    } catch (error) {
      syncResult.value = { ok: false, message: `The file could not be loaded: ${String((error as Error).message ?? error)}` };
    } finally {
      syncing.value = false;
    }
  };

  const runSync = () => {
    if (syncing.value) return;
    syncing.value = true;
    syncResult.value = null;
    void syncNow(source.id).then((answer) => {
      syncing.value = false;
      syncResult.value = answer;
    });
  };

  return (
    <li class={`source-item${source.enabled ? '' : ' off'}`} data-testid="source-item" data-source-id={source.id} data-enabled={String(source.enabled)}>
      <label class="source-switch">
        <input type="checkbox" role="switch" checked={source.enabled} data-testid="source-toggle" onChange={(e) => onToggle((e.currentTarget as HTMLInputElement).checked)} />
        <span class="visually-hidden">Use {name}</span>
        <span class="source-switch-state" aria-hidden="true">
          {source.enabled ? 'On' : 'Off'}
        </span>
      </label>
      <div class="source-text">
        <span>
          <strong class="source-name">{source.name}</strong> <span class="badge">{KIND_WORDS[source.kind]}</span>
        </span>
        <code class="source-address" title={address} data-testid="source-address">
          {address}
        </code>
        {noAccess && (
          <span class="source-no-access" data-testid="source-permission">
            Centric may not contact {hostOf(address)} yet, so this source is not used.{' '}
            <button type="button" class="button secondary small" aria-label={`Allow Centric to contact ${hostOf(address)} for ${name}`} data-testid="source-allow" onClick={onAllow}>
              Allow access
            </button>
          </span>
        )}
        {sync && (
          <span class={`source-sync-status${sync.failed ? ' failed' : ''}`} data-testid="source-sync-status">
            {sync.text}
          </span>
        )}
      </div>
      <span class="source-buttons">
        {source.kind === 'lookup-service' ? (
          <button
            type="button"
            class="button secondary small"
            aria-expanded={testing.value}
            aria-controls={`${idPrefix}-tester`}
            aria-label={`Test ${name}`}
            data-testid="source-test"
            onClick={() => (testing.value = !testing.value)}
          >
            Test
          </button>
        ) : source.url.startsWith('local:') ? (
          <label class="button secondary small file-button">
            Load file…
            <input
              type="file"
              accept=".csv,.json,text/csv,application/json"
              class="visually-hidden"
              aria-label={`Load the scores file for ${name}`}
              data-testid="source-load-file"
              onChange={(e) => {
                const file = (e.currentTarget as HTMLInputElement).files?.[0];
                if (file) void loadPicked(file);
                (e.currentTarget as HTMLInputElement).value = '';
              }}
            />
          </label>
        ) : (
          <button type="button" class="button secondary small" aria-disabled={syncing.value || undefined} aria-label={`Sync ${name} now`} data-testid="source-sync-now" onClick={runSync}>
            {syncing.value ? 'Syncing…' : 'Sync now'}
          </button>
        )}
        <button type="button" class="button secondary small" aria-label={`Edit ${name}`} data-testid="source-edit" onClick={onEdit}>
          Edit
        </button>
        <button type="button" class="button secondary small" aria-label={`Remove ${name}`} data-testid="source-remove" onClick={onRemove}>
          Remove
        </button>
      </span>
      {source.kind === 'score-file' && (
        <p class={`source-sync-result${syncResult.value ? (syncResult.value.ok ? ' notice ok' : ' notice error') : ''}`} role="status" data-testid="source-sync-result">
          {syncing.value ? 'Syncing…' : (syncResult.value?.message ?? '')}
        </p>
      )}
      {problems.value.length > 0 && (
        <ul class="notice error" data-testid="source-file-problems">
          {problems.value.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
      {source.kind === 'lookup-service' && (
        <div class="source-item-tester" id={`${idPrefix}-tester`} hidden={!testing.value}>
          {testing.value && <SourceTester source={source} idPrefix={idPrefix} />}
        </div>
      )}
    </li>
  );
}
