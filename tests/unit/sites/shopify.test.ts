// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { matchPatternToRegExp } from '~/lib/sites/registry';
import { SHOPIFY_SELECTORS, shopify } from '~/lib/sites/hosts/shopify/adapter';
import { htmlDocument, loadFixture } from '../../helpers/dom';
import { expectSelectorsAsData } from '../../helpers/selectors';
import { expectCasesAgree, loadCases } from '../../helpers/sites';

const cases = loadCases('shopify');

const CUSTOMER_URL = new URL('https://admin.shopify.com/store/harbor-pine-records/customers/7301846319204');
const ORDER_URL = new URL('https://admin.shopify.com/store/harbor-pine-records/orders/5812345678901');

describe('Shopify admin adapter', () => {
  it('reads the customer page: its contact card, not the staff address in the timeline nor the hover card in the portals', () => {
    const { identity, missing } = shopify.extract(loadFixture('shopify/customer.html'), CUSTOMER_URL);
    expect(identity).toEqual({
      host: 'shopify',
      hostRecordId: '7301846319204',
      recordType: 'customer',
      email: 'carmen.vasquez.1@harborpine.example',
      name: 'Carmen Vasquez',
      domain: 'harborpine.example',
    });
    expect(missing).toEqual([]);
  });

  it("reads the order's customer card, not the other customer linked in the timeline or the hover card", () => {
    const { identity, missing } = shopify.extract(loadFixture('shopify/order.html'), ORDER_URL);
    expect(identity).toEqual({
      host: 'shopify',
      hostRecordId: '5812345678901',
      recordType: 'order',
      email: 'hana.torres.8@harborpine.example',
      name: 'Hana Torres',
      domain: 'harborpine.example',
    });
    expect(missing).toEqual([]);
  });

  it('a gift order in German: the customer of the order, not the shipping or billing names, the staff, the edit modal or a hover card', () => {
    const doc = loadFixture('shopify/order-de.html');
    const url = new URL('https://admin.shopify.com/store/harbor-pine-records/orders/5812345670088');
    expect(shopify.extract(doc, url)).toEqual({
      identity: {
        host: 'shopify',
        hostRecordId: '5812345670088',
        recordType: 'order',
        email: 'omar.mendes.38@tidewater.example',
        name: 'Omar Mendes',
        domain: 'tidewater.example',
      },
      missing: [],
    });
    // Without the contact's address the card says nothing more: name only, not an address from the
    // addresses, the notes card, the timeline or the modal.
    doc.querySelector('main a[href^="mailto:"]')!.remove();
    expect(shopify.extract(doc, url)).toEqual({
      identity: { host: 'shopify', hostRecordId: '5812345670088', recordType: 'order', name: 'Omar Mendes' },
      missing: ['customer email'],
    });
  });

  it.each(cases)('end-to-end case $url', ({ url, fixture, expect: expected }) => {
    const page = new URL(url);
    expect(shopify.isRecordPage(page)).toBe(expected !== null);
    const { identity } = shopify.extract(loadFixture(`shopify/${fixture}`), page);
    if (expected === null) expect(identity).toBeNull();
    else expect(identity).toMatchObject(expected);
  });

  it('falls back to any card on a customer page laid out without a right-hand column', () => {
    // customer.html proves the right-hand column wins over the timeline's staff address; without
    // that column the adapter still finds the address in the page's cards.
    const doc = htmlDocument(`<main id="AppFrameMain"><h1>Carmen Vasquez</h1>
      <div class="Polaris-Layout__Section"><div class="Polaris-ShadowBevel"><p>carmen.vasquez.1@harborpine.example</p></div></div></main>`);
    expect(shopify.extract(doc, CUSTOMER_URL).identity?.email).toBe('carmen.vasquez.1@harborpine.example');
  });

  it('recognises customer and order pages only', () => {
    const record = [
      'https://admin.shopify.com/store/acme/customers/123',
      'https://admin.shopify.com/store/acme/orders/456/',
      'https://admin.shopify.com/store/acme/orders/456?tab=timeline',
    ];
    const notRecord = [
      'https://admin.shopify.com/store/acme/customers',
      'https://admin.shopify.com/store/acme/orders',
      'https://admin.shopify.com/store/acme/customers/new',
      'https://admin.shopify.com/store/acme/customers/segments/789',
      'https://admin.shopify.com/store/acme/orders/456/refund',
      'https://admin.shopify.com/store/acme/products/123',
      'https://admin.shopify.com/store/acme',
    ];
    for (const href of record) expect(shopify.isRecordPage(new URL(href)), href).toBe(true);
    for (const href of notRecord) expect(shopify.isRecordPage(new URL(href)), href).toBe(false);
  });

  it('says what it could not find on a page not rendered yet', () => {
    expect(shopify.extract(htmlDocument('<div id="app"></div>'), CUSTOMER_URL)).toEqual({
      identity: null,
      missing: ['main content'],
    });
    expect(shopify.extract(htmlDocument('<main id="AppFrameMain"></main>'), CUSTOMER_URL)).toEqual({
      identity: null,
      missing: ['customer name', 'customer email'],
    });
    expect(shopify.extract(htmlDocument('<main id="AppFrameMain"><h1>#1042</h1></main>'), ORDER_URL)).toEqual({
      identity: null,
      missing: ['order customer card'],
    });
    expect(shopify.extract(htmlDocument('<main id="AppFrameMain"><h1>Carmen Vasquez</h1></main>'), CUSTOMER_URL)).toEqual({
      identity: { host: 'shopify', hostRecordId: '7301846319204', recordType: 'customer', name: 'Carmen Vasquez' },
      missing: ['customer email'],
    });
  });

  it('returns an injection-looking name as plain text', () => {
    const doc = htmlDocument(`<main id="AppFrameMain"><div class="Polaris-Layout__Section--oneThird">
      <div class="Polaris-ShadowBevel"><a href="/store/acme/customers/1">&lt;img src=x onerror=alert(1)&gt;</a>
      <a href="mailto:carmen.vasquez.1@harborpine.example">mail</a></div></div></main>`);
    const { identity } = shopify.extract(doc, new URL('https://admin.shopify.com/store/acme/orders/9'));
    expect(identity?.name).toBe('<img src=x onerror=alert(1)>');
    expect(doc.querySelector('img')).toBeNull();
  });

  it('watches the Polaris main region', () => {
    const doc = loadFixture('shopify/customer.html');
    expect(shopify.watchRoot?.(doc, CUSTOMER_URL)).toBe(doc.getElementById('AppFrameMain'));
  });

  it('matches every case URL with its match patterns', () => {
    const patterns = shopify.matches.map(matchPatternToRegExp);
    for (const { url } of cases) {
      const page = new URL(url);
      expect(patterns.some((p) => p.test(page.origin + page.pathname)), url).toBe(true);
    }
    expect(patterns.some((p) => p.test('https://admin.shopify.com.evil.example/store/acme/customers/1'))).toBe(false);
    expect(shopify.matches.every((p) => p.startsWith('https://'))).toBe(true);
  });

  it('keeps every selector and path pattern as plain data, and its cases agree', () => {
    expectSelectorsAsData(SHOPIFY_SELECTORS, htmlDocument('<p></p>'));
    expectCasesAgree(shopify, cases);
  });
});
