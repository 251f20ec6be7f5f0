// The sidebar on intercom pages (one content script per site: a page loads only its own adapter).
import { defineSidebarScript } from '~/components/sidebar/content-script';
import { intercom } from '~/lib/sites/intercom';

export default defineSidebarScript(intercom);
