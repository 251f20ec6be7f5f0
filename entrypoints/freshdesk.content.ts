// The sidebar on freshdesk pages (one content script per site: a page loads only its own adapter).
import { defineSidebarScript } from '~/components/sidebar/content-script';
import { freshdesk } from '~/lib/sites/freshdesk';

export default defineSidebarScript(freshdesk);
