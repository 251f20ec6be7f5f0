import '~/lib/security/zod-jitless'; // first: zod must not compile with new Function (extension CSP)
import '~/components/page.css';
import './popup.css';
import { render } from 'preact';
import { PopupApp } from './PopupApp';

render(<PopupApp />, document.getElementById('app')!);
