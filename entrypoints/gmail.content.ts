// The sidebar on gmail pages (one content script per site: a page loads only its own adapter).
import { defineSidebarScript } from '~/lib/content/sidebar-script';
import { gmail } from '~/lib/sites/gmail';

export default defineSidebarScript(gmail);
