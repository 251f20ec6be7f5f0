/** The welcome page (welcome.html), opened once on install by the background. Wiring only. */
import '~/lib/security/zod-jitless'; // first: zod must not compile with new Function (extension CSP)
import '~/components/page.css';
import './welcome.css';
import { render } from 'preact';
import { WelcomePage } from '~/components/welcome/WelcomePage';
import { CentricDb } from '~/lib/db/db';

render(<WelcomePage db={new CentricDb()} />, document.getElementById('app')!);
