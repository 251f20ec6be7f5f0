import { demoHelpdesk } from './demo';
import type { CustomDomain } from './enablement';
import { freshdesk } from './freshdesk';
import { front } from './front';
import { gmail } from './gmail';
import { gorgias } from './gorgias';
import { helpscout } from './helpscout';
import { hubspot } from './hubspot';
import { intercom } from './intercom';
import { pipedrive } from './pipedrive';
import { salesforce } from './salesforce';
import { shopify } from './shopify';
import { matchesAny } from './patterns';
import type { SiteAdapter } from './types';
import { zendesk } from './zendesk';
import { zoho } from './zoho';

export { matchPatternToRegExp } from './patterns';

/** Every built-in adapter. Adding a host: docs/adding-a-host.md (the adapter, this line, `entrypoints/<id>.content.ts` named after the id, its layout entry, evidence, fixtures and tests; tests/unit/house/hosts.test.ts checks). */
export const SITE_ADAPTERS: readonly SiteAdapter[] = [
  demoHelpdesk,
  zendesk,
  salesforce,
  hubspot,
  freshdesk,
  intercom,
  pipedrive,
  gorgias,
  shopify,
  helpscout,
  zoho,
  front,
  gmail,
];

/** The demo helpdesk runs on 127.0.0.1 and localhost, granted at install (the only required hosts). */
export const DEMO_PATTERNS = demoHelpdesk.matches;

/** The adapter that reads this URL: by its built-in patterns, else by a custom domain; undefined on an unrelated site. */
export function adapterFor(
  url: URL,
  customDomains: readonly CustomDomain[] = [],
  adapters: readonly SiteAdapter[] = SITE_ADAPTERS,
): SiteAdapter | undefined {
  const builtIn = adapters.find((adapter) => matchesAny(url, adapter.matches));
  if (builtIn) return builtIn;
  const custom = customDomains.find((c) => c.domain === url.hostname);
  return custom ? adapters.find((a) => a.id === custom.adapterId) : undefined;
}
