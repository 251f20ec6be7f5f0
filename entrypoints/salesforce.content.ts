// The sidebar on salesforce pages (one content script per site: a page loads only its own adapter).
import { defineSidebarScript } from '~/lib/content/sidebar-script';
import { salesforce } from '~/lib/sites/salesforce';

export default defineSidebarScript(salesforce);
