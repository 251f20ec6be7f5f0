import { useSignal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import type { CentricDb } from '~/lib/db/db';
import { localArea } from '~/lib/settings/storage';
import { BackupError, parseBackup, summarizeStore, type StoreSummary } from '~/lib/db/lifecycle';
import { exportEverything, restoreEverything, settingsInWords } from '../../lib/pages/backup';
import { ask } from '~/lib/messages/client';
import { ERASE_PHRASE } from '~/lib/messages/schema';
import { erasedInWords } from '../../lib/pages/erase-words';
import { formatBytes, formatCount, formatDate } from '../../lib/format/display';
import { download } from '~/lib/pages/download';

type Notice = { kind: 'ok' | 'error'; text: string } | null;

/** Storage used, "as of" dates, export / restore everything, erase everything (with confirmation). */
export function DataSection({
  db,
  version,
  onChanged,
  onSettingsChanged,
}: {
  db: CentricDb;
  /** Changes whenever the store changed elsewhere (an import, a scoring): the summary is read again. */
  version?: number;
  onChanged?: () => void;
  onSettingsChanged?: () => void;
}) {
  const summary = useSignal<StoreSummary | null>(null);
  const notice = useSignal<Notice>(null);
  const confirming = useSignal(false);
  /** Put the sources' API keys, tokens and headers in the export (off unless ticked). */
  const includeSecrets = useSignal(false);
  const busy = useSignal(false);
  const fileInput = useRef<HTMLInputElement>(null);

  const refresh = async () => {
    summary.value = await summarizeStore(db);
  };
  useEffect(() => {
    void refresh();
  }, [version]);

  /** Runs an action; `changesStore` false for actions that only read (export): nothing to re-read then. */
  const run = async (work: () => Promise<string>, changesStore = true, changesSettings = false) => {
    busy.value = true;
    notice.value = null;
    try {
      notice.value = { kind: 'ok', text: await work() };
    } catch (error) {
      const text = error instanceof BackupError ? error.message : `That did not work: ${String((error as Error).message ?? error)}. Nothing was changed.`;
      notice.value = { kind: 'error', text };
    } finally {
      // Read again even after a failure: an erase that failed half-way did erase something.
      if (changesStore) {
        await refresh().catch(() => {});
        onChanged?.();
      }
      if (changesSettings) onSettingsChanged?.();
      busy.value = false;
    }
  };

  const exportAll = () =>
    run(async () => {
      const { backup, message } = await exportEverything(db, localArea(), includeSecrets.value);
      const fileName = `centric-backup-${backup.exportedAt.slice(0, 10)}.json`;
      download(JSON.stringify(backup), fileName, 'application/json');
      return `${message.replace(/\.$/, '')} to ${fileName}.`;
    }, false);

  const restore = (file: File) =>
    run(
      async () => {
        const backup = parseBackup(await file.text());
        const notes = await restoreEverything(db, localArea(), backup);
        const what = backup.settings ? ` and ${settingsInWords(backup.settings.storage)}` : '';
        return `Restored ${formatCount(backup.tables.customers.length)} customers${what} from ${file.name} (exported ${formatDate(backup.exportedAt)}). ${notes.join(' ')}`.trim();
      },
      true,
      true,
    );

  // Through the background, which owns the alarms and the content scripts (lib/background/erase.ts).
  const erase = () =>
    run(async () => {
      confirming.value = false;
      const result = await ask({ type: 'erase-everything', confirm: ERASE_PHRASE });
      const done = `${erasedInWords(result.removed)} Centric is as freshly installed, without the sample data (Import → "Load sample data" brings it back).`;
      if (result.ok) return done;
      throw new BackupError(`${result.problems.join(' ')} ${result.removed.customers + result.removed.settings > 0 ? erasedInWords(result.removed) : ''}`.trim());
    }, true, true);

  const s = summary.value;
  return (
    <section class="card" aria-labelledby="data-title" data-testid="data-section">
      <h2 id="data-title">Your data</h2>
      <p class="muted">Stored in this browser only. Nothing leaves this computer unless you configure a source that sends it.</p>
      {s ? (
        <dl class="stats" data-testid="store-summary">
          <div>
            <dt>Customers</dt>
            <dd data-testid="summary-customers">{formatCount(s.customers)}</dd>
          </div>
          <div>
            <dt>Transactions</dt>
            <dd data-testid="summary-transactions">{formatCount(s.transactions)}</dd>
          </div>
          <div>
            <dt>Last import</dt>
            <dd>{s.lastImportAt ? formatDate(s.lastImportAt) : '—'}</dd>
          </div>
          <div>
            <dt>Last scoring</dt>
            <dd>{s.lastScoredAt ? formatDate(s.lastScoredAt) : '—'}</dd>
          </div>
          <div>
            <dt>Storage used</dt>
            <dd>{s.bytesUsed === null ? '—' : formatBytes(s.bytesUsed)}</dd>
          </div>
        </dl>
      ) : (
        <p class="muted">Reading the store…</p>
      )}
      <div class="actions">
        <button type="button" class="button" disabled={busy.value} onClick={() => void exportAll()} data-testid="export-all">
          Export everything
        </button>
        <label class="checkbox" title="A backup with secrets lets whoever has the file call your lookup services: keep it safe.">
          <input
            type="checkbox"
            checked={includeSecrets.value}
            onChange={(event) => (includeSecrets.value = (event.currentTarget as HTMLInputElement).checked)}
            data-testid="export-secrets"
          />{' '}
          Include secrets (the sources' API keys, tokens and headers)
        </label>
        <button type="button" class="button secondary" disabled={busy.value} onClick={() => fileInput.current?.click()}>
          Restore from a backup…
        </button>
        <input
          ref={fileInput}
          type="file"
          accept=".json,application/json"
          hidden
          data-testid="restore-file"
          onChange={(event) => {
            const file = (event.currentTarget as HTMLInputElement).files?.[0];
            (event.currentTarget as HTMLInputElement).value = '';
            if (file) void restore(file);
          }}
        />
        <button
          type="button"
          class="button danger"
          disabled={busy.value}
          onClick={() => (confirming.value = true)}
          data-testid="erase-all"
        >
          Erase everything…
        </button>
      </div>
      {confirming.value && (
        <div class="confirm" role="alertdialog" aria-labelledby="erase-title" aria-describedby="erase-text">
          <p id="erase-title" class="confirm-title">
            Erase everything Centric stored in this browser?
          </p>
          <p id="erase-text">
            {s ? `${formatCount(s.customers)} customers and ${formatCount(s.transactions)} transactions` : 'All customers and transactions'}, every
            score, import record and cached answer, your scoring settings and treatment rules, the lookup sources with their API keys, custom
            sites and domains, the list-chip switches, and the sites you turned on (their permissions are given back to the browser) will be
            deleted. Centric will be as freshly installed, except that the sample data is not loaded again. Export a backup first if you may
            need any of it. This cannot be undone.
          </p>
          <button type="button" class="button danger" onClick={() => void erase()} data-testid="erase-confirm" autoFocus>
            Erase everything
          </button>{' '}
          <button type="button" class="button secondary" onClick={() => (confirming.value = false)}>
            Keep my data
          </button>
        </div>
      )}
      {notice.value && (
        <p class={`notice ${notice.value.kind}`} role={notice.value.kind === 'error' ? 'alert' : 'status'} data-testid="data-notice">
          {notice.value.text}
        </p>
      )}
    </section>
  );
}
