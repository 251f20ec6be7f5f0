// The sidebar on shopify pages (one content script per site: a page loads only its own adapter).
import { defineSidebarScript } from '~/components/sidebar/content-script';
import { shopify } from '~/lib/sites/shopify';

export default defineSidebarScript(shopify);
