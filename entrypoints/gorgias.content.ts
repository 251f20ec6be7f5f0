// The sidebar on gorgias pages (one content script per site: a page loads only its own adapter).
// Gorgias's own API (with the agent's session, same origin) corrects the page's reading (issue 17).
import { defineSidebarScript } from '~/lib/content/sidebar-script';
import { gorgiasApi } from '~/lib/host-api/gorgias';
import { withHostApi } from '~/lib/sidebar/host-api';
import { gorgias } from '~/lib/sites/gorgias';

export default defineSidebarScript(gorgias, { resolve: withHostApi(gorgiasApi) });
