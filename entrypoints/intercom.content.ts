// The sidebar on intercom pages (one content script per site: a page loads only its own adapter).
import { defineSidebarScript } from '~/lib/content/sidebar-script';
import { intercom } from '~/lib/sites/intercom';

export default defineSidebarScript(intercom);
