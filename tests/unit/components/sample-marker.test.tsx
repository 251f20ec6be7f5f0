// @vitest-environment happy-dom
import { render } from 'preact';
import { afterEach, describe, expect, it } from 'vitest';
import { CustomerCard } from '~/components/sidebar/CustomerCard';

const customer = {
  id: '7',
  name: 'Ana Li',
  email: 'ana@li.example',
  currency: 'USD',
  asOf: '2026-01-02T00:00:00Z',
  facts: { orders: 12, totalSpent: 1234.5, firstPurchase: '1997-01-01', lastPurchase: '1997-12-12' },
};

afterEach(() => {
  document.body.innerHTML = '';
});

function card(source: 'sample' | 'local' | 'remote') {
  const root = document.createElement('div');
  document.body.append(root);
  render(<CustomerCard customer={{ ...customer, source }} />, root);
  return root;
}

describe('the sidebar’s Sample data marker', () => {
  it('marks a customer from the bundled sample, under the name', () => {
    const marker = card('sample').querySelector('[data-testid="sample-marker"]');
    expect(marker?.textContent).toBe('Sample data: demo customers, not yours.');
    expect(marker?.getAttribute('role')).toBe('note');
    expect(marker?.previousElementSibling?.getAttribute('data-testid')).toBe('customer-name');
  });

  it('does not mark your own or your team’s customers', () => {
    expect(card('local').querySelector('[data-testid="sample-marker"]')).toBeNull();
    expect(card('remote').querySelector('[data-testid="sample-marker"]')).toBeNull();
  });
});
