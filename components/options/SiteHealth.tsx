import { healthRows, OUTCOMES, OUTCOME_WORDS, type Counts } from '~/lib/health/site-health';
import { useSetting } from '~/lib/pages/use-setting';
import { SITE_HEALTH } from '~/lib/settings/items';
import { removeSetting } from '~/lib/settings/storage';
import type { CustomSiteRule } from '~/lib/sites/custom';
import { isSiteEnabled } from '~/lib/sites/enablement';
import { DEMO_PATTERNS, SITE_ADAPTERS } from '~/lib/sites/registry';

const SITES = SITE_ADAPTERS.filter((a) => a.matches.some((p) => !DEMO_PATTERNS.includes(p)));
const time = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short' });
const day = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium' });

/** "12 identified, 3 no customer"; "none" when nothing was read. */
function inWords(counts: Counts): string {
  const parts = OUTCOMES.filter((o) => counts[o] > 0).map((o) => `${counts[o].toLocaleString('en-US')} ${OUTCOME_WORDS[o]}`);
  return parts.length > 0 ? parts.join(', ') : 'none';
}

/**
 * Site health (Options → Sites; issue 17): for each enabled site, when Centric last identified a
 * customer on its record pages in this browser and when it last could not, with counts for the last
 * 7 days and since the first reading; a site whose last pages all failed is flagged, with what to do.
 * Counts only (lib/health/site-health.ts): no address, no record id, no name.
 */
export function SiteHealth({ granted, rules }: { granted: string[]; rules: CustomSiteRule[] }) {
  const health = useSetting(SITE_HEALTH) ?? SITE_HEALTH.fallback;
  const now = Date.now();

  const sites = [...SITES.filter((s) => isSiteEnabled(s, granted)), ...rules.map((r) => ({ id: `custom:${r.id}`, name: r.name }))];
  const rows = healthRows(health, sites, now);
  const flagged = rows.filter((r) => r.flag);
  const never = (t: number | undefined) => (t ? time.format(t) : 'never');

  return (
    <div class="site-health" data-testid="site-health">
      <h3>How Centric reads each site</h3>
      <p class="muted">
        On this browser: when Centric last identified the customer of a record page (a ticket, a contact…) on each site you turned on, and when it
        could not. Counts only: no address, no record, no name. They stay on this computer and are not in backups.
      </p>
      {flagged.map((r) => (
        <p key={r.id} class="notice error" role="alert" data-testid={`site-health-flag-${r.id}`}>
          {r.flag}
          {r.lastMissing.length > 0 && ` Not found the last time: ${r.lastMissing.join(', ')}.`}
        </p>
      ))}
      {rows.length === 0 ? (
        <p class="muted" data-testid="site-health-empty">
          Turn on a site above to see how Centric reads it.
        </p>
      ) : (
        // Scrolls when the table is taller or wider than its box: reachable by keyboard.
        <div class="table-scroll" tabIndex={0} role="region" aria-label="Site health, per site">
          <table class="issues" data-testid="site-health-table">
            <caption class="visually-hidden">Record pages Centric read on this browser, per site</caption>
            <thead>
              <tr>
                <th scope="col">Site</th>
                <th scope="col">Last identified</th>
                <th scope="col">Last not read</th>
                <th scope="col">Last 7 days</th>
                <th scope="col">Since the first reading</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id} data-testid={`site-health-${r.id}`} data-flagged={r.flag ? 'true' : undefined}>
                  <th scope="row">{r.name}</th>
                  <td data-testid="last-identified">{never(r.lastIdentified)}</td>
                  <td data-testid="last-failed" title={r.lastMissing.length > 0 ? `Not found: ${r.lastMissing.join(', ')}` : undefined}>
                    {never(r.lastFailed)}
                  </td>
                  <td data-testid="week">{inWords(r.week)}</td>
                  <td data-testid="total">
                    {inWords(r.total)}
                    {r.since !== undefined && <span class="muted"> (since {day.format(r.since)})</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {Object.keys(health.hosts).length > 0 && (
        <button type="button" class="button secondary small" data-testid="site-health-reset" onClick={() => void removeSetting(SITE_HEALTH)}>
          Reset these counts
        </button>
      )}
    </div>
  );
}
