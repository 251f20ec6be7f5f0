// The sidebar on the demo helpdesk (one content script per site: a page loads only its own adapter).
// The demo's hosts are the only ones granted at install.
import { defineSidebarScript } from '~/lib/content/sidebar-script';
import { demoHelpdesk } from '~/lib/sites/demo';

export default defineSidebarScript(demoHelpdesk, { requiredMatches: demoHelpdesk.matches });
