// The sidebar on zendesk pages (one content script per site: a page loads only its own adapter).
import { defineSidebarScript } from '~/components/sidebar/content-script';
import { zendesk } from '~/lib/sites/zendesk';

export default defineSidebarScript(zendesk);
