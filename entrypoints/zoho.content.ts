// The sidebar on zoho pages (one content script per site: a page loads only its own adapter).
import { defineSidebarScript } from '~/components/sidebar/content-script';
import { zoho } from '~/lib/sites/zoho';

export default defineSidebarScript(zoho);
