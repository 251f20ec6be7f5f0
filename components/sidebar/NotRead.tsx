import { useSignal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import type { IdentityMessage } from '~/lib/messages/schema';
import { LinkCustomer, type LinkActions } from './LinkCustomer';

export interface ReportActions {
  /** The page report's text (made by the background in this tab: lib/sites/page-outline.ts). */
  pageReport(): Promise<string>;
}

/**
 * A record page whose customer could not be read (issue 17, "fail loudly"): what Centric looked for
 * and did not find, in words; "link to customer" for the record; and "Copy a page report" (the page's
 * structure only, for whoever maintains the site definitions). When the browser refuses the
 * clipboard, the report is shown, selected, to copy by hand.
 */
export function NotRead({ site, missing, record, actions }: { site: string; missing: string[]; record: IdentityMessage; actions?: LinkActions & Partial<ReportActions> }) {
  const kind = record.recordType ?? 'record';
  const shown = useSignal<string | null>(null);
  const status = useSignal('');
  const busy = useSignal(false);
  const area = useRef<HTMLTextAreaElement>(null);
  useEffect(() => area.current?.select(), [shown.value]);

  const copy = async () => {
    busy.value = true;
    status.value = 'Making the page report…';
    try {
      const text = await actions!.pageReport!();
      try {
        await navigator.clipboard.writeText(text);
        shown.value = null;
        status.value = 'Page report copied: paste it into a message to whoever maintains Centric’s site definitions.';
      } catch {
        shown.value = text;
        status.value = 'Your browser did not let Centric copy it: the report is selected below, copy it with Ctrl+C (⌘C on a Mac).';
      }
    } catch (error) {
      status.value = (error as Error).message;
    }
    busy.value = false;
  };

  return (
    <div class="notice" data-testid="centric-not-read">
      <p class="notice-title">No customer read on this {kind}</p>
      <p>On this {site} page, Centric looked for:</p>
      <ul class="missing" data-testid="missing-parts">
        {(missing.length > 0 ? missing : ['the customer']).map((part) => (
          <li key={part}>{part}: not found on the page</li>
        ))}
      </ul>
      {actions && record.hostRecordId ? (
        <LinkCustomer key={record.hostRecordId} actions={actions} initial={[]} />
      ) : (
        <p class="hint">This page’s address names no {kind}, so it cannot be linked to a customer.</p>
      )}
      {actions?.pageReport && (
        <>
          <p class="hint" role="status" data-testid="page-report-status">
            {status.value || 'The page may have changed. A page report (its structure only: no text, no personal data) helps whoever maintains Centric’s site definitions fix this.'}
          </p>
          <button type="button" class="text-button" onClick={() => void copy()} disabled={busy.value} data-testid="copy-page-report">
            Copy a page report
          </button>
          {shown.value !== null && <textarea ref={area} class="report-text" readOnly rows={8} aria-label="Page report" value={shown.value} data-testid="page-report-text" />}
        </>
      )}
    </div>
  );
}
