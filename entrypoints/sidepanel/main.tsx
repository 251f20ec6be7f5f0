// The browser's side panel (Chrome side_panel, Firefox sidebar_action; issue 17): the sidebar of the
// tab it shows (components/sidepanel/SidePanelApp.tsx).
import '~/lib/security/zod-jitless'; // first: zod must not compile with new Function (extension CSP)
import '~/components/sidebar/sidebar.css';
import './sidepanel.css';
import { render } from 'preact';
import { SidePanelApp } from '~/components/sidepanel/SidePanelApp';

render(<SidePanelApp />, document.getElementById('app')!);
