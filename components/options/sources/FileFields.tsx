/**
 * The fields of a shared score file: name, address, format, how often to check for a new file, and
 * headers for the download (e.g. a token).
 */
import type { Source } from '~/lib/sources/config';
import type { FileDraft } from '~/lib/pages/sources-draft';
import { Field, TextField, fieldId, useForm } from '../form';
import { HeadersEditor } from './HeadersEditor';

export function FileFields({ draft, stored, onChange }: { draft: FileDraft; stored: Source | undefined; onChange(next: FileDraft): void }) {
  const { idPrefix, touch } = useForm();
  const set = <K extends keyof FileDraft>(key: K, value: FileDraft[K]) => onChange({ ...draft, [key]: value });
  const formatId = fieldId(idPrefix, 'format');
  return (
    <>
      <TextField
        path="name"
        label="Name"
        value={draft.name}
        onInput={(v) => set('name', v)}
        maxLength={80}
        placeholder="Shared scores"
        hint="Shown in the sidebar: “From <name>, as of …”."
        testId="source-name"
      />
      <TextField
        path="url"
        label="File address"
        type="url"
        value={draft.url}
        onInput={(v) => set('url', v)}
        maxLength={2000}
        placeholder="https://files.example.com/scores.csv"
        hint={
          <>
            The file <code>centric score --out</code> writes (CSV or JSON), e.g. on a shared drive or a web server. https:// only (http:// just for
            127.0.0.1 and localhost).
          </>
        }
        class="source-wide"
        testId="source-url"
      />
      <div class="source-grid">
        <Field label="Format" id={formatId} messages={[]}>
          <select
            id={formatId}
            value={draft.format}
            data-testid="source-file-format"
            onChange={(e) => {
              touch('format');
              set('format', (e.currentTarget as HTMLSelectElement).value as FileDraft['format']);
            }}
          >
            <option value="auto">By the file name (.csv or .json)</option>
            <option value="csv">CSV</option>
            <option value="json">JSON</option>
          </select>
        </Field>
        <TextField
          path="syncMinutes"
          label="Check for a new file every (minutes)"
          type="number"
          min={5}
          max={1440}
          step={1}
          inputMode="numeric"
          value={draft.syncMinutes}
          onInput={(v) => set('syncMinutes', v)}
          hint="5 to 1,440 (a day). Only a changed file is downloaded."
          testId="source-sync-minutes"
        />
      </div>
      <HeadersEditor headers={draft.headers} stored={stored} sentWith="the download" onChange={(headers) => set('headers', headers)} />
    </>
  );
}
