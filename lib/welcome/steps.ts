/**
 * The welcome page's three steps (turn on your CRM site, bring your data, set tiers and rules), each
 * done or not yet, from what the browser and the store say. Pure: the page gathers the facts.
 */
export interface WelcomeFacts {
  /** Names of the built-in sites whose permission is granted (the demo helpdesk not counted). */
  enabledSites: readonly string[];
  /** Custom domains of built-in apps, and custom site rules, saved. */
  customSites: number;
  sampleLoaded: boolean;
  customers: number;
  /** Names of the team's remote sources (lookup service, shared score files). */
  sources: readonly string[];
  tiersEdited: boolean;
  rulesSaved: boolean;
}

export interface WelcomeStep {
  id: 'site' | 'data' | 'rules';
  title: string;
  done: boolean;
  /** The state in words, starting "Done:" or "Not yet:". */
  state: string;
}

function list(names: readonly string[]): string {
  if (names.length <= 3) return names.join(', ');
  return `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`;
}

export function welcomeSteps(f: WelcomeFacts): WelcomeStep[] {
  const siteDone = f.enabledSites.length > 0 || f.customSites > 0;
  const own = !f.sampleLoaded && f.customers > 0;
  const dataDone = own || f.sources.length > 0;
  const rulesDone = f.tiersEdited || f.rulesSaved;
  return [
    {
      id: 'site',
      title: 'Turn on your CRM or helpdesk site',
      done: siteDone,
      state: siteDone
        ? `Done: Centric is on for ${f.enabledSites.length > 0 ? list(f.enabledSites) : 'your own sites'}${f.enabledSites.length > 0 && f.customSites > 0 ? ' and your own sites' : ''}.`
        : 'Not yet: Centric is not on for any CRM or helpdesk site (only the demo helpdesk).',
    },
    {
      id: 'data',
      title: 'Bring your data',
      done: dataDone,
      state: own
        ? `Done: ${f.customers.toLocaleString('en-US')} customers of your own are in the store.`
        : f.sources.length > 0
          ? `Done: your team’s source ${list(f.sources)} is set up${f.sampleLoaded ? ' (the local data is still the sample)' : ''}.`
          : f.sampleLoaded
            ? 'Not yet: the data is still the bundled sample.'
            : 'Not yet: there are no customers in the store.',
    },
    {
      id: 'rules',
      title: 'Set your tiers and treatment rules',
      done: rulesDone,
      state: rulesDone
        ? `Done: you set ${f.tiersEdited && f.rulesSaved ? 'the tiers and the treatment rules' : f.tiersEdited ? 'the tiers' : 'the treatment rules'}.`
        : 'Not yet: the default tiers and treatment rules are in use.',
    },
  ];
}
