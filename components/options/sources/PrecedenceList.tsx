/**
 * Precedence: the enabled sources and the scores computed in this browser, in the order they speak
 * for a customer (effectivePrecedence): the first that knows the customer wins. Move up / Move down
 * buttons; focus stays on the moved entry.
 */
import { useEffect, useRef } from 'preact/hooks';
import { LOCAL_SOURCE_ID, effectivePrecedence, type SourcesConfig } from '~/lib/sources/config';
import { KIND_WORDS } from '~/lib/pages/sources-draft';

export const LOCAL_NAME = 'Scores computed in this browser';

export interface PrecedenceListProps {
  config: SourcesConfig;
  onMove(id: string, direction: -1 | 1): void;
}

export function PrecedenceList({ config, onMove }: PrecedenceListProps) {
  const list = useRef<HTMLOListElement>(null);
  const pendingFocus = useRef<{ id: string; testId: string } | null>(null);
  const order = effectivePrecedence(config);

  // After a move, focus the same button on the moved entry (or its other button at an end).
  useEffect(() => {
    const target = pendingFocus.current;
    if (!target || !list.current) return;
    pendingFocus.current = null;
    const item = [...list.current.querySelectorAll<HTMLElement>('[data-testid="precedence-item"]')].find((el) => el.dataset.sourceId === target.id);
    const preferred = item?.querySelector<HTMLButtonElement>(`[data-testid="${target.testId}"]`);
    const other = item?.querySelector<HTMLButtonElement>('[data-testid="precedence-up"]:not(:disabled), [data-testid="precedence-down"]:not(:disabled)');
    (preferred && !preferred.disabled ? preferred : other)?.focus();
  });

  if (order.length < 2) {
    return (
      <p class="muted" data-testid="precedence-empty">
        Turn on a source to choose which one speaks first when several know a customer.
      </p>
    );
  }

  const move = (id: string, direction: -1 | 1) => {
    pendingFocus.current = { id, testId: direction < 0 ? 'precedence-up' : 'precedence-down' };
    onMove(id, direction);
  };

  return (
    <ol class="precedence-list" ref={list} aria-labelledby="sources-precedence-title" data-testid="precedence-list">
      {order.map((id, i) => {
        const source = config.sources.find((s) => s.id === id);
        const name = id === LOCAL_SOURCE_ID ? LOCAL_NAME : (source?.name ?? id);
        const label = `“${name}”`;
        return (
          <li key={id} class="precedence-item" data-testid="precedence-item" data-source-id={id}>
            <span class="precedence-position" aria-hidden="true">
              {i + 1}
            </span>
            <span class="precedence-name">
              {name}
              {source && <span class="muted"> · {KIND_WORDS[source.kind]}</span>}
            </span>
            <span class="precedence-buttons">
              <button
                type="button"
                class="button secondary small"
                disabled={i === 0}
                aria-label={`Move ${label} up`}
                data-testid="precedence-up"
                onClick={() => move(id, -1)}
              >
                ↑ Up
              </button>
              <button
                type="button"
                class="button secondary small"
                disabled={i === order.length - 1}
                aria-label={`Move ${label} down`}
                data-testid="precedence-down"
                onClick={() => move(id, 1)}
              >
                ↓ Down
              </button>
            </span>
          </li>
        );
      })}
    </ol>
  );
}
