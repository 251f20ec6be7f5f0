/**
 * Presets for the exports people actually have. Each names, in order of preference, the header
 * names of the columns the import needs (compared case- and punctuation-insensitively), and the few
 * rules that make that export a clean list of purchases. Sources: the public documentation of each
 * export's columns (Shopify "Export orders", Stripe Dashboard "Payments" export, WooCommerce order
 * export CSVs).
 */
import { findColumnByName, normalizeName } from '../csv/columns';

export type ImportKind = 'transactions' | 'customers' | 'subscriptions';

export type TransactionField = 'customer' | 'date' | 'amount' | 'orderId' | 'email' | 'name' | 'company' | 'status' | 'refunded';
export type CustomerField = 'customer' | 'name' | 'email' | 'company';
export type SubscriptionField = 'customer' | 'start' | 'end' | 'revenue';
export type MappingField = TransactionField | CustomerField | SubscriptionField;

export interface Preset {
  id: string;
  label: string;
  kind: ImportKind;
  /** Header names per field, normalised (see normalizeName), best first. */
  columns: Partial<Record<MappingField, readonly string[]>>;
  /** Fields the file must have for this preset to apply. */
  required: readonly MappingField[];
  /** Rows whose status column holds one of these (normalised) count; others are left out, counted. */
  countedStatuses?: readonly string[];
  /**
   * One order spans several rows (one per line item) and only the first carries the order total:
   * rows of an order already seen, with an empty amount, are folded into it (counted, not errors).
   */
  lineItemRows?: boolean;
  /** A short note shown in the wizard. */
  note: string;
}

const n = (...names: string[]) => names.map(normalizeName);

export const PRESETS: readonly Preset[] = [
  {
    id: 'shopify-orders',
    label: 'Shopify orders export',
    kind: 'transactions',
    columns: {
      orderId: n('Name', 'Id'),
      customer: n('Email'),
      email: n('Email'),
      date: n('Created at', 'Paid at'),
      amount: n('Total'),
      name: n('Billing Name', 'Shipping Name'),
      company: n('Billing Company', 'Shipping Company'),
      status: n('Financial Status'),
      refunded: n('Refunded Amount'),
    },
    required: ['orderId', 'customer', 'date', 'amount'],
    countedStatuses: n('paid', 'partially_refunded', 'refunded', 'partially_paid'),
    lineItemRows: true,
    note: 'One row per line item; each order counts once, at its total less refunds. Unpaid and voided orders are left out.',
  },
  {
    id: 'stripe-payments',
    label: 'Stripe payments export',
    kind: 'transactions',
    columns: {
      orderId: n('id'),
      customer: n('Customer ID', 'Customer Email'),
      email: n('Customer Email'),
      name: n('Customer Description', 'Card Name'),
      date: n('Created (UTC)', 'Created date (UTC)', 'Created'),
      amount: n('Amount'),
      refunded: n('Amount Refunded'),
      status: n('Status'),
    },
    required: ['orderId', 'customer', 'date', 'amount', 'status'],
    countedStatuses: n('paid', 'succeeded', 'refunded', 'partially refunded'),
    note: 'Each successful payment counts at its amount less refunds. Failed and canceled payments are left out.',
  },
  {
    id: 'woocommerce-orders',
    label: 'WooCommerce orders export',
    kind: 'transactions',
    columns: {
      orderId: n('order_id', 'Order ID', 'Order Number', 'Order #'),
      customer: n('customer_email', 'Billing Email', 'Email (Billing)', 'customer_id'),
      email: n('customer_email', 'Billing Email', 'Email (Billing)'),
      date: n('order_date', 'Order Date', 'Date'),
      amount: n('order_total', 'Order Total', 'Order Total Amount'),
      company: n('billing_company', 'Company (Billing)'),
      status: n('status', 'Order Status'),
    },
    required: ['orderId', 'customer', 'date', 'amount'],
    countedStatuses: n('completed', 'processing', 'wc-completed', 'wc-processing', 'refunded', 'wc-refunded'),
    note: 'Completed and processing orders count at their total. Pending, failed and cancelled orders are left out.',
  },
  {
    id: 'generic-transactions',
    label: 'Transactions: customer, date, amount',
    kind: 'transactions',
    columns: {
      customer: n('customer_id', 'customer', 'id', 'client_id', 'user_id', 'account_id', 'cust', 'masterid'),
      date: n('date', 'transaction_date', 'order_date', 'purchase_date', 'invoice_date', 'created_at'),
      amount: n('amount', 'sales', 'revenue', 'total', 'value', 'price', 'spend'),
      orderId: n('order_id', 'transaction_id', 'invoice_id', 'order'),
      email: n('email', 'customer_email'),
      name: n('name', 'customer_name', 'full_name'),
      company: n('company', 'organization', 'account'),
    },
    required: ['customer', 'date', 'amount'],
    note: 'One row per purchase (a negative amount is a return).',
  },
  {
    id: 'customers',
    label: 'Customers: id, name, email, company',
    kind: 'customers',
    columns: {
      customer: n('customer_id', 'id', 'customer', 'client_id', 'account_id'),
      name: n('name', 'full_name', 'customer_name', 'contact'),
      email: n('email', 'email_address', 'e-mail', 'customer_email'),
      company: n('company', 'organization', 'account', 'company_name'),
    },
    required: ['customer'],
    note: 'Names, emails and companies for the customers of your transactions (matched by id).',
  },
  {
    id: 'subscriptions',
    label: 'Subscriptions: customer, start, end, recurring revenue',
    kind: 'subscriptions',
    columns: {
      customer: n('customer_id', 'customer', 'id', 'account_id'),
      start: n('start', 'start_date', 'started_at', 'created'),
      end: n('end', 'end_date', 'canceled_at', 'cancelled_at', 'cancel_date', 'ended_at'),
      revenue: n('mrr', 'revenue', 'amount', 'recurring_revenue', 'price'),
    },
    required: ['customer', 'start', 'revenue'],
    note: 'One row per subscription; an empty end date means it is still active.',
  },
];

export function presetById(id: string): Preset | undefined {
  return PRESETS.find((p) => p.id === id);
}

/** Column index per field for a preset, from the file's header (-1 where absent). */
export function mapColumns(preset: Preset, header: readonly string[]): Partial<Record<MappingField, number>> {
  const out: Partial<Record<MappingField, number>> = {};
  for (const [field, names] of Object.entries(preset.columns) as [MappingField, readonly string[]][]) {
    out[field] = findColumnByName(header, names);
  }
  return out;
}

/** The first preset (most specific first) whose required columns all appear in the header, if any. */
export function detectPreset(header: readonly string[], kind?: ImportKind): Preset | undefined {
  return PRESETS.filter((p) => !kind || p.kind === kind).find((preset) => {
    const columns = mapColumns(preset, header);
    return preset.required.every((field) => (columns[field] ?? -1) >= 0);
  });
}
