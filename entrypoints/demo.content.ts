// The sidebar on the demo helpdesk (one content script per site: a page loads only its own adapter).
// The demo's hosts are the only ones granted at install.
import { defineSidebarScript } from '~/components/sidebar/content-script';
import { demoHelpdesk } from '~/lib/sites/demo';

export default defineSidebarScript(demoHelpdesk, { requiredMatches: demoHelpdesk.matches });
