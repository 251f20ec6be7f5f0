import { demoHelpdesk } from './demo';
import type { CustomDomain } from './enablement';
import { freshdesk } from './hosts/freshdesk/adapter';
import { front } from './hosts/front/adapter';
import { gmail } from './hosts/gmail/adapter';
import { gorgias } from './hosts/gorgias/adapter';
import { helpscout } from './hosts/helpscout/adapter';
import { hubspot } from './hosts/hubspot/adapter';
import { intercom } from './hosts/intercom/adapter';
import { pipedrive } from './hosts/pipedrive/adapter';
import { salesforce } from './hosts/salesforce/adapter';
import { shopify } from './hosts/shopify/adapter';
import { matchesAny } from './patterns';
import type { SiteAdapter } from './types';
import { zendesk } from './hosts/zendesk/adapter';
import { zoho } from './hosts/zoho/adapter';

export { matchPatternToRegExp } from './patterns';

/** Every built-in adapter. Adding a host: docs/adding-a-host.md (its folder lib/sites/hosts/<id>/, this line, its layout entry, evidence, fixtures and tests; its content script is generated from the folder; tests/unit/house/hosts.test.ts checks). */
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
