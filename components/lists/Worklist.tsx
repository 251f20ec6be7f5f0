/**
 * The worklist of a list page, in the sidebar (issue 8): the page's recognised customers ranked by
 * lib/lists/rank.ts — high-value customers at risk first, then treatment priority, then CLV. Each
 * entry is a link to the record (keyboard: Tab, Enter); a click lets the host's own row link do the
 * navigation so a single-page app routes itself. Page text is rendered as text only.
 */
import { horizonValueShort } from '~/lib/labels/value';
import { displayOf, money, rankWorklist } from '~/lib/lists/rank';
import type { ListedRow } from '../../lib/content/list-chips';

const PRIORITY_WORD = { urgent: 'Urgent', high: 'High', normal: 'Normal', low: 'Low' } as const;

export function Worklist({ rows, site, onResolveAll }: { rows: ListedRow[]; site: string; onResolveAll?: () => void }) {
  const entries = rankWorklist(rows.map(({ row, answer }) => ({ row, answer })));
  const waiting = rows.filter((r) => r.answer === undefined).length;
  return (
    <div class="worklist" data-testid="centric-worklist">
      <p class="notice-title">Customers on this page</p>
      {entries.length === 0 ? (
        <p class="hint">{waiting > 0 ? 'Scroll the list, or rank all its rows, to see its customers here.' : rows.length === 0 ? `No customer rows found on this ${site} list yet.` : `No customer of this ${site} list is in your customer data.`}</p>
      ) : (
        <ol class="worklist-items">
          {entries.map(({ row, answer, atRisk }) => {
            const v = answer.value;
            const open = (event: MouseEvent) => {
              if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
              if (row.link?.isConnected) {
                event.preventDefault();
                row.link.click();
              } else if (!row.recordUrl) event.preventDefault();
            };
            return (
              <li key={answer.id} class={atRisk ? 'worklist-item is-risk' : 'worklist-item'} data-testid="worklist-item" data-customer-id={answer.id}>
                <a href={row.recordUrl ?? '#'} onClick={open} class="worklist-link">
                  {v && (
                    <span class="worklist-tier" style={{ background: v.tierColor, color: v.tierForeground }}>
                      {v.tier}
                    </span>
                  )}
                  <span class="worklist-name">{row.label || answer.name}</span>
                  <span class="worklist-meta">
                    {v ? (v.clv !== undefined ? `${horizonValueShort(v.horizonMonths)} ${money(v.clv, displayOf(v))}` : 'No value given') : 'Not scored'}
                    {answer.valueSource ? ` · ${answer.valueSource}${answer.stale ? ' (cached)' : ''}` : ''}
                    {atRisk ? ' · at risk' : ''}
                    {answer.treatment ? ` · ${answer.treatment.priority ? `${PRIORITY_WORD[answer.treatment.priority]}: ` : ''}${answer.treatment.title}` : ''}
                  </span>
                </a>
              </li>
            );
          })}
        </ol>
      )}
      {waiting > 0 && onResolveAll && (
        <p class="hint">
          {waiting.toLocaleString('en-US')} row{waiting === 1 ? '' : 's'} not looked up yet.{' '}
          <button type="button" class="link-button" onClick={onResolveAll} data-testid="worklist-rank-all">
            Rank all rows
          </button>
        </p>
      )}
    </div>
  );
}
