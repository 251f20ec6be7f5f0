// The sidebar on freshdesk pages (one content script per site: a page loads only its own adapter).
// Freshdesk's own API (with the agent's session, same origin) corrects the page's reading (issue 17).
import { defineSidebarScript } from '~/lib/content/sidebar-script';
import { freshdeskApi } from '~/lib/host-api/freshdesk';
import { withHostApi } from '~/lib/sidebar/host-api';
import { freshdesk } from '~/lib/sites/freshdesk';

export default defineSidebarScript(freshdesk, { resolve: withHostApi(freshdeskApi) });
