import { horizonValueLabel, VALUE_WORDS } from '~/lib/labels/value';
import { useSignal } from '@preact/signals';
import { useMemo } from 'preact/hooks';
import type { CustomerWithValue } from '~/lib/db/records';
import { scoresToCsv } from '~/lib/dashboard/export';
import { countText, type DisplayFormat, moneyText } from '~/lib/dashboard/format';
import { createCustomerTableModel, defaultDirection, type SortColumn, type SortDirection } from '~/lib/dashboard/table';
import { FLAGS, formatProbability } from '~/lib/tiers';
import { formatDate } from '~/lib/format/display';
import { download } from '~/lib/pages/download';

const COLUMNS: { id: SortColumn; label: string; numeric?: boolean }[] = [
  { id: 'name', label: 'Customer' },
  { id: 'tier', label: 'Tier' },
  { id: 'clv', label: horizonValueLabel(), numeric: true },
  { id: 'lifetimeValue', label: VALUE_WORDS.lifetimeValue, numeric: true },
  { id: 'pAlive', label: 'P(alive)', numeric: true },
  { id: 'lastPurchase', label: 'Last purchase' },
];

const FLAG_LABELS = new Map<string, string>(FLAGS.map((f) => [f.id, f.label]));

function TierBadge({ customer }: { customer: CustomerWithValue }) {
  const v = customer.value;
  if (!v) return <span class="muted">Not scored</span>;
  return (
    <>
      <span class="tier-badge" style={{ background: v.tierColor, color: v.tierForeground }} title={v.explanation}>
        {v.tier}
      </span>
      {v.flags.map((id) => (
        <span key={id} class={`flag flag-${id}`}>
          {FLAG_LABELS.get(id) ?? id}
        </span>
      ))}
    </>
  );
}

/**
 * Every customer, searchable (name, email, company, id) and sortable by the column headers, 50 to a
 * page, with the scores export. `fileDate` (YYYY-MM-DD) names the exported file.
 */
export function CustomerTable({ customers, display, fileDate }: { customers: readonly CustomerWithValue[]; display: DisplayFormat; fileDate: string }) {
  const model = useMemo(() => createCustomerTableModel(customers), [customers]);
  const search = useSignal('');
  const column = useSignal<SortColumn>('clv');
  const direction = useSignal<SortDirection>('desc');
  const page = useSignal(0);
  const result = model.query({ search: search.value, column: column.value, direction: direction.value, page: page.value });

  const sortBy = (id: SortColumn) => {
    if (column.value === id) direction.value = direction.value === 'asc' ? 'desc' : 'asc';
    else {
      column.value = id;
      direction.value = defaultDirection(id);
    }
    page.value = 0;
  };

  const status =
    result.matches === 0
      ? `No customer matches “${search.value.trim()}”.`
      : `Showing ${countText(result.first, display)}–${countText(result.last, display)} of ${countText(result.matches, display)} customers${search.value.trim() ? ` matching “${search.value.trim()}”` : ''}.`;

  return (
    <section class="card dash-card customers" aria-labelledby="customers-title">
      <h3 id="customers-title">Customers</h3>
      <div class="table-tools">
        <label class="search">
          <span>Search customers</span>
          <input
            type="search"
            value={search.value}
            placeholder="Name, email, company or id"
            data-testid="customer-search"
            onInput={(event) => {
              search.value = (event.currentTarget as HTMLInputElement).value;
              page.value = 0;
            }}
          />
        </label>
        <button
          type="button"
          class="button secondary"
          data-testid="export-scores"
          onClick={() => download(scoresToCsv(customers), `centric-scores-${fileDate}.csv`, 'text/csv')}
        >
          Export scores (CSV)
        </button>
      </div>
      <p class="muted table-status" role="status" data-testid="customer-status">
        {status}
      </p>
      <div class="table-scroll dash-table-scroll">
        <table class="data-table customer-table" data-testid="customer-table">
          <caption class="visually-hidden">Customers by {COLUMNS.find((c) => c.id === column.value)?.label}, {direction.value === 'asc' ? 'ascending' : 'descending'}. Column headers sort the table.</caption>
          <thead>
            <tr>
              {COLUMNS.map((c) => {
                const active = column.value === c.id;
                const sort = active ? (direction.value === 'asc' ? 'ascending' : 'descending') : 'none';
                return (
                  <th key={c.id} scope="col" aria-sort={sort} class={c.numeric ? 'numeric' : undefined}>
                    <button type="button" class="sort" onClick={() => sortBy(c.id)} data-column={c.id}>
                      {c.label}
                      <span class="sort-mark" aria-hidden="true">
                        {active ? (direction.value === 'asc' ? '▲' : '▼') : '↕'}
                      </span>
                    </button>
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {result.rows.map((c) => (
              <tr key={c.id} data-id={c.id}>
                <td>
                  <span class="customer-name">{c.name || c.id}</span>
                  <span class="customer-detail muted">{[c.emails[0], c.company].filter(Boolean).join(' · ') || `id ${c.id}`}</span>
                </td>
                <td>
                  <TierBadge customer={c} />
                </td>
                <td class="numeric">{c.value ? moneyText(c.value.clv, display) : '—'}</td>
                <td class="numeric">{c.value?.lifetimeValue !== undefined ? moneyText(c.value.lifetimeValue, display) : '—'}</td>
                <td class="numeric">{c.value ? formatProbability(c.value.pAlive) : '—'}</td>
                <td>{c.facts.lastPurchase ? formatDate(c.facts.lastPurchase) : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {result.pages > 1 && (
        <nav class="pager" aria-label="Customer pages">
          <button type="button" class="button secondary" disabled={result.page === 0} onClick={() => (page.value = result.page - 1)}>
            Previous
          </button>
          <span>
            Page {countText(result.page + 1, display)} of {countText(result.pages, display)}
          </span>
          <button type="button" class="button secondary" disabled={result.page >= result.pages - 1} onClick={() => (page.value = result.page + 1)}>
            Next
          </button>
        </nav>
      )}
    </section>
  );
}
