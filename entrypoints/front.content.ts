// The sidebar on front pages (one content script per site: a page loads only its own adapter).
import { defineSidebarScript } from '~/components/sidebar/content-script';
import { front } from '~/lib/sites/front';

export default defineSidebarScript(front);
