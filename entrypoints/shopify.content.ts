// The sidebar on shopify pages (one content script per site: a page loads only its own adapter).
import { defineSidebarScript } from '~/lib/content/sidebar-script';
import { shopify } from '~/lib/sites/shopify';

export default defineSidebarScript(shopify);
