// The browser's side panel (Chrome side_panel, Firefox sidebar_action; issue 17): the sidebar of the
// tab it shows (components/sidepanel/SidePanelApp.tsx).
import '~/lib/security/zod-jitless'; // first: zod must not compile with new Function (extension CSP)
// The extension pages' look first (as on every page: Vite then keeps page.css in the chunk all pages
// share, loaded before each page's own CSS), then the sidebar's own.
import '~/components/page.css';
import '~/components/sidebar/sidebar.css';
import './sidepanel.css';
import { render } from 'preact';
import { SidePanelApp } from '~/components/sidepanel/SidePanelApp';

render(<SidePanelApp />, document.getElementById('app')!);
