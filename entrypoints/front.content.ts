// The sidebar on front pages (one content script per site: a page loads only its own adapter).
import { defineSidebarScript } from '~/lib/content/sidebar-script';
import { front } from '~/lib/sites/front';

export default defineSidebarScript(front);
