// The sidebar on gorgias pages (one content script per site: a page loads only its own adapter).
import { defineSidebarScript } from '~/components/sidebar/content-script';
import { gorgias } from '~/lib/sites/gorgias';

export default defineSidebarScript(gorgias);
