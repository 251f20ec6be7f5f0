// The sidebar on pipedrive pages (one content script per site: a page loads only its own adapter).
import { defineSidebarScript } from '~/components/sidebar/content-script';
import { pipedrive } from '~/lib/sites/pipedrive';

export default defineSidebarScript(pipedrive);
