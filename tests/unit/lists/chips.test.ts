// @vitest-environment happy-dom
/**
 * The chips controller on a plain DOM, with a stand-in IntersectionObserver that reports the rows a
 * test says are on screen: one message per screenful, answers cached by identity, recycled rows
 * followed, nothing left behind on stop. (Real layout and real scrolling: tests/e2e/lists.e2e.ts.)
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ListChips } from '~/lib/content/list-chips';
import type { BatchAnswer, IdentityMessage } from '~/lib/messages/schema';
import { hubspotList } from '~/lib/sites/hosts/hubspot/list';

const URL_LIST = new URL('https://app.hubspot.com/contacts/1/objects/0-1/views/all/list');
let observers: FakeIO[] = [];

class FakeIO {
  readonly targets = new Set<Element>();
  constructor(private readonly callback: (entries: { target: Element; isIntersecting: boolean }[]) => void) {
    observers.push(this);
  }
  observe(el: Element) {
    this.targets.add(el);
  }
  unobserve(el: Element) {
    this.targets.delete(el);
  }
  disconnect() {
    this.targets.clear();
  }
  /** The rows on screen now: these intersect, the others not. */
  show(rows: Element[]) {
    this.callback([...this.targets].map((target) => ({ target, isIntersecting: rows.includes(target) })));
  }
}

const frame = () => new Promise((done) => setTimeout(done, 40));

function table(people: { id: string; name: string; email: string }[]) {
  document.body.innerHTML = `<main><table data-test-id="framework-data-table"><tbody>${people
    .map((p) => `<tr><td data-test-id="cell-0-1-name-${p.id}"><a href="/contacts/1/record/0-1/${p.id}">${p.name}</a></td><td data-test-id="cell-0-1-email-${p.id}">${p.email}</td></tr>`)
    .join('')}</tbody></table></main>`;
  return [...document.querySelectorAll('tbody tr')];
}

const person = (i: number) => ({ id: String(i), name: `Person ${i}`, email: `p${i}@x.example` });
const gold = (email: string): BatchAnswer => ({
  status: 'found',
  id: email,
  name: email,
  matchedBy: 'email',
  value: { tier: email.startsWith('p1') ? 'Gold' : 'Iron', tierColor: '#c9a227', tierForeground: '#000000', clv: 100, pAlive: 0.5, flags: [] },
});

let calls: IdentityMessage[][];
let chips: ListChips;
beforeEach(() => {
  observers = [];
  calls = [];
  (window as unknown as { IntersectionObserver: unknown }).IntersectionObserver = FakeIO;
});
afterEach(() => chips?.stop());

function start(freshRowsGapMs = 0) {
  chips = new ListChips({
    freshRowsGapMs,
    reader: hubspotList,
    document,
    url: () => URL_LIST,
    lookup: async (identities) => {
      calls.push(identities);
      return identities.map((i) => (i.email === 'p9@x.example' ? { status: 'not-found' } : gold(i.email!)));
    },
  });
  chips.start();
}

describe('list chips controller', () => {
  it('asks once per screenful, only for the rows in view, and never twice for one identity', async () => {
    const rows = table(Array.from({ length: 30 }, (_, i) => person(i)));
    start();
    await frame();
    observers[0]!.show(rows.slice(0, 10));
    await frame();
    expect(calls.map((c) => c.length)).toEqual([10]);
    expect(document.querySelectorAll('centric-chip').length).toBe(9); // p9 is not a customer
    // Scrolling on: the next screenful is one more message; rows seen before are not asked again.
    observers[0]!.show(rows.slice(5, 20));
    await frame();
    expect(calls.map((c) => c.length)).toEqual([10, 10]);
    observers[0]!.show(rows.slice(0, 20));
    await frame();
    expect(calls).toHaveLength(2);
    // Only the rows seen were read: the worklist lists them, answered.
    expect(chips.rows().map((r) => r.row.identity.email)).toEqual(rows.slice(0, 20).map((_, i) => `p${i}@x.example`));
    const chip = rows[1]!.querySelector('centric-chip') as HTMLElement;
    expect(chip.title).toBe('Gold customer, 12-month value $100, P(alive) 50%');
    expect(chip.shadowRoot!.querySelector('[role="img"]')!.getAttribute('aria-label')).toBe(chip.title);
    expect(chip.shadowRoot!.textContent).toContain('G');
    // No chip for a customer not in the data.
    expect(rows[9]!.querySelector('centric-chip')).toBeNull();
  });

  it('gathers the rows of a quick scroll into one message, and a recycled row is never kept waiting', async () => {
    const rows = table(Array.from({ length: 40 }, (_, i) => person(i)));
    start(300);
    await frame();
    observers[0]!.show(rows.slice(0, 10));
    await frame();
    expect(calls.map((c) => c.length)).toEqual([10]);
    // Three more screenfuls within the gap: nothing asked yet, then one message for all of them.
    observers[0]!.show(rows.slice(10, 20));
    await frame();
    observers[0]!.show(rows.slice(20, 30));
    await frame();
    expect(calls).toHaveLength(1);
    observers[0]!.show(rows.slice(30, 35));
    await frame();
    expect(calls).toHaveLength(1);
    // Meanwhile a row read before is recycled for another customer: read again at once.
    const [name, mail] = rows[0]!.querySelectorAll('td');
    name!.setAttribute('data-test-id', 'cell-0-1-name-39');
    mail!.textContent = 'p39@x.example';
    name!.querySelector('a')!.textContent = 'Person 39';
    await frame();
    expect(calls.map((c) => c.map((i) => i.email))).toEqual([rows.slice(0, 10).map((_, i) => `p${i}@x.example`), ['p39@x.example']]);
    await new Promise((done) => setTimeout(done, 300));
    await frame();
    // Every row seen meanwhile, also those a quick scroll carried out of view again: one message.
    expect(calls.map((c) => c.length)).toEqual([10, 1, 25]);
    expect(calls[2]!.map((i) => i.email)).toEqual(rows.slice(10, 35).map((_, i) => `p${10 + i}@x.example`));
    // Nine of the first screenful (row 0 now Person 39's chip, p9 none) and the 25 rows after.
    expect(document.querySelectorAll('centric-chip').length).toBe(9 + 25);
    expect((rows[0]!.querySelector('centric-chip') as HTMLElement).dataset.key).toContain('p39@x.example');
  });

  it('follows a recycled row at once and puts the chip right after the name link', async () => {
    const rows = table([person(1), person(2)]);
    start();
    await frame();
    observers[0]!.show(rows);
    await frame();
    const row = rows[0]!;
    expect(row.querySelector('a')!.nextElementSibling?.localName).toBe('centric-chip');
    expect((row.querySelector('centric-chip') as HTMLElement).dataset.tier).toBe('Gold');
    // The virtual list reuses the row for person 3 (an Iron customer).
    const [name, mail] = row.querySelectorAll('td');
    name!.setAttribute('data-test-id', 'cell-0-1-name-3');
    name!.querySelector('a')!.textContent = 'Person 3';
    mail!.setAttribute('data-test-id', 'cell-0-1-email-3');
    mail!.textContent = 'p3@x.example';
    await frame();
    await frame();
    expect(calls.at(-1)!.map((i) => i.email)).toEqual(['p3@x.example']);
    const chipsInRow = row.querySelectorAll('centric-chip');
    expect(chipsInRow).toHaveLength(1);
    expect((chipsInRow[0] as HTMLElement).dataset.tier).toBe('Iron');
    expect((chipsInRow[0] as HTMLElement).dataset.key).toContain('p3@x.example');
  });

  it('reads every row for the worklist on request, 200 a message, and removes every chip on stop', async () => {
    table(Array.from({ length: 450 }, (_, i) => person(i)));
    start();
    await frame();
    await chips.resolveAll();
    expect(calls.map((c) => c.length)).toEqual([200, 200, 50]);
    expect(chips.rows()).toHaveLength(450);
    await frame();
    expect(document.querySelectorAll('centric-chip').length).toBe(449);
    chips.stop();
    expect(document.querySelectorAll('centric-chip').length).toBe(0);
  });
});
