// The sidebar on helpscout pages (one content script per site: a page loads only its own adapter).
import { defineSidebarScript } from '~/lib/content/sidebar-script';
import { helpscout } from '~/lib/sites/helpscout';

export default defineSidebarScript(helpscout);
