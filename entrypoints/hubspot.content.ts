// The sidebar on hubspot pages (one content script per site: a page loads only its own adapter).
import { defineSidebarScript } from '~/lib/content/sidebar-script';
import { hubspot } from '~/lib/sites/hubspot';

export default defineSidebarScript(hubspot);
