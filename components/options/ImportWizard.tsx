import { useSignal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import type { CommitMode, CommitResult } from '~/lib/import/commit';
import type { CentricDb } from '~/lib/db/db';
import { clearImportMarker, importRunning, interruptedImportMessage, readImportMarker } from '~/lib/import/interrupted';
import { type FilePreview, type ImportMapping, fileProblem, missingFields, previewFile } from '~/lib/import/mapping';
import { type ImportKind, type MappingField, PRESETS } from '~/lib/import/presets';
import type { FromImportWorker, ImportPhase, ReadReport, ToImportWorker } from '~/lib/import/protocol';
import { formatCount } from '../../lib/format/display';
import { download } from '~/lib/pages/download';

const FIELDS: Record<ImportKind, { field: MappingField; label: string; required?: boolean }[]> = {
  transactions: [
    { field: 'customer', label: 'Customer id', required: true },
    { field: 'date', label: 'Date', required: true },
    { field: 'amount', label: 'Amount', required: true },
    { field: 'orderId', label: 'Order id' },
    { field: 'email', label: 'Email' },
    { field: 'name', label: 'Name' },
    { field: 'company', label: 'Company' },
    { field: 'status', label: 'Status' },
    { field: 'refunded', label: 'Refunded amount' },
  ],
  customers: [
    { field: 'customer', label: 'Customer id', required: true },
    { field: 'name', label: 'Name' },
    { field: 'email', label: 'Email' },
    { field: 'company', label: 'Company' },
  ],
  subscriptions: [
    { field: 'customer', label: 'Customer id', required: true },
    { field: 'start', label: 'Start date', required: true },
    { field: 'end', label: 'End or cancel date' },
    { field: 'revenue', label: 'Recurring revenue', required: true },
  ],
};

const KIND_LABELS: Record<ImportKind, string> = {
  transactions: 'Transactions (orders, payments)',
  customers: 'Customers (names, emails, companies)',
  subscriptions: 'Subscriptions (contracts)',
};

type Step = 'choose' | 'map' | 'reading' | 'review' | 'writing' | 'done' | 'failed';

export interface ImportWizardProps {
  createWorker: () => Worker;
  /** The store, to tell the person about an import the browser interrupted (lib/import/interrupted.ts). */
  db?: CentricDb;
  onImported: (result: CommitResult) => void;
  onLoadSample: () => Promise<void>;
}

function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '…';
  return seconds < 60 ? `${Math.ceil(seconds)} s` : `${Math.floor(seconds / 60)} min ${Math.ceil(seconds % 60)} s`;
}

/** The import wizard: choose a file, check the mapping on a preview, import with progress, review problems. */
export function ImportWizard({ createWorker, onImported, onLoadSample, db }: ImportWizardProps) {
  const step = useSignal<Step>('choose');
  const kind = useSignal<ImportKind>('transactions');
  const file = useSignal<File | null>(null);
  const preview = useSignal<FilePreview | null>(null);
  const mapping = useSignal<ImportMapping | null>(null);
  const progress = useSignal({ bytes: 0, totalBytes: 0, rows: 0, startedAt: 0, phase: 'reading' as ImportPhase });
  const interrupted = useSignal<string | null>(null);
  /** The check for an interrupted import is done (found one or not): `data-interrupted-check` on the wizard. */
  const interruptedChecked = useSignal(!db);
  const report = useSignal<ReadReport | null>(null);
  const result = useSignal<CommitResult | null>(null);
  const error = useSignal<string | null>(null);
  const keepSample = useSignal(false);
  const worker = useRef<Worker | null>(null);

  useEffect(() => () => worker.current?.terminate(), []);

  // An import that was saving when the browser or the page closed left its marker: say so, once.
  useEffect(() => {
    if (!db) return;
    void (async () => {
      const marker = await readImportMarker(db);
      if (!marker || (await importRunning((navigator as Navigator & { locks?: Parameters<typeof importRunning>[0] }).locks))) return;
      interrupted.value = interruptedImportMessage(marker);
      await clearImportMarker(db);
    })()
      .catch((e: unknown) => console.warn('[Centric] Checking for an interrupted import failed:', e))
      .finally(() => (interruptedChecked.value = true));
  }, [db]);

  const reset = () => {
    worker.current?.terminate();
    worker.current = null;
    step.value = 'choose';
    file.value = null;
    preview.value = null;
    mapping.value = null;
    report.value = null;
    result.value = null;
    error.value = null;
  };

  const choose = async (chosen: File, presetId?: string) => {
    file.value = chosen;
    error.value = null;
    try {
      const head = await chosen.slice(0, 256 * 1024).text();
      const unusable = fileProblem(head);
      if (unusable) {
        error.value = `Could not read ${chosen.name}: ${unusable} Nothing was changed.`;
        return;
      }
      const p = previewFile(head, kind.value, presetId);
      preview.value = p;
      mapping.value = p.mapping;
      step.value = 'map';
    } catch (e) {
      error.value = `Could not read ${chosen.name}: ${(e as Error).message}`;
    }
  };

  const send = (message: ToImportWorker) => worker.current?.postMessage(message);

  const start = () => {
    if (!file.value || !mapping.value) return;
    worker.current?.terminate();
    const w = createWorker();
    worker.current = w;
    progress.value = { bytes: 0, totalBytes: file.value.size, rows: 0, startedAt: performance.now(), phase: 'reading' };
    step.value = 'reading';
    w.onmessage = (event: MessageEvent<FromImportWorker>) => {
      const m = event.data;
      switch (m.type) {
        case 'progress':
          progress.value = { ...progress.value, ...m };
          if (m.phase !== 'reading') step.value = 'writing';
          break;
        case 'read-done':
          report.value = m.report;
          if (m.report.rejectedRows === 0 && m.report.rows > 0) commit('all-or-nothing');
          else step.value = 'review';
          break;
        case 'committed':
          result.value = m.result;
          step.value = 'done';
          w.terminate();
          worker.current = null;
          onImported(m.result);
          break;
        case 'failed':
          error.value = m.message;
          step.value = 'failed';
          break;
      }
    };
    w.onerror = (event) => {
      error.value = `The import stopped unexpectedly (${event.message || 'worker error'}). Nothing was changed.`;
      step.value = 'failed';
    };
    send({ type: 'read', file: file.value, mapping: mapping.value });
  };

  const commit = (mode: CommitMode) => {
    progress.value = { ...progress.value, phase: 'starting' };
    step.value = 'writing';
    send({ type: 'commit', mode, keepSample: keepSample.value });
  };

  const cancel = () => {
    worker.current?.terminate();
    worker.current = null;
    error.value = 'Import cancelled. Nothing was changed.';
    step.value = 'failed';
  };

  const setColumn = (field: MappingField, value: string) => {
    if (!mapping.value) return;
    const columns = { ...mapping.value.columns };
    if (value === '') delete columns[field];
    else columns[field] = Number(value);
    mapping.value = { ...mapping.value, columns };
  };

  const downloadIssues = () => {
    if (!report.value) return;
    download(report.value.issuesCsv, `${report.value.fileName.replace(/\.[^.]+$/, '')}-problems.csv`, 'text/csv');
  };

  const p = preview.value;
  const m = mapping.value;
  const missing = m ? missingFields(m) : [];
  const r = report.value;
  const prog = progress.value;
  const fraction = prog.totalBytes > 0 ? prog.bytes / prog.totalBytes : 0;
  const elapsed = (performance.now() - prog.startedAt) / 1000;
  const timeLeft = fraction > 0.02 ? (elapsed * (1 - fraction)) / fraction : NaN;

  return (
    <section class="card wizard" aria-labelledby="import-title" data-testid="import-wizard" data-interrupted-check={interruptedChecked.value ? 'done' : 'pending'}>
      <h2 id="import-title">Import your data</h2>
      {interrupted.value && (
        <p class="notice error" role="alert" data-testid="import-interrupted">
          {interrupted.value}
        </p>
      )}

      {step.value === 'choose' && (
        <div class="wizard-step">
          <fieldset class="kinds">
            <legend>What does the file hold?</legend>
            {(Object.keys(KIND_LABELS) as ImportKind[]).map((k) => (
              <label key={k}>
                <input type="radio" name="import-kind" value={k} checked={kind.value === k} onChange={() => (kind.value = k)} /> {KIND_LABELS[k]}
              </label>
            ))}
          </fieldset>
          <p>
            <label class="button" for="import-file">
              Choose a CSV file…
            </label>
            <input
              id="import-file"
              class="visually-hidden"
              type="file"
              accept=".csv,.tsv,.txt,text/csv,text/plain"
              data-testid="import-file"
              onChange={(event) => {
                const chosen = (event.currentTarget as HTMLInputElement).files?.[0];
                if (chosen) void choose(chosen);
              }}
            />{' '}
            <button type="button" class="button secondary" data-testid="load-sample" onClick={() => void onLoadSample()}>
              Load sample data
            </button>
          </p>
          <p class="muted">
            Presets: {PRESETS.filter((x) => x.kind === kind.value).map((x) => x.label).join(' · ')}. Any other file: map its columns on the next step.
          </p>
        </div>
      )}

      {step.value === 'map' && p && m && (
        <div class="wizard-step" data-testid="import-mapping">
          <p>
            <strong>{file.value?.name}</strong>{' '}
            <span class="muted">
              ({formatCount(file.value?.size ?? 0)} bytes) · {p.dialect.header ? 'with a header row' : 'no header row'} · delimiter{' '}
              {p.dialect.delimiter === '\t' ? 'tab' : p.dialect.delimiter === 'whitespace' ? 'spaces' : `"${p.dialect.delimiter}"`}
              {p.dialect.decimalComma ? ' · decimal comma' : ''}
            </span>
          </p>
          <label>
            Format{' '}
            <select
              data-testid="import-preset"
              value={m.presetId ?? ''}
              onChange={(e) => file.value && void choose(file.value, (e.currentTarget as HTMLSelectElement).value || undefined)}
            >
              <option value="">Custom mapping</option>
              {PRESETS.filter((x) => x.kind === kind.value).map((x) => (
                <option key={x.id} value={x.id}>
                  {x.label}
                </option>
              ))}
            </select>
          </label>
          {p.preset && <p class="muted">{p.preset.note}</p>}
          <div class="mapping-grid">
            {FIELDS[kind.value].map(({ field, label, required }) => (
              <label key={field}>
                {label}
                {required ? ' *' : ''}
                <select
                  data-testid={`map-${field}`}
                  value={m.columns[field] === undefined ? '' : String(m.columns[field])}
                  onChange={(e) => setColumn(field, (e.currentTarget as HTMLSelectElement).value)}
                  aria-invalid={required && m.columns[field] === undefined}
                >
                  <option value="">{required ? '— choose a column —' : '— not in this file —'}</option>
                  {p.header.map((h, i) => (
                    <option key={i} value={String(i)}>
                      {h || `column ${i + 1}`}
                    </option>
                  ))}
                </select>
              </label>
            ))}
            {kind.value !== 'customers' && (
              <label>
                Date format
                <select
                  data-testid="map-date-format"
                  value={m.dateFormat}
                  onChange={(e) => (mapping.value = { ...m, dateFormat: (e.currentTarget as HTMLSelectElement).value as ImportMapping['dateFormat'] })}
                >
                  {['YYYY-MM-DD', 'YYYYMMDD', 'DD/MM/YYYY', 'MM/DD/YYYY'].map((f) => (
                    <option key={f} value={f}>
                      {f}
                      {p.dateCandidates.length > 1 && p.dateCandidates.includes(f as never) ? ' (fits)' : ''}
                    </option>
                  ))}
                </select>
              </label>
            )}
          </div>
          {p.dateCandidates.length > 1 && (
            <p class="notice error" role="alert">
              The dates could be {p.dateCandidates.join(' or ')}: no row tells them apart. Check the date format above.
            </p>
          )}
          <div class="table-scroll">
            <table class="preview" data-testid="import-preview">
              <caption class="visually-hidden">First rows of the file</caption>
              <thead>
                <tr>
                  {p.header.map((h, i) => {
                    const used = FIELDS[kind.value].find((f) => m.columns[f.field] === i);
                    return (
                      <th key={i} scope="col" class={used ? 'mapped' : ''}>
                        {h}
                        {used && <span class="mapped-as"> → {used.label}</span>}
                      </th>
                    );
                  })}
                </tr>
              </thead>
              <tbody>
                {p.rows.map((row, i) => (
                  <tr key={i}>
                    {p.header.map((_, j) => (
                      <td key={j}>{row[j] ?? ''}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <label class="check">
            <input type="checkbox" checked={keepSample.value} onChange={(e) => (keepSample.value = (e.currentTarget as HTMLInputElement).checked)} /> Keep
            the bundled sample customers (otherwise your data replaces them)
          </label>
          {missing.length > 0 && (
            <p class="notice error" role="alert" data-testid="import-missing">
              Choose a column for: {missing.join(', ')}.
            </p>
          )}
          <div class="actions">
            <button type="button" class="button" disabled={missing.length > 0} onClick={start} data-testid="import-start">
              Import
            </button>
            <button type="button" class="button secondary" onClick={reset}>
              Choose another file
            </button>
          </div>
        </div>
      )}

      {(step.value === 'reading' || step.value === 'writing') && (
        <div class="wizard-step" data-testid="import-progress" data-phase={step.value === 'reading' ? 'reading' : prog.phase}>
          <p>
            {step.value === 'reading'
              ? `Reading ${file.value?.name}…`
              : prog.phase === 'waiting'
                ? 'Waiting for another import (in another tab) to finish saving…'
                : prog.phase === 'writing'
                  ? 'Saving to the local store…'
                  : 'Starting to save…'}{' '}
            {formatCount(prog.rows)} rows
            {step.value === 'reading' && ` · about ${formatSeconds(timeLeft)} left`}
          </p>
          <progress
            max={1}
            value={step.value === 'reading' ? fraction : undefined}
            aria-label={step.value === 'reading' ? 'Reading the file' : 'Saving'}
          />
          <div class="actions">
            <button type="button" class="button secondary" onClick={cancel} data-testid="import-cancel">
              Cancel
            </button>
          </div>
        </div>
      )}

      {step.value === 'review' && r && (
        <div class="wizard-step" data-testid="import-review">
          {r.rows === 0 ? (
            <p class="notice error" role="alert">
              {r.fileName} has no data rows. Nothing was imported.
            </p>
          ) : (
            <>
              <p class="notice error" role="alert" data-testid="import-errors-summary">
                {formatCount(r.rejectedRows)} of {formatCount(r.rows)} rows have problems. Nothing has been imported yet.
              </p>
              <div class="table-scroll">
                <table class="issues" data-testid="import-issues">
                  <caption class="visually-hidden">Problems found, by line</caption>
                  <thead>
                    <tr>
                      <th scope="col">Line</th>
                      <th scope="col">Column</th>
                      <th scope="col">Value</th>
                      <th scope="col">Problem</th>
                    </tr>
                  </thead>
                  <tbody>
                    {r.issues.map((issue, i) => (
                      <tr key={i}>
                        <td>{issue.line}</td>
                        <td>{issue.field}</td>
                        <td>{issue.value}</td>
                        <td>{issue.message}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              {r.issueCount > r.issues.length && <p class="muted">… and {formatCount(r.issueCount - r.issues.length)} more in the downloadable list.</p>}
              <div class="actions">
                <button type="button" class="button secondary" onClick={downloadIssues} data-testid="import-download-issues">
                  Download the list of problems
                </button>
                <button
                  type="button"
                  class="button"
                  disabled={r.rejectedRows === r.rows}
                  onClick={() => commit('valid-only')}
                  data-testid="import-valid-only"
                >
                  Import the {formatCount(r.rows - r.rejectedRows)} valid rows only
                </button>
                <button type="button" class="button secondary" onClick={reset} data-testid="import-abandon">
                  Import nothing
                </button>
              </div>
            </>
          )}
        </div>
      )}

      {step.value === 'done' && result.value && (
        <div class="wizard-step" role="status" data-testid="import-done">
          <p class="notice ok">
            Imported {formatCount(result.value.transactionsWritten)} transactions
            {result.value.subscriptionsWritten > 0 && `, ${formatCount(result.value.subscriptionsWritten)} subscriptions`} for{' '}
            {formatCount(result.value.customersWritten)} customers from {r?.fileName}.
            {r && r.rejectedRows > 0 && ` ${formatCount(r.rejectedRows)} rows with problems were left out.`}
            {r && Object.keys(r.excludedByStatus).length > 0 &&
              ` Left out by status: ${Object.entries(r.excludedByStatus)
                .map(([s, k]) => `${s} ${formatCount(k)}`)
                .join(', ')}.`}
          </p>
          <button type="button" class="button secondary" onClick={reset}>
            Import another file
          </button>
        </div>
      )}

      {step.value === 'failed' && (
        <div class="wizard-step">
          <p class="notice error" role="alert" data-testid="import-failed">
            {error.value}
          </p>
          <button type="button" class="button secondary" onClick={reset}>
            Start again
          </button>
        </div>
      )}
      {step.value === 'choose' && error.value && (
        <p class="notice error" role="alert">
          {error.value}
        </p>
      )}
    </section>
  );
}
