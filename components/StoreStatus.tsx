import type { StoreStatus } from '~/lib/messages/schema';
import { formatCount, formatDate } from '../lib/format/display';

/** How many customers Centric knows, from where, as of when. */
export function StoreStatusView({ status }: { status: StoreStatus | null }) {
  if (!status) return <p class="muted">Reading the local store…</p>;
  return (
    <dl class="stats" data-testid="store-status">
      <div>
        <dt>Customers stored</dt>
        <dd data-testid="customer-count">{formatCount(status.customers)}</dd>
      </div>
      <div>
        <dt>Data</dt>
        <dd>{status.sampleLoaded ? 'Sample (CDNOW)' : status.customers > 0 ? 'Imported' : 'None yet'}</dd>
      </div>
      <div>
        <dt>As of</dt>
        <dd>{status.asOf ? formatDate(status.asOf) : '—'}</dd>
      </div>
    </dl>
  );
}
