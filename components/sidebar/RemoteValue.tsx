import { horizonValueLabel, VALUE_WORDS } from '~/lib/labels/value';
import type { CustomerView, RemoteValueView } from '~/lib/messages/schema';
import { formatMoney, formatPercent } from '../../lib/format/display';

/** A value from the team's own service or score file: the tier and only the numbers it gave. */
export function RemoteValue({ value, display }: { value: RemoteValueView; display: Pick<CustomerView, 'currency' | 'locale'> }) {
  const numbers: [string, string, string][] = [];
  if (value.lifetimeValue !== undefined) numbers.push([VALUE_WORDS.lifetimeValue, formatMoney(value.lifetimeValue, display), 'remote-lifetime']);
  if (value.clv !== undefined) numbers.push([horizonValueLabel(), formatMoney(value.clv, display), 'remote-clv']);
  if (value.next12Months !== undefined) numbers.push([VALUE_WORDS.next12Months, formatMoney(value.next12Months, display), 'remote-next12']);
  if (value.pAlive !== undefined) numbers.push(['P(alive)', formatPercent(value.pAlive), 'remote-palive']);
  if (value.expectedTransactions !== undefined) numbers.push(['Expected orders', value.expectedTransactions.toFixed(1), 'remote-expected']);
  return (
    <>
      <div class="tier-row">
        <span class="tier" data-testid="tier" style={{ background: value.tierColor, color: value.tierForeground }}>
          {value.tier}
        </span>
        {value.segment && (
          <span class="flag" data-testid="remote-segment">
            {value.segment}
          </span>
        )}
        {value.stale && (
          <span class="flag" data-testid="remote-stale" title="Shown from the cache while it is refreshed, or because the service could not be reached.">
            Cached
          </span>
        )}
      </div>
      {numbers.length > 0 && (
        <dl class="facts">
          {numbers.map(([label, text, id]) => (
            <div class="fact" key={id}>
              <dt>{label}</dt>
              <dd data-testid={id}>{text}</dd>
            </div>
          ))}
        </dl>
      )}
    </>
  );
}
