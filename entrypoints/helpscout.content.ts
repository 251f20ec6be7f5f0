// The sidebar on helpscout pages (one content script per site: a page loads only its own adapter).
import { defineSidebarScript } from '~/components/sidebar/content-script';
import { helpscout } from '~/lib/sites/helpscout';

export default defineSidebarScript(helpscout);
