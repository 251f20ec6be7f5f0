import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { FIELD_KEYS, FIELD_LABELS, type CustomSiteRule } from '~/lib/sites/custom';
import { CUSTOM_DOMAINS, CUSTOM_SITES } from '~/lib/settings/items';
import { readSetting, updateSetting, watchSettings } from '~/lib/settings/storage';
import {
  isSiteEnabled,
  normalizeDomain,
  originOfDomain,
  originsToRelease,
  type CustomDomain,
} from '~/lib/sites/enablement';
import { DEMO_PATTERNS, SITE_ADAPTERS } from '~/lib/sites/registry';
import { hasListViews, ListChipsSwitch } from '../lists/ListChipsSwitch';
import { SiteHealth } from './SiteHealth';
import { SiteDefinitions } from './SiteDefinitions';
import { SiteLayoutSettings } from './SiteLayoutSettings';

const SITES = SITE_ADAPTERS.filter((a) => a.matches.some((p) => !DEMO_PATTERNS.includes(p)));

/** What a rule reads, in words: "email, name, record id (from the URL)". */
function describeRule(rule: CustomSiteRule): string {
  const parts = FIELD_KEYS.filter((key) => rule.fields[key] || (key === 'recordId' && rule.recordIdFromUrl)).map((key) =>
    key === 'recordId' && rule.recordIdFromUrl && !rule.fields.recordId ? `${FIELD_LABELS[key]} (from the URL)` : FIELD_LABELS[key],
  );
  return parts.length > 0 ? `reads ${parts.join(', ')}` : 'reads nothing yet';
}

/** Enable Centric per site (an optional host permission each), and custom domains for the built-in hosts. */
export function SitesSection() {
  const granted = useSignal<string[]>([]);
  const custom = useSignal<CustomDomain[]>([]);
  const rules = useSignal<CustomSiteRule[]>([]);
  const domainInput = useSignal('');
  const adapterInput = useSignal(SITES[0]?.id ?? '');
  const message = useSignal<{ kind: 'ok' | 'error'; text: string } | null>(null);

  const refresh = async () => {
    granted.value = (await browser.permissions.getAll()).origins ?? [];
    custom.value = await readSetting(CUSTOM_DOMAINS);
    rules.value = await readSetting(CUSTOM_SITES);
  };
  useEffect(() => {
    void refresh();
    const onChange = () => void refresh();
    // Rules are added from the popup ("Teach Centric this site") while this page may be open.
    const stopWatch = watchSettings([CUSTOM_SITES, CUSTOM_DOMAINS], onChange);
    browser.permissions.onAdded.addListener(onChange);
    browser.permissions.onRemoved.addListener(onChange);
    return () => {
      browser.permissions.onAdded.removeListener(onChange);
      browser.permissions.onRemoved.removeListener(onChange);
      stopWatch();
    };
  }, []);

  // permissions.request must run in the click itself (a user gesture): no await before it.
  const enable = (origins: string[], name: string) =>
    browser.permissions.request({ origins }).then((ok) => {
      message.value = ok ? { kind: 'ok', text: `Centric is on for ${name}. Reload its open tabs.` } : { kind: 'error', text: `Permission for ${name} was not given.` };
      return ok;
    });
  const disable = (origins: string[], name: string) =>
    browser.permissions.remove({ origins }).then(() => (message.value = { kind: 'ok', text: `Centric is off for ${name}.` }));

  const addCustom = (event: Event) => {
    event.preventDefault();
    let domain: string;
    try {
      domain = normalizeDomain(domainInput.value);
    } catch (error) {
      message.value = { kind: 'error', text: (error as Error).message };
      return;
    }
    const adapter = SITES.find((s) => s.id === adapterInput.value);
    if (!adapter) return;
    void enable([originOfDomain(domain)], domain).then(async (ok) => {
      if (!ok) return;
      await updateSetting(CUSTOM_DOMAINS, (current) => [...current.filter((c) => c.domain !== domain), { domain, adapterId: adapter.id }]);
      domainInput.value = '';
      await refresh();
    });
  };

  const removeCustom = async (entry: CustomDomain) => {
    await browser.permissions.remove({ origins: [originOfDomain(entry.domain)] });
    await updateSetting(CUSTOM_DOMAINS, (current) => current.filter((c) => c.domain !== entry.domain));
    await refresh();
  };

  // Removes the rule, then gives back the host access no other rule, custom domain or the manifest needs.
  const removeRule = async (rule: CustomSiteRule) => {
    const remaining = await updateSetting(CUSTOM_SITES, (current) => current.filter((r) => r.id !== rule.id));
    const required = browser.runtime.getManifest().host_permissions ?? [];
    const origins = originsToRelease(rule, remaining, await readSetting(CUSTOM_DOMAINS), required);
    try {
      if (origins.length > 0) await browser.permissions.remove({ origins });
      message.value = { kind: 'ok', text: `The rule for ${rule.name} was removed.` };
    } catch (error) {
      message.value = { kind: 'error', text: `The rule for ${rule.name} was removed, but its site access was not: ${(error as Error).message}` };
    }
    await refresh();
  };

  return (
    <section id="sites" class="card" aria-labelledby="sites-title" data-testid="sites-section">
      <h2 id="sites-title">Where Centric works</h2>
      <p class="muted">
        Centric reads only the sites you turn on here; each asks your browser for access to that site alone. The demo helpdesk on 127.0.0.1 is
        always on.
      </p>
      <ul class="sites" data-testid="site-list">
        {SITES.map((site) => {
          const on = isSiteEnabled(site, granted.value);
          return (
            <li key={site.id} data-testid={`site-${site.id}`} data-enabled={on}>
              <strong>{site.name}</strong> <span class="muted">{site.matches.join(', ')}</span>{' '}
              <span class={on ? 'badge on' : 'badge'}>{on ? 'On' : 'Off'}</span>{' '}
              <button
                type="button"
                class="button secondary small"
                onClick={() => void (on ? disable([...site.matches], site.name) : enable([...site.matches], site.name))}
              >
                {on ? 'Turn off' : 'Turn on'}
              </button>
              {on && hasListViews(site.id) && (
                <>
                  {' '}
                  <ListChipsSwitch siteId={site.id} siteName={site.name} />
                </>
              )}
            </li>
          );
        })}
      </ul>
      <SiteLayoutSettings sites={SITES} />
      <h3>Your own domains</h3>
      <p class="muted">A self-hosted or custom domain of one of the apps above, e.g. support.example.com for Zendesk.</p>
      <form class="custom-domain" onSubmit={addCustom}>
        <label>
          Domain{' '}
          <input value={domainInput.value} onInput={(e) => (domainInput.value = (e.currentTarget as HTMLInputElement).value)} placeholder="support.example.com" />
        </label>{' '}
        <label>
          is{' '}
          <select value={adapterInput.value} onChange={(e) => (adapterInput.value = (e.currentTarget as HTMLSelectElement).value)}>
            {SITES.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </label>{' '}
        <button type="submit" class="button small">
          Add and turn on
        </button>
      </form>
      {custom.value.length > 0 && (
        <ul class="sites">
          {custom.value.map((c) => (
            <li key={c.domain}>
              <strong>{c.domain}</strong> <span class="muted">as {SITES.find((s) => s.id === c.adapterId)?.name ?? c.adapterId}</span>{' '}
              <button type="button" class="button secondary small" onClick={() => void removeCustom(c)}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <h3>Custom sites</h3>
      <p class="muted">
        Any other web app: open it, click Centric's toolbar button and choose “Teach Centric this site” to say where the page shows the
        customer's email, name or record id.
      </p>
      {rules.value.length === 0 ? (
        <p class="muted" data-testid="custom-site-list-empty">
          No custom sites yet.
        </p>
      ) : (
        <ul class="sites" data-testid="custom-site-list">
          {rules.value.map((rule) => (
            <li key={rule.id} data-testid={`custom-site-${rule.id}`}>
              <strong>{rule.name}</strong> <span class="muted">{rule.matches.join(', ')}</span> <span class="muted">— {describeRule(rule)}</span>{' '}
              <button type="button" class="button secondary small" data-testid={`remove-custom-site-${rule.id}`} onClick={() => void removeRule(rule)}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <SiteDefinitions />
      {message.value && (
        <p class={`notice ${message.value.kind}`} role={message.value.kind === 'error' ? 'alert' : 'status'}>
          {message.value.text}
        </p>
      )}
      <SiteHealth granted={granted.value} rules={rules.value} />
      <p>
        <kbd>Alt</kbd>+<kbd>Shift</kbd>+<kbd>C</kbd> shows or hides the sidebar. The sidebar's tab is also reachable with <kbd>Tab</kbd>.
      </p>
    </section>
  );
}
