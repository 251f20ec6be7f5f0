// The sidebar on pipedrive pages (one content script per site: a page loads only its own adapter).
import { defineSidebarScript } from '~/lib/content/sidebar-script';
import { pipedrive } from '~/lib/sites/pipedrive';

export default defineSidebarScript(pipedrive);
