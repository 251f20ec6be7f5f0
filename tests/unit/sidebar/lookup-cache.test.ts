import { afterEach, describe, expect, it, vi } from 'vitest';
import type { IdentityMessage, LookupResult } from '~/lib/messages/schema';
import { createLookupCache, identityKey } from '~/lib/sidebar/lookup-cache';

const ana: IdentityMessage = { host: 'zendesk', hostRecordId: '1', recordType: 'ticket', email: 'ana@li.example', name: 'Ana Li' };
const teo: IdentityMessage = { host: 'zendesk', hostRecordId: '2', recordType: 'ticket', email: 'teo@varga.example', name: 'Teo Varga' };

function found(name: string, tier = 'Gold'): LookupResult {
  return {
    status: 'found',
    customer: {
      id: name,
      name,
      currency: 'USD',
      asOf: '2026-01-01',
      source: 'local',
      facts: { orders: 1, totalSpent: 10, firstPurchase: '2020-01-01', lastPurchase: '2020-01-01' },
      value: {
        tier,
        tierColor: '#000000',
        tierForeground: '#ffffff',
        rank: 1,
        clv: 1,
        next12Months: 1,
        pAlive: 1,
        expectedTransactions: 1,
        explanation: '',
        flags: [],
        flagExplanations: [],
        model: 'bg-nbd',
        scoredAt: '2026-01-01',
      },
    },
  } as LookupResult;
}

/** A background whose answers the test sets, and which counts and can hold its answers. */
function background(answers: Record<string, LookupResult>) {
  const asked: string[] = [];
  let held: { release: () => void } | null = null;
  const ask = vi.fn(async (identity: IdentityMessage): Promise<LookupResult> => {
    asked.push(identity.hostRecordId ?? '');
    const answer = answers[identity.hostRecordId ?? '']; // as the store was when asked
    if (held) {
      const gate = held;
      await new Promise<void>((resolve) => (gate.release = resolve));
    }
    if (!answer) throw new Error('Could not establish connection. Receiving end does not exist.');
    return structuredClone(answer);
  });
  return {
    ask,
    asked,
    answers,
    /** Holds every answer from now until the returned function is called. */
    hold() {
      const gate = { release: () => {} };
      held = gate;
      return () => {
        held = null;
        gate.release();
      };
    },
  };
}

/** Lets every pending promise reaction and timer of this turn run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

afterEach(() => vi.useRealTimers());

describe('identityKey', () => {
  it('is the same whatever the order of the fields, and absent equals undefined', () => {
    expect(identityKey({ name: 'Ana Li', host: 'zendesk', email: 'ana@li.example' })).toBe(identityKey({ host: 'zendesk', email: 'ana@li.example', name: 'Ana Li', company: undefined }));
  });

  it('differs when any field differs, including the record and the note', () => {
    const keys = new Set([ana, { ...ana, hostRecordId: '3' }, { ...ana, email: undefined }, { ...ana, company: 'Li & Co' }, { ...ana, note: 'first of 2' }, { ...ana, host: 'freshdesk' }].map(identityKey));
    expect(keys.size).toBe(6);
  });
});

describe('the sidebar’s kept answers', () => {
  it('asks the background for an identity not seen yet, once for several askers', async () => {
    const bg = background({ '1': found('Ana') });
    const cache = createLookupCache(bg.ask);
    const [a, b] = await Promise.all([cache.lookup(ana), cache.lookup(ana)]);
    expect(a).toEqual(found('Ana'));
    expect(b).toEqual(found('Ana'));
    expect(bg.asked).toEqual(['1']);
  });

  it('answers a revisit at once, without waiting for the background, and asks it again', async () => {
    const bg = background({ '1': found('Ana'), '2': found('Teo') });
    const cache = createLookupCache(bg.ask);
    await cache.lookup(ana);
    await cache.lookup(teo);
    const release = bg.hold(); // the background is slow now
    let answered: LookupResult | undefined;
    void cache.lookup(ana).then((result) => (answered = result));
    await Promise.resolve();
    expect(answered).toEqual(found('Ana')); // in the same turn: the background has not answered
    expect(bg.asked).toEqual(['1', '2', '1']); // but it was asked (the toolbar badge and freshness)
    release();
    await settle();
  });

  it('repaints when the background’s answer changed, and serves the new answer from then on', async () => {
    const bg = background({ '1': found('Ana', 'Gold') });
    const onStale = vi.fn();
    const cache = createLookupCache(bg.ask, { onStale });
    await cache.lookup(ana);
    bg.answers['1'] = found('Ana', 'Silver'); // rescored elsewhere, nobody said so
    expect(await cache.lookup(ana)).toEqual(found('Ana', 'Gold')); // the kept answer, at once …
    await settle();
    expect(onStale).toHaveBeenCalledTimes(1); // … then the change is said
    const asks = bg.asked.length;
    // The repaint that follows is served the new answer without asking again (no ask → repaint loop) …
    expect(await cache.lookup(ana)).toEqual(found('Ana', 'Silver'));
    expect(bg.asked.length).toBe(asks);
    await settle();
    // … and a later visit asks again, as any visit does; the same answer says nothing.
    expect(await cache.lookup(ana)).toEqual(found('Ana', 'Silver'));
    await settle();
    expect(bg.asked.length).toBe(asks + 1);
    expect(onStale).toHaveBeenCalledTimes(1);
  });

  it('an answer that changes on every ask is repainted once per visit, never in a loop', async () => {
    let n = 0;
    // Answers come in a later task, as the background's do (a loop then shows as many asks, not a hang).
    const ask = vi.fn(() => new Promise<LookupResult>((resolve) => setTimeout(() => resolve(found('Ana', `Tier ${++n}`)), 0)));
    const cache = createLookupCache(ask, { onStale: () => void cache.lookup(ana) }); // the repaint asks for it at once
    await cache.lookup(ana);
    await cache.lookup(ana);
    for (let i = 0; i < 5; i++) await settle();
    expect(ask).toHaveBeenCalledTimes(2);
  });

  it('does not keep errors: a failed lookup is asked again next time', async () => {
    const bg = background({ '1': { status: 'error', message: 'The local store could not be read' } });
    const cache = createLookupCache(bg.ask);
    expect((await cache.lookup(ana)).status).toBe('error');
    bg.answers['1'] = found('Ana');
    expect(await cache.lookup(ana)).toEqual(found('Ana'));
    expect(bg.asked).toEqual(['1', '1']);
    // A background that cannot be reached rejects; nothing is kept either.
    await expect(cache.lookup(teo)).rejects.toThrow(/Receiving end/);
    await expect(cache.lookup(teo)).rejects.toThrow(/Receiving end/);
    expect(bg.asked).toEqual(['1', '1', '2', '2']);
  });

  it('when asking again fails, forgets the kept answer and says so (the repaint shows the failure)', async () => {
    const bg = background({ '1': found('Ana') });
    const onStale = vi.fn();
    const cache = createLookupCache(bg.ask, { onStale });
    await cache.lookup(ana);
    bg.answers['1'] = { status: 'error', message: 'The local store could not be read' };
    await cache.lookup(ana);
    await settle();
    expect(onStale).toHaveBeenCalledTimes(1);
    expect(await cache.lookup(ana)).toEqual({ status: 'error', message: 'The local store could not be read' });
    delete bg.answers['1'];
    bg.answers['2'] = found('Teo');
    await cache.lookup(teo);
    delete bg.answers['2'];
    expect(await cache.lookup(teo)).toEqual(found('Teo')); // kept; asking again now fails to reach the background
    await settle();
    expect(onStale).toHaveBeenCalledTimes(2);
    await expect(cache.lookup(teo)).rejects.toThrow(/Receiving end/);
  });

  it('after clear(), asks the background again, and never keeps an answer asked before the clear', async () => {
    const bg = background({ '1': found('Ana', 'Gold'), '2': found('Teo') });
    const cache = createLookupCache(bg.ask);
    await cache.lookup(ana);
    cache.clear(); // the store changed (the background said so)
    bg.answers['1'] = found('Ana', 'Silver');
    expect(await cache.lookup(ana)).toEqual(found('Ana', 'Silver'));

    // An answer on its way when the store changes may be from before the change: given to its asker, not kept.
    const release = bg.hold();
    const before = cache.lookup(teo);
    cache.clear();
    bg.answers['2'] = found('Teo', 'Silver');
    release();
    expect(await before).toEqual(found('Teo'));
    expect(await cache.lookup(teo)).toEqual(found('Teo', 'Silver'));
    expect(bg.asked).toEqual(['1', '1', '2', '2']);
  });

  it('a revalidation on its way when the store changes neither replaces nor repaints', async () => {
    const bg = background({ '1': found('Ana', 'Gold') });
    const onStale = vi.fn();
    const cache = createLookupCache(bg.ask, { onStale });
    await cache.lookup(ana);
    const release = bg.hold();
    bg.answers['1'] = found('Ana', 'Silver');
    await cache.lookup(ana); // kept answer; asks again
    cache.clear();
    release();
    await settle();
    expect(onStale).not.toHaveBeenCalled();
    expect(cache.size).toBe(0);
  });

  it('keeps at most maxEntries answers, the least recently used going first', async () => {
    const bg = background({ '1': found('Ana'), '2': found('Teo'), '3': found('Mia') });
    const cache = createLookupCache(bg.ask, { maxEntries: 2 });
    const mia: IdentityMessage = { host: 'zendesk', hostRecordId: '3', email: 'mia@x.example' };
    await cache.lookup(ana);
    await cache.lookup(teo);
    await cache.lookup(ana); // Ana used last: Teo is the oldest
    await settle();
    await cache.lookup(mia);
    expect(cache.size).toBe(2);
    const asks = bg.asked.length;
    const release = bg.hold();
    let teoAnswered = false;
    void cache.lookup(teo).then(() => (teoAnswered = true));
    let anaAnswered = false;
    void cache.lookup(ana).then(() => (anaAnswered = true));
    await Promise.resolve();
    await Promise.resolve();
    expect(anaAnswered).toBe(true); // kept
    expect(teoAnswered).toBe(false); // forgotten: waits for the background
    expect(bg.asked.length).toBe(asks + 2);
    release();
    await settle();
  });
});
