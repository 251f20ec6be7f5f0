// The sidebar on pipedrive pages (one content script per site: a page loads only its own adapter).
import { defineSidebarScript } from '~/components/sidebar/content-script';
import { pipedriveList } from '~/lib/sites/lists/pipedrive';
import { pipedrive } from '~/lib/sites/pipedrive';

export default defineSidebarScript(pipedrive, undefined, pipedriveList);
