// The sidebar on zendesk pages (one content script per site: a page loads only its own adapter).
// Zendesk's own API (with the agent's session, same origin) corrects the page's reading (issue 17).
import { defineSidebarScript } from '~/lib/content/sidebar-script';
import { zendeskApi } from '~/lib/host-api/zendesk';
import { withHostApi } from '~/lib/sidebar/host-api';
import { zendesk } from '~/lib/sites/zendesk';

export default defineSidebarScript(zendesk, { resolve: withHostApi(zendeskApi) });
