// The sidebar on zoho pages (one content script per site: a page loads only its own adapter).
import { defineSidebarScript } from '~/lib/content/sidebar-script';
import { zoho } from '~/lib/sites/zoho';

export default defineSidebarScript(zoho);
