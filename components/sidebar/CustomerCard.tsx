import type { CustomerView } from '~/lib/messages/schema';
import { formatCount, formatDate, formatMoney } from '../format';

const SOURCE_LABEL: Record<CustomerView['source'], string> = {
  sample: 'Sample data bundled with Centric',
  local: 'Imported on this computer',
};

/** Who the customer is and what they have bought so far. */
export function CustomerCard({ customer }: { customer: CustomerView }) {
  const { facts } = customer;
  return (
    <article class="customer" data-testid="centric-customer" aria-labelledby="centric-customer-name">
      <h2 id="centric-customer-name" class="customer-name" data-testid="customer-name">
        {customer.name}
      </h2>
      {customer.email && <p class="customer-line">{customer.email}</p>}
      {customer.company && <p class="customer-line muted">{customer.company}</p>}
      <dl class="facts" data-testid="purchase-facts">
        <div class="fact">
          <dt>Orders</dt>
          <dd data-testid="fact-orders">{formatCount(facts.orders)}</dd>
        </div>
        <div class="fact">
          <dt>Total spent</dt>
          <dd data-testid="fact-total">{formatMoney(facts.totalSpent, customer.currency)}</dd>
        </div>
        <div class="fact">
          <dt>First purchase</dt>
          <dd data-testid="fact-first">{formatDate(facts.firstPurchase)}</dd>
        </div>
        <div class="fact">
          <dt>Last purchase</dt>
          <dd data-testid="fact-last">{formatDate(facts.lastPurchase)}</dd>
        </div>
      </dl>
      <p class="source" data-testid="centric-source">
        {SOURCE_LABEL[customer.source]} · as of {formatDate(customer.asOf)}
      </p>
    </article>
  );
}
