/**
 * The welcome page (welcome.html), opened once when Centric is installed: what Centric does, that the
 * data shown is the bundled sample, and three steps with their state (turn on your CRM site, bring
 * your data, set tiers and rules), each with a link straight to its section of the options page.
 */
import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { loadSources } from '~/lib/settings/sources';
import type { CentricDb } from '~/lib/db/db';
import { ask } from '~/lib/messages/client';
import { DEFAULT_SCORING_SETTINGS } from '~/lib/scoring/settings';
import { readScoringSettings } from '~/lib/scoring/store';
import { isSiteEnabled } from '~/lib/sites/enablement';
import { CUSTOM_DOMAINS, CUSTOM_SITES, RULES, SOURCES } from '~/lib/settings/items';
import { readSettings, watchSettings } from '~/lib/settings/storage';
import { DEMO_PATTERNS, SITE_ADAPTERS } from '~/lib/sites/registry';
import { welcomeSteps, type WelcomeFacts, type WelcomeStep } from '~/lib/welcome/steps';

const SITES = SITE_ADAPTERS.filter((a) => a.matches.some((p) => !DEMO_PATTERNS.includes(p)));

/** What the browser and the store say about the three steps. */
export async function readWelcomeFacts(db: CentricDb): Promise<WelcomeFacts> {
  // The status answers once the background's first run (the sample loaded and scored) is done.
  const status = await ask({ type: 'status' });
  const [{ origins = [] }, [customDomains, customSites, rules], sources, settings] = await Promise.all([
    browser.permissions.getAll(),
    readSettings(CUSTOM_DOMAINS, CUSTOM_SITES, RULES),
    loadSources(),
    readScoringSettings(db),
  ]);
  return {
    enabledSites: SITES.filter((a) => isSiteEnabled(a, origins)).map((a) => a.name),
    customSites: customDomains.length + customSites.length,
    sampleLoaded: status.sampleLoaded,
    customers: status.customers,
    sources: sources.config.sources.filter((s) => s.enabled).map((s) => s.name),
    tiersEdited: JSON.stringify(settings.tiers) !== JSON.stringify(DEFAULT_SCORING_SETTINGS.tiers),
    rulesSaved: rules !== undefined,
  };
}

function StepLinks({ id }: { id: WelcomeStep['id'] }) {
  if (id === 'site')
    return (
      <a class="button" href="/options.html#sites" data-testid="welcome-step-site-link">
        Open “Where Centric works”
      </a>
    );
  if (id === 'data')
    return (
      <>
        <a class="button" href="/options.html#import" data-testid="welcome-step-data-link">
          Import a CSV file
        </a>{' '}
        <a class="button secondary" href="/options.html#sources">
          Connect your team’s source
        </a>
      </>
    );
  return (
    <>
      <a class="button" href="/options.html#scoring" data-testid="welcome-step-rules-link">
        Set the tiers
      </a>{' '}
      <a class="button secondary" href="/options.html#treatments">
        Edit the treatment rules
      </a>
    </>
  );
}

const STEP_TEXT: Record<WelcomeStep['id'], string> = {
  site: 'Centric reads no website until you turn it on. Choose your CRM or helpdesk (Zendesk, Salesforce, HubSpot, Freshdesk, Intercom, Pipedrive, Gmail and more); the browser asks your permission for that site only.',
  data: 'Import your orders or payments as a CSV file (Shopify, Stripe, WooCommerce or any layout), or connect the lookup service or score files your team shares. Your own data replaces the sample.',
  rules: 'Name your value tiers and where they start, and say what each kind of customer should get: a personal call, white-glove service, an upsell, self-service first.',
};

export function WelcomePage({ db }: { db: CentricDb }) {
  const facts = useSignal<WelcomeFacts | null>(null);
  const problem = useSignal<string | null>(null);
  useEffect(() => {
    const refresh = () =>
      void readWelcomeFacts(db)
        .then((f) => ((facts.value = f), (problem.value = null)))
        .catch((error: unknown) => (problem.value = `Centric could not read its state: ${(error as Error).message}`));
    refresh();
    // Coming back from the options page, or a change made there: the steps follow.
    const onVisible = () => document.visibilityState === 'visible' && refresh();
    document.addEventListener('visibilitychange', onVisible);
    const stopWatch = watchSettings([CUSTOM_DOMAINS, CUSTOM_SITES, RULES, SOURCES], refresh);
    browser.permissions.onAdded.addListener(refresh);
    browser.permissions.onRemoved.addListener(refresh);
    return () => {
      document.removeEventListener('visibilitychange', onVisible);
      stopWatch();
      browser.permissions.onAdded.removeListener(refresh);
      browser.permissions.onRemoved.removeListener(refresh);
    };
  }, []);

  const f = facts.value;
  const steps = f ? welcomeSteps(f) : null;
  return (
    <>
      <header class="page-header">
        <span class="brand">Centric</span>
        <span class="muted">customer value where you work</span>
      </header>
      <main class="welcome" aria-labelledby="welcome-title" data-testid="welcome-page">
        <h1 id="welcome-title">Welcome to Centric</h1>
        <p class="lead">
          Centric shows, inside your CRM and helpdesk, who each customer is to your business: their value tier, their predicted lifetime value, whether they
          are at risk, and the treatment your team recommends for them. Everything is computed and kept in this browser.
        </p>
        <section class="card" aria-labelledby="sample-title" data-testid="welcome-sample">
          <h2 id="sample-title">What you see now is sample data</h2>
          <p>
            To show Centric at work from the first minute, it came with a sample: the CDNOW 1/10 dataset (2,357 customers of an online music store, 1997–1998),
            with made-up demo names and emails. The dashboard, the report, the popup and the sidebar say <strong>Sample data</strong> while it is in use.
            {f && !f.sampleLoaded && ' The sample is no longer in your store.'}
          </p>
        </section>
        <section aria-labelledby="steps-title">
          <h2 id="steps-title">Three steps to your own customers</h2>
          {problem.value && (
            <p class="notice error" role="alert">
              {problem.value}
            </p>
          )}
          {!steps && !problem.value && (
            <p class="muted" role="status">
              Preparing your data…
            </p>
          )}
          {steps && (
            <ol class="steps">
              {steps.map((step, i) => (
                <li key={step.id} class="card step" data-testid={`welcome-step-${step.id}`} data-done={String(step.done)}>
                  <h3>
                    {i + 1}. {step.title}
                  </h3>
                  <p>{STEP_TEXT[step.id]}</p>
                  <p class={step.done ? 'step-state done' : 'step-state'} data-testid={`welcome-step-${step.id}-state`}>
                    <span aria-hidden="true">{step.done ? '✓ ' : '○ '}</span>
                    {step.state}
                  </p>
                  <p class="actions">
                    <StepLinks id={step.id} />
                  </p>
                </li>
              ))}
            </ol>
          )}
        </section>
      </main>
    </>
  );
}
