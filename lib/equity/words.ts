/** The report's sentences, written once for the page, the PNG/PDF and the tests. */
import { countText, moneyText, percentText, signedMoneyText } from '../dashboard/format';
import type { ReportData } from './report';

const dateOf = (iso: string) => iso.slice(0, 10);

export function provenanceLines(r: ReportData): string[] {
  const p = r.provenance;
  const d = r.display;
  const files = p.imports.length > 0 ? p.imports.map((i) => i.fileName).join(', ') : 'none recorded';
  const terms = [
    p.horizonMonths !== null ? `${p.horizonMonths}-month horizon` : null,
    p.annualDiscountRate !== null ? `${percentText(p.annualDiscountRate)} a year discount rate` : null,
    p.margin !== null ? `${percentText(p.margin)} margin` : null,
  ].filter(Boolean);
  return [
    `Scored ${dateOf(p.runAt)} with the ${p.model} model from ${countText(p.customers, d)} customers and ${countText(p.transactions, d)} transactions${p.dataEnd ? ` up to ${p.dataEnd}` : ''}.`,
    `Data files: ${files}.`,
    `${terms.join(', ')}. Report generated ${dateOf(r.generatedAt)}.`,
  ];
}

export function equityText(r: ReportData): string {
  return moneyText(r.equity.total, r.display);
}

export function changeText(r: ReportData): string {
  if (r.equity.change === null) return 'No earlier scoring to compare with.';
  const pct = r.equity.previous ? ` (${r.equity.change >= 0 ? '+' : '−'}${percentText(Math.abs(r.equity.change / r.equity.previous))})` : '';
  return `${signedMoneyText(r.equity.change, r.display)}${pct} since the last scoring`;
}

export function newCustomerHeadline(r: ReportData): string {
  return 'value' in r.newCustomer ? moneyText(r.newCustomer.value.valueAtAcquisition, r.display) : '—';
}

export function newCustomerSentence(r: ReportData): string {
  if (!('value' in r.newCustomer)) return r.newCustomer.error;
  const v = r.newCustomer.value;
  const d = r.display;
  const repeat =
    `${moneyText(v.lifetimeRepeatValue, d)} on their repeat purchases over their life as a customer ` +
    `(${v.lifetimeRepeatTransactions.toFixed(2)} purchases, discounted, at ${moneyText(v.spendPerTransaction, d)} each from ${v.spendSource}, ` +
    `${percentText(v.margin)} margin)`;
  const parts = v.firstOrderMargin !== null ? `the margin on the first order, ${moneyText(v.firstOrderMargin, d)}, plus ${repeat}` : repeat;
  return `The most you should pay to acquire a customer like your average one is ${moneyText(v.valueAtAcquisition, d)}, what they are worth when they arrive: ${parts}.`;
}

export function concentrationText(r: ReportData): string {
  const c = (p: number) => r.concentration.find((x) => x.topPercent === p);
  const ten = c(10);
  const one = c(1);
  if (!ten || !one) return '';
  return `The top 10% of customers hold ${percentText(ten.share)} of customer equity; the top 1% hold ${percentText(one.share)}.`;
}

export function bridgeSentence(r: ReportData): string {
  if (!('bridge' in r.changes)) return r.changes.reason;
  const b = r.changes.bridge;
  const d = r.display;
  return `From ${moneyText(b.previous, d)} to ${moneyText(b.current, d)}: new customers ${signedMoneyText(b.newCustomers.value, d)} (${countText(b.newCustomers.customers, d)}), lost customers ${signedMoneyText(b.lostCustomers.value, d)} (${countText(b.lostCustomers.customers, d)}), changed expectations of repeat buyers ${signedMoneyText(b.repeatBuyers.value, d)} (${countText(b.repeatBuyers.customers, d)}) and of customers without a new purchase ${signedMoneyText(b.quietCustomers.value, d)} (${countText(b.quietCustomers.customers, d)}).`;
}

export function movesSentence(r: ReportData): string {
  if (!('bridge' in r.changes)) return '';
  const c = r.changes;
  const d = r.display;
  return `${countText(c.movedUp, d)} customers moved up a tier, ${countText(c.movedDown, d)} moved down; ${countText(c.becameAtRiskCount, d)} high-value customers became at risk.`;
}
