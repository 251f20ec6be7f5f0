import { describe, expect, it } from 'vitest';
import { registrationPlan, syncContentScripts, type ContentScriptApis, type RegisteredScript } from '~/lib/background/content-scripts';
import { CUSTOM_DOMAINS, CUSTOM_SITES } from '~/lib/settings/items';
import { SITE_ADAPTERS } from '~/lib/sites/registry';

/** The browser's scripting and permissions, as a test sees them. */
function fakeBrowser(origins: string[], stored: Record<string, unknown>, registered: string[]) {
  const calls: string[] = [];
  const scripts = new Map<string, RegisteredScript | { id: string }>(registered.map((id) => [id, { id }]));
  const apis: ContentScriptApis = {
    grantedOrigins: async () => origins,
    stored: async (keys) => Object.fromEntries(keys.filter((k) => k in stored).map((k) => [k, stored[k]])),
    registered: async () => [...scripts.values()],
    unregister: async (ids) => {
      calls.push(`unregister ${ids.join(',')}`);
      for (const id of ids) scripts.delete(id);
    },
    update: async (list) => {
      calls.push(`update ${list.map((s) => s.id).join(',')}`);
      for (const s of list) scripts.set(s.id, s);
    },
    register: async (list) => {
      calls.push(`register ${list.map((s) => s.id).join(',')}`);
      for (const s of list) scripts.set(s.id, s);
    },
  };
  return { apis, calls, scripts };
}

describe('the content scripts the background registers', () => {
  it('plans: forgets what is no longer wanted, updates what is there, adds the rest', () => {
    const wanted = [
      { id: 'a', js: ['a.js'], matches: ['https://a.example/*'], excludeMatches: [] },
      { id: 'b', js: ['b.js'], matches: ['https://b.example/*'], excludeMatches: [] },
    ];
    const plan = registrationPlan(wanted, [{ id: 'b' }, { id: 'gone' }]);
    expect(plan.stale).toEqual(['gone']);
    expect(plan.update.map((s) => s.id)).toEqual(['b']);
    expect(plan.register).toEqual([{ ...wanted[0], runAt: 'document_idle', persistAcrossSessions: true }]);
  });

  it('registers a site for exactly its granted hosts and custom domains, and removes it when its permission goes', async () => {
    const zendesk = SITE_ADAPTERS.find((a) => a.id === 'zendesk')!;
    const granted = ['https://*.zendesk.com/*', 'https://help.acme.example/*'];
    const domains = [{ adapterId: 'zendesk', domain: 'help.acme.example' }];
    const browser = fakeBrowser(granted, { [CUSTOM_DOMAINS.key]: domains }, []);
    await syncContentScripts(SITE_ADAPTERS, browser.apis);
    const ids = [...browser.scripts.keys()];
    expect(ids).toEqual([`centric-${zendesk.id}`]); // no other site: their hosts are not granted
    const script = browser.scripts.get(`centric-${zendesk.id}`) as RegisteredScript;
    expect(script.matches).toEqual(['https://*.zendesk.com/agent/*', 'https://help.acme.example/*']);
    expect(script.persistAcrossSessions).toBe(true);

    // The permission is withdrawn: the script goes, in one call.
    const after = fakeBrowser([], { [CUSTOM_SITES.key]: [] }, ids);
    await syncContentScripts(SITE_ADAPTERS, after.apis);
    expect(after.calls.filter((c) => c.startsWith('unregister'))).toHaveLength(1);
    expect([...after.scripts.keys()]).toEqual([]);
  });
});
