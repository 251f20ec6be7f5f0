/**
 * Options → Sites → "Site definitions" (issue 17): the address of the team's definitions file (or the
 * team policy's, which then locks the field), "Check now", and which definition each site uses —
 * bundled, or an override from the policy or the file — with the last check, its problems in words,
 * and any override key this browser's CSS engine refuses (the sidebar keeps the bundled value there).
 * The background does the work (lib/background/site-definitions-sync.ts); this part reads its status.
 */
import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { requestSourcePermission } from '~/lib/settings/sources';
import { SITE_DEFINITIONS_STATUS, SITE_DEFINITIONS_URL, SITE_OVERRIDES } from '~/lib/settings/items';
import { readPolicy, readSettings, removeSetting, watchPolicy, watchSettings, writeSetting } from '~/lib/settings/storage';
import { ask } from '~/lib/messages/client';
import { parseManagedPolicy } from '~/lib/rules/policy';
import {
  bundledDefinitions,
  hostDefinitionText,
  readDefinitionsStatus,
  SITE_DEFINITIONS_SYNC_MINUTES,
  type SiteDefinitionsStatus,
} from '~/lib/sites/definitions';
import { applySiteOverride, siteOverrideFor } from '~/lib/sites/overrides';
import { SITE_ADAPTERS } from '~/lib/sites/registry';
import { asOfText } from '~/lib/sources/precedence';
import { addressProblems, originOf, permissionPatternFor } from '~/lib/sources/url';

const BUNDLED = bundledDefinitions(SITE_ADAPTERS);
const SITES = SITE_ADAPTERS.filter((a) => a.definition && a.id !== 'demo');
/** Most problems of a rejected file listed here (the status keeps up to 50). */
const SHOWN_PROBLEMS = 10;

const time = (at: number | undefined) => (at === undefined ? 'never' : asOfText(at, Date.now()));

/**
 * The override keys this browser refuses for a site, in words: applied to a copy of the bundled
 * selectors with the same code the sidebar runs, so the options page says what the sidebar will do.
 */
function refusedHere(siteId: string, override: unknown): string[] {
  const adapter = SITE_ADAPTERS.find((a) => a.id === siteId);
  if (!adapter?.definition || override === undefined) return [];
  const copy = { name: adapter.name, definition: { version: adapter.definition.version, selectors: JSON.parse(JSON.stringify(adapter.definition.selectors)) as Record<string, unknown> } };
  return applySiteOverride(copy, override, undefined, () => {}).map(({ key, problem }) => `"${key}": ${problem}; the sidebar uses the bundled value.`);
}

interface Loaded {
  optionsUrl: string;
  policyUrl?: string;
  status?: SiteDefinitionsStatus;
  overrides: unknown;
  /** Whether Centric may contact the address's origin. */
  allowed: boolean;
}

/** The "Site definitions" part of Options → Sites. */
export function SiteDefinitions() {
  const loaded = useSignal<Loaded | null>(null);
  const draft = useSignal('');
  const busy = useSignal(false);
  const result = useSignal<{ ok: boolean; text: string } | null>(null);

  const load = async (resetDraft = false) => {
    const [[storedUrl, storedStatus, overrides], managed] = await Promise.all([readSettings(SITE_DEFINITIONS_URL, SITE_DEFINITIONS_STATUS, SITE_OVERRIDES), readPolicy()]);
    const optionsUrl = storedUrl ?? '';
    const policyUrl = parseManagedPolicy(managed).policy.siteDefinitionsUrl;
    const url = policyUrl ?? optionsUrl;
    const pattern = url ? permissionPatternFor(url) : undefined;
    const allowed = pattern ? await browser.permissions.contains({ origins: [pattern] }).catch(() => false) : true;
    const next: Loaded = { optionsUrl, ...(policyUrl ? { policyUrl } : {}), status: readDefinitionsStatus(storedStatus), overrides, allowed };
    if (resetDraft || loaded.value === null) draft.value = optionsUrl;
    loaded.value = next;
  };
  useEffect(() => {
    void load(true);
    const onChange = () => void load();
    const stops = [watchPolicy(onChange), watchSettings([SITE_DEFINITIONS_STATUS, SITE_OVERRIDES, SITE_DEFINITIONS_URL], onChange)];
    browser.permissions.onAdded.addListener(onChange);
    return () => {
      stops.forEach((stop) => stop());
      browser.permissions.onAdded.removeListener(onChange);
    };
  }, []);

  const state = loaded.value;
  const locked = state?.policyUrl !== undefined;
  const url = state?.policyUrl ?? state?.optionsUrl ?? '';
  const status = state?.status?.url === url || !url ? state?.status : undefined;

  // Saves the address; the browser's permission for its site is asked in the click itself (no await before it).
  const save = (event: Event) => {
    event.preventDefault();
    const address = draft.value.trim();
    if (address === '') return void remove();
    const problems = addressProblems(address, false);
    if (problems.length > 0) {
      result.value = { ok: false, text: problems.join(' ') };
      return;
    }
    busy.value = true;
    result.value = null;
    void requestSourcePermission(address)
      .then(async (granted) => {
        if (!granted) {
          result.value = { ok: false, text: `Centric was not allowed to contact ${originOf(address) ?? address}; the address was not saved.` };
          return;
        }
        const unchanged = address === loaded.value?.optionsUrl;
        await writeSetting(SITE_DEFINITIONS_URL, address);
        result.value = { ok: true, text: 'Saved. Centric downloads the file now and checks it every hour.' };
        // The same address again changes nothing in storage, so the background would not hear of it: check now.
        if (unchanged) {
          const answer = await ask({ type: 'check-site-definitions' });
          result.value = { ok: answer.ok, text: answer.message };
        }
      })
      .catch((error: unknown) => (result.value = { ok: false, text: `The address was not saved: ${String((error as Error).message ?? error)}` }))
      .finally(() => (busy.value = false));
  };
  const remove = async () => {
    await removeSetting(SITE_DEFINITIONS_URL);
    draft.value = '';
    result.value = { ok: true, text: 'The address was removed; the bundled definitions are used (with the team policy’s, where it sets any).' };
  };
  const allow = () => {
    void requestSourcePermission(url).then((granted) => {
      result.value = granted ? { ok: true, text: `Centric may now contact ${originOf(url) ?? url}. Click “Check now”.` } : { ok: false, text: 'Permission was not given.' };
    });
  };
  const check = async () => {
    if (busy.value) return;
    busy.value = true;
    result.value = null;
    try {
      const answer = await ask({ type: 'check-site-definitions' });
      result.value = { ok: answer.ok, text: answer.message };
    } catch (error) {
      result.value = { ok: false, text: `The check failed: ${String((error as Error).message ?? error)}` };
    } finally {
      busy.value = false;
    }
  };

  const problems = status?.problems ?? [];
  return (
    <div class="site-definitions" data-testid="site-definitions" data-state={state ? 'ready' : 'loading'} aria-labelledby="site-definitions-title" role="group">
      <h3 id="site-definitions-title">Site definitions</h3>
      <p class="muted">
        Centric finds the customer on each site with the selectors bundled in this release. When a site changes its pages before the next
        release, your team can publish a definitions file with new selectors at an address you choose: Centric checks it every{' '}
        {SITE_DEFINITIONS_SYNC_MINUTES} minutes and uses it only when all of it is valid (otherwise the last good copy, or the bundled
        definitions, stay). An override counts only if it was written for this release’s definition version or a later one: a newer
        release’s selectors win over an older override. A team policy can set definitions and the address too; its definitions come first.
      </p>
      <form class="custom-domain" onSubmit={save}>
        <label>
          Definitions file address{' '}
          <input
            type="url"
            size={48}
            value={locked ? url : draft.value}
            disabled={locked || busy.value}
            aria-describedby={locked ? 'site-definitions-locked' : undefined}
            placeholder="https://files.example.com/centric-sites.json"
            data-testid="site-definitions-url"
            onInput={(e) => (draft.value = (e.currentTarget as HTMLInputElement).value)}
          />
        </label>{' '}
        {!locked && (
          <>
            <button type="submit" class="button small" disabled={busy.value} data-testid="site-definitions-save">
              Save
            </button>{' '}
            {state?.optionsUrl && (
              <button type="button" class="button secondary small" disabled={busy.value} data-testid="site-definitions-remove" onClick={() => void remove()}>
                Remove
              </button>
            )}{' '}
          </>
        )}
        <button type="button" class="button secondary small" aria-disabled={busy.value || undefined} data-testid="site-definitions-check" onClick={() => void check()}>
          {busy.value ? 'Checking…' : 'Check now'}
        </button>
      </form>
      {locked && (
        <p class="muted" id="site-definitions-locked" data-testid="site-definitions-locked">
          Set by your team’s policy (siteDefinitionsUrl); it cannot be changed here.
        </p>
      )}
      {url && state && !state.allowed && (
        <p class="notice error" role="alert" data-testid="site-definitions-permission">
          Centric is not allowed to contact {originOf(url) ?? url} yet.{' '}
          <button type="button" class="button small" onClick={allow}>
            Allow
          </button>
        </p>
      )}
      <p class={result.value ? `notice ${result.value.ok ? 'ok' : 'error'}` : undefined} role="status" data-testid="site-definitions-result">
        {result.value?.text ?? ''}
      </p>
      {url && (
        <p data-testid="site-definitions-status">
          Last checked: {time(status?.checkedAt)}
          {status?.outcome ? ` (${status.outcome === 'changed' ? 'downloaded' : status.outcome === 'unchanged' ? 'not changed' : 'failed'})` : ''}. Copy in
          use: {status?.fetchedAt !== undefined ? `downloaded ${time(status.fetchedAt)}` : 'none yet'}.
        </p>
      )}
      {url && status?.error && (
        <div class="notice error" role="alert" data-testid="site-definitions-error">
          <p>{status.error}</p>
          {problems.length > 1 && (
            <ul data-testid="site-definitions-problems">
              {problems.slice(0, SHOWN_PROBLEMS).map((p) => (
                <li key={p}>{p}</li>
              ))}
              {problems.length > SHOWN_PROBLEMS && <li>…and {problems.length - SHOWN_PROBLEMS} more (see the status in the background’s storage).</li>}
            </ul>
          )}
        </div>
      )}
      {(state?.status?.policyProblems.length ?? 0) > 0 && (
        <div class="notice error" role="alert" data-testid="site-definitions-policy-problems">
          <p>The team policy’s site definitions have problems:</p>
          <ul>
            {state!.status!.policyProblems.slice(0, SHOWN_PROBLEMS).map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </div>
      )}
      {/* Focusable: it may scroll, and a keyboard must be able to scroll it (axe: scrollable-region-focusable). */}
      <div class="table-scroll" tabIndex={0} role="region" aria-label="The definition each site uses">
        <table class="preview" data-testid="site-definitions-hosts">
          <caption class="muted">The definition each site uses</caption>
          <thead>
            <tr>
              <th scope="col">Site</th>
              <th scope="col">In use</th>
              <th scope="col">Notes</th>
            </tr>
          </thead>
          <tbody>
            {SITES.map((site) => {
              const host = state?.status?.hosts[site.id];
              const notes = [...(host?.notes ?? []), ...refusedHere(site.id, host && host.source !== 'bundled' ? siteOverrideFor(state?.overrides, site.id) : undefined)];
              return (
                <tr key={site.id} data-testid={`site-definition-${site.id}`} data-source={host?.source ?? 'bundled'}>
                  <th scope="row">{site.name}</th>
                  <td data-testid="site-definition-in-use">{host ? hostDefinitionText(host) : `bundled v${BUNDLED.get(site.id)?.version ?? 1}`}</td>
                  <td class="wrap" data-testid="site-definition-notes">
                    {notes.join(' ')}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}
