import { horizonValueHelp, horizonValueLabel, VALUE_WORDS } from '~/lib/labels/value';
import { useSignal } from '@preact/signals';
import type { CustomerValueView, CustomerView } from '~/lib/messages/schema';
import type { Identified } from '~/lib/sidebar/state';
import { formatCount, formatDate, formatMoney, formatPercent } from '../../lib/format/display';
import { SampleMarker } from '../SampleMarker';
import { RemoteValue } from './RemoteValue';
import { TreatmentCard } from './TreatmentCard';

const SOURCE_LABEL: Record<CustomerView['source'], string> = {
  remote: 'Known to your team’s source only',
  sample: 'Sample data bundled with Centric',
  local: 'Computed on this computer',
};

const FLAG_LABEL: Record<string, string> = { 'at-risk': 'At risk', new: 'New', 'one-time': 'One-time buyer' };

function TierBadge({ value }: { value: CustomerValueView }) {
  return (
    <div class="tier-row">
      <span
        class="tier"
        data-testid="tier"
        style={{ background: value.tierColor, color: value.tierForeground }}
        title={value.explanation}
      >
        {value.tier}
      </span>
      {value.flags.map((flag) => (
        <span key={flag} class={`flag flag-${flag}`} data-testid={`flag-${flag}`}>
          {FLAG_LABEL[flag] ?? flag}
        </span>
      ))}
    </div>
  );
}

const MATCH_LABEL: Record<NonNullable<CustomerView['matchedBy']>, string> = {
  email: 'Matched by email',
  'host-record': 'Linked to this record',
  domain: 'Matched by company domain',
};

/** How the customer on the page was identified (lib/sidebar/identified.ts; host-api.ts); the title says why an API's answer was not used. */
export function IdentifiedBy({ identified }: { identified: Identified }) {
  return (
    <span data-testid="identified-by" title={identified.why}>
      {identified.text}
    </span>
  );
}

export interface CustomerCardProps {
  customer: CustomerView;
  /** How the customer on the page was identified: the page's words replace "Matched by …"; an API's come beside them. */
  identified?: Identified;
  onUnlink?: () => void;
  /** The extension page that draws the purchase history chart (an iframe, loaded only when opened). */
  historyUrl?: (customerId: string) => string;
}

/** The customer's value (when scored), what to do, and what they have bought so far. */
export function CustomerCard({ customer, identified, onUnlink, historyUrl }: CustomerCardProps) {
  const { facts, value, treatment } = customer;
  const showHistory = useSignal(false);
  return (
    <article class="customer" data-testid="centric-customer" aria-labelledby="centric-customer-name">
      <h2 id="centric-customer-name" class="customer-name" data-testid="customer-name">
        {customer.name}
      </h2>
      {customer.source === 'sample' && <SampleMarker compact />}
      {customer.email && <p class="customer-line">{customer.email}</p>}
      {customer.company && !customer.account && <p class="customer-line muted">{customer.company}</p>}
      {customer.account && (
        <p class="customer-line muted" data-testid="account-line">
          Account · {formatCount(customer.account.customers)} customer{customer.account.customers === 1 ? '' : 's'} at {customer.account.domain}
        </p>
      )}
      {value && (
        <section class="value" aria-label="Customer value" data-testid="customer-value">
          <TierBadge value={value} />
          {treatment && <TreatmentCard treatment={treatment} />}
          <p class="explanation" data-testid="tier-explanation">
            {value.explanation}
          </p>
          {value.flagExplanations.map((text) => (
            <p key={text} class="explanation flag-explanation">
              {text}
            </p>
          ))}
          <dl class="facts">
            {value.lifetimeValue !== undefined && (
              <div class="fact" title={VALUE_WORDS.lifetimeValueHelp}>
                <dt>{VALUE_WORDS.lifetimeValue}</dt>
                <dd data-testid="value-lifetime">{formatMoney(value.lifetimeValue, customer)}</dd>
              </div>
            )}
            <div class="fact" title={horizonValueHelp(value.horizonMonths)}>
              <dt>{horizonValueLabel(value.horizonMonths)}</dt>
              <dd data-testid="value-clv">{formatMoney(value.clv, customer)}</dd>
            </div>
            <div class="fact">
              <dt>P(alive)</dt>
              <dd data-testid="value-palive">{formatPercent(value.pAlive)}</dd>
            </div>
            <div class="fact">
              <dt>Expected orders</dt>
              <dd data-testid="value-expected">{value.expectedTransactions.toFixed(1)}</dd>
            </div>
          </dl>
        </section>
      )}
      {customer.remote && (
        <section class="value" aria-label="Customer value" data-testid="remote-value">
          <RemoteValue value={customer.remote} display={customer} />
          {treatment && <TreatmentCard treatment={treatment} />}
        </section>
      )}
      {!value && !customer.remote && treatment && <TreatmentCard treatment={treatment} />}
      {customer.valueSource && (
        <p class="source" data-testid="value-source">
          {customer.valueSource}
        </p>
      )}
      {customer.sourceProblems?.map((problem) => (
        <p key={problem} class="source source-problem" data-testid="source-problem" role="note">
          {problem}
        </p>
      ))}
      {customer.source !== 'remote' && (
        <dl class="facts" data-testid="purchase-facts">
          <div class="fact">
            <dt>Orders</dt>
            <dd data-testid="fact-orders">{formatCount(facts.orders)}</dd>
          </div>
          <div class="fact">
            <dt>Total spent</dt>
            <dd data-testid="fact-total">{formatMoney(facts.totalSpent, customer, true)}</dd>
          </div>
          <div class="fact">
            <dt>First purchase</dt>
            <dd data-testid="fact-first">{facts.firstPurchase ? formatDate(facts.firstPurchase) : '—'}</dd>
          </div>
          <div class="fact">
            <dt>Last purchase</dt>
            <dd data-testid="fact-last">{facts.lastPurchase ? formatDate(facts.lastPurchase) : '—'}</dd>
          </div>
        </dl>
      )}
      {historyUrl && !customer.account && customer.source !== 'remote' && (
        <div class="history-section">
          <button
            type="button"
            class="text-button"
            aria-expanded={showHistory.value}
            onClick={() => (showHistory.value = !showHistory.value)}
            data-testid="history-toggle"
          >
            {showHistory.value ? 'Hide purchase history' : 'Show purchase history and forecast'}
          </button>
          {showHistory.value && (
            <iframe class="history-frame" title={`Purchase history of ${customer.name}`} src={historyUrl(customer.id)} data-testid="history-frame" />
          )}
        </div>
      )}
      <p class="source" data-testid="centric-source">
        {SOURCE_LABEL[customer.source]} · {value ? `scored ${formatDate(value.scoredAt)}` : `as of ${formatDate(customer.asOf)}`}
        {customer.matchedBy && !(identified && identified.by !== 'host-api' && identified.by !== 'page') && ` · ${MATCH_LABEL[customer.matchedBy]}`}
        {identified && ' · '}
        {identified && <IdentifiedBy identified={identified} />}
      </p>
      {onUnlink && (
        <button type="button" class="text-button" onClick={onUnlink} data-testid="unlink">
          Not this customer? Unlink
        </button>
      )}
    </article>
  );
}
