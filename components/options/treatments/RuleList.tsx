/**
 * The rules in the order they are tried, each with its on/off switch, name, reason and treatment.
 * Reordered by dragging an item, with the Move up / Move down buttons, or with Alt+↑ / Alt+↓ anywhere
 * in an item; focus stays on the moved rule. Read-only: switches disabled, no moving, editing or deleting.
 */
import { useSignal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import type { Rule } from '~/lib/rules/schema';

export interface RuleListProps {
  rules: readonly Rule[];
  readOnly: boolean;
  onToggle(index: number, enabled: boolean): void;
  onMove(from: number, to: number): void;
  onEdit(index: number): void;
  onDuplicate(index: number): void;
  onDelete(index: number): void;
}

type FocusTarget = { id: string; testId: string };

export function RuleList({ rules, readOnly, onToggle, onMove, onEdit, onDuplicate, onDelete }: RuleListProps) {
  const list = useRef<HTMLOListElement>(null);
  const pendingFocus = useRef<FocusTarget | null>(null);
  const dragged = useRef<string | null>(null);
  const dropIndex = useSignal<number | null>(null);

  // After a move the item is re-rendered elsewhere: put focus back on the control that moved it (or the
  // other move button, when it reached an end and its own button is now disabled).
  useEffect(() => {
    const target = pendingFocus.current;
    if (!target || !list.current) return;
    pendingFocus.current = null;
    const item = [...list.current.querySelectorAll<HTMLElement>('[data-testid="rule-item"]')].find((el) => el.dataset.ruleId === target.id);
    if (!item) return;
    if (target.testId === 'rule-item') return item.focus();
    const preferred = item.querySelector<HTMLButtonElement>(`[data-testid="${target.testId}"]`);
    const fallback = item.querySelector<HTMLButtonElement>('[data-testid="rule-move-up"]:not(:disabled), [data-testid="rule-move-down"]:not(:disabled)');
    (preferred && !preferred.disabled ? preferred : (fallback ?? item)).focus();
  });

  const move = (from: number, to: number, focus: string) => {
    const rule = rules[from];
    if (!rule || to < 0 || to >= rules.length || from === to) return;
    pendingFocus.current = { id: rule.id, testId: focus };
    onMove(from, to);
  };

  const onKeyDown = (event: KeyboardEvent, index: number) => {
    if (readOnly || !event.altKey || (event.key !== 'ArrowUp' && event.key !== 'ArrowDown')) return;
    event.preventDefault();
    const active = (event.target as HTMLElement).closest('[data-testid]')?.getAttribute('data-testid') ?? 'rule-item';
    move(index, event.key === 'ArrowUp' ? index - 1 : index + 1, active);
  };

  // Drag and drop, delegated to the list (one set of native listeners, whatever the number of rules).
  const latest = useRef({ rules, readOnly, move });
  latest.current = { rules, readOnly, move };
  const hasList = rules.length > 0;
  useEffect(() => {
    const el = list.current;
    if (!el) return;
    const indexOf = (event: Event) => {
      const item = (event.target as Element | null)?.closest?.('[data-testid="rule-item"]') as HTMLElement | null;
      return item ? latest.current.rules.findIndex((r) => r.id === item.dataset.ruleId) : -1;
    };
    const end = () => {
      dragged.current = null;
      dropIndex.value = null;
    };
    const onDragStart = (event: DragEvent) => {
      const rule = latest.current.rules[indexOf(event)];
      if (!rule || latest.current.readOnly) return;
      dragged.current = rule.id;
      if (event.dataTransfer) {
        event.dataTransfer.effectAllowed = 'move';
        event.dataTransfer.setData('text/plain', rule.id);
      }
    };
    const onDragOver = (event: DragEvent) => {
      const i = indexOf(event);
      if (dragged.current === null || i < 0) return;
      event.preventDefault();
      if (event.dataTransfer) event.dataTransfer.dropEffect = 'move';
      if (dropIndex.value !== i) dropIndex.value = i;
    };
    const onDrop = (event: DragEvent) => {
      const to = indexOf(event);
      const from = latest.current.rules.findIndex((r) => r.id === dragged.current);
      end();
      if (from < 0 || to < 0) return;
      event.preventDefault();
      latest.current.move(from, to, 'rule-edit');
    };
    const onDragLeave = (event: DragEvent) => {
      const to = event.relatedTarget as Node | null;
      if (!to || !el.contains(to)) dropIndex.value = null;
    };
    el.addEventListener('dragstart', onDragStart);
    el.addEventListener('dragover', onDragOver);
    el.addEventListener('dragleave', onDragLeave);
    el.addEventListener('drop', onDrop);
    el.addEventListener('dragend', end);
    return () => {
      el.removeEventListener('dragstart', onDragStart);
      el.removeEventListener('dragover', onDragOver);
      el.removeEventListener('dragleave', onDragLeave);
      el.removeEventListener('drop', onDrop);
      el.removeEventListener('dragend', end);
    };
  }, [hasList]);

  if (rules.length === 0) {
    return (
      <p class="muted" data-testid="rule-list-empty">
        No rules: the sidebar shows no recommendation. {readOnly ? '' : 'Add a rule or restore the defaults.'}
      </p>
    );
  }

  return (
    <ol class="rule-list" ref={list} aria-label="Treatment rules, in the order they are tried" data-testid="rule-list">
      {rules.map((rule, i) => {
        const name = `“${rule.name}”`;
        return (
          <li
            key={rule.id}
            class={`rule-item${rule.enabled ? '' : ' off'}${dropIndex.value === i ? ' drop-target' : ''}`}
            data-testid="rule-item"
            data-rule-id={rule.id}
            data-enabled={String(rule.enabled)}
            tabIndex={-1}
            draggable={readOnly ? undefined : true}
            onKeyDown={(e) => onKeyDown(e, i)}
          >
            {!readOnly && (
              <span class="rule-handle" aria-hidden="true" title="Drag to reorder">
                ⠿
              </span>
            )}
            <span class="rule-position" aria-hidden="true">
              {i + 1}
            </span>
            <label class="rule-switch">
              <input
                type="checkbox"
                role="switch"
                checked={rule.enabled}
                disabled={readOnly}
                data-testid="rule-toggle"
                onChange={(e) => onToggle(i, (e.currentTarget as HTMLInputElement).checked)}
              />
              <span class="visually-hidden">
                Use rule {i + 1}, {name}
              </span>
              <span class="rule-switch-state" aria-hidden="true">
                {rule.enabled ? 'On' : 'Off'}
              </span>
            </label>
            <div class="rule-text">
              <strong class="rule-name">{rule.name}</strong>
              {rule.reason && (
                <span class="rule-reason" title={rule.reason}>
                  {rule.reason}
                </span>
              )}
            </div>
            <span class="rule-treatment">
              <span class="rule-swatch" style={{ background: rule.treatment.color }} aria-hidden="true" />
              <span class="visually-hidden">Treatment: </span>
              {rule.treatment.title}
            </span>
            <span class="rule-buttons">
              <button type="button" class="button secondary small" onClick={() => onEdit(i)} data-testid="rule-edit" aria-label={`${readOnly ? 'View' : 'Edit'} ${name}`}>
                {readOnly ? 'View' : 'Edit'}
              </button>
              {!readOnly && (
                <>
                  <button type="button" class="button secondary small" onClick={() => onDuplicate(i)} data-testid="rule-duplicate" aria-label={`Duplicate ${name}`}>
                    Duplicate
                  </button>
                  <button type="button" class="button secondary small" onClick={() => onDelete(i)} data-testid="rule-delete" aria-label={`Delete ${name}`}>
                    Delete
                  </button>
                  <button
                    type="button"
                    class="button secondary small rule-move"
                    disabled={i === 0}
                    onClick={() => move(i, i - 1, 'rule-move-up')}
                    data-testid="rule-move-up"
                    aria-label={`Move ${name} up`}
                    aria-keyshortcuts="Alt+ArrowUp"
                  >
                    ↑
                  </button>
                  <button
                    type="button"
                    class="button secondary small rule-move"
                    disabled={i === rules.length - 1}
                    onClick={() => move(i, i + 1, 'rule-move-down')}
                    data-testid="rule-move-down"
                    aria-label={`Move ${name} down`}
                    aria-keyshortcuts="Alt+ArrowDown"
                  >
                    ↓
                  </button>
                </>
              )}
            </span>
          </li>
        );
      })}
    </ol>
  );
}
