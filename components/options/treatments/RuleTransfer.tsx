/**
 * Rule sets in and out: export as centric-rules-YYYY-MM-DD.json, import a file (all or nothing: an
 * invalid file lists every problem and changes nothing; a valid one replaces the rules after a
 * confirmation), and restore the default rules for the current tiers (after a confirmation).
 * When the rules are locked only Export is offered.
 */
import { useSignal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import type { Rule } from '~/lib/rules/schema';
import { exportRuleSet, parseRuleSet } from '~/lib/rules/transfer';
import { download } from '~/lib/pages/download';

export interface RuleTransferProps {
  rules: readonly Rule[];
  readOnly: boolean;
  /** Replaces the rules with these (saved by the caller). */
  onImport(rules: Rule[], fileName: string): Promise<void>;
  /** Forgets the saved rules (the defaults for the current tiers apply). */
  onRestore(): Promise<void>;
  /** Says something in the section's status region. */
  announce(text: string): void;
  /** Today, for the export's file name (tests). */
  today?: () => Date;
}

type Pending = { kind: 'import'; rules: Rule[]; fileName: string } | { kind: 'restore' } | null;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** YYYY-MM-DD of the local date. */
export function localDay(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

export function RuleTransfer({ rules, readOnly, onImport, onRestore, announce, today = () => new Date() }: RuleTransferProps) {
  const fileInput = useRef<HTMLInputElement>(null);
  const importButton = useRef<HTMLButtonElement>(null);
  const restoreButton = useRef<HTMLButtonElement>(null);
  const errors = useSignal<{ fileName: string; lines: string[] } | null>(null);
  const pending = useSignal<Pending>(null);
  const busy = useSignal(false);
  const confirmButton = useRef<HTMLButtonElement>(null);

  /** Where focus goes once the confirmation is gone (the button that opened it). */
  const focusAfter = useRef<HTMLButtonElement | null>(null);

  // The confirmation takes focus when it appears, so a keyboard user answers it next.
  const shown = pending.value;
  useEffect(() => {
    if (shown) confirmButton.current?.focus();
  }, [shown]);
  useEffect(() => {
    if (!focusAfter.current || pending.value || busy.value) return;
    focusAfter.current.focus();
    focusAfter.current = null;
  });

  const exportRules = () => {
    const fileName = `centric-rules-${localDay(today())}.json`;
    download(exportRuleSet(rules), fileName, 'application/json');
    announce(`Exported ${plural(rules.length, 'rule')} to ${fileName}.`);
  };

  const readFile = async (file: File) => {
    pending.value = null;
    errors.value = null;
    let text: string;
    try {
      text = await file.text();
    } catch (e) {
      errors.value = { fileName: file.name, lines: [`The file could not be read: ${(e as Error).message}`] };
      return;
    }
    const parsed = parseRuleSet(text);
    if (!parsed.ok) errors.value = { fileName: file.name, lines: parsed.errors };
    else pending.value = { kind: 'import', rules: parsed.rules, fileName: file.name };
  };

  const confirm = async () => {
    const p = pending.value;
    if (!p) return;
    busy.value = true;
    focusAfter.current = (p.kind === 'import' ? importButton : restoreButton).current;
    try {
      if (p.kind === 'import') await onImport(p.rules, p.fileName);
      else await onRestore();
    } catch (e) {
      errors.value = {
        fileName: p.kind === 'import' ? p.fileName : 'The defaults',
        lines: [`Nothing was changed: ${(e as Error).message}`],
      };
    } finally {
      pending.value = null;
      busy.value = false;
    }
  };

  const cancel = () => {
    focusAfter.current = (pending.value?.kind === 'restore' ? restoreButton : importButton).current;
    pending.value = null;
    announce('Nothing was changed.');
  };

  const p = pending.value;
  return (
    <div class="rule-transfer" data-testid="rules-transfer">
      <div class="actions">
        <button type="button" class="button secondary" onClick={exportRules} data-testid="rules-export">
          Export rules
        </button>
        {!readOnly && (
          <>
            <button type="button" class="button secondary" ref={importButton} disabled={busy.value} onClick={() => fileInput.current?.click()} data-testid="rules-import-button">
              Import rules…
            </button>
            <input
              ref={fileInput}
              type="file"
              accept=".json,application/json"
              hidden
              aria-label="Rules file to import"
              data-testid="rules-import"
              onChange={(event) => {
                const input = event.currentTarget as HTMLInputElement;
                const file = input.files?.[0];
                input.value = '';
                if (file) void readFile(file);
              }}
            />
            <button type="button" class="button secondary" ref={restoreButton} disabled={busy.value} onClick={() => ((errors.value = null), (pending.value = { kind: 'restore' }))} data-testid="rules-restore-defaults">
              Restore default rules…
            </button>
          </>
        )}
      </div>
      {errors.value && (
        <div class="notice error rule-import-errors" role="alert" data-testid="rules-import-errors">
          <p>
            {errors.value.fileName} was not imported ({plural(errors.value.lines.length, 'problem')}); your rules are unchanged:
          </p>
          <ul>
            {errors.value.lines.map((line, i) => (
              <li key={i}>{line}</li>
            ))}
          </ul>
        </div>
      )}
      {p && (
        <div class="confirm" role="alertdialog" aria-labelledby="rules-confirm-title" aria-describedby="rules-confirm-text" data-testid="rules-confirm">
          <p id="rules-confirm-title" class="confirm-title">
            {p.kind === 'import' ? `Replace your rules with ${p.fileName}?` : 'Restore the default rules?'}
          </p>
          <p id="rules-confirm-text">
            {p.kind === 'import'
              ? `The ${plural(p.rules.length, 'rule')} in the file will replace your ${plural(rules.length, 'rule')}.`
              : `The default rules for your current tiers will replace your ${plural(rules.length, 'rule')}.`}{' '}
            Export your rules first if you may need them again.
          </p>
          <button type="button" class="button danger" ref={confirmButton} disabled={busy.value} onClick={() => void confirm()} data-testid="rules-confirm-yes">
            {p.kind === 'import' ? `Replace with ${plural(p.rules.length, 'rule')}` : 'Restore defaults'}
          </button>{' '}
          <button type="button" class="button secondary" disabled={busy.value} onClick={cancel} data-testid="rules-confirm-no">
            Keep my rules
          </button>
        </div>
      )}
    </div>
  );
}
