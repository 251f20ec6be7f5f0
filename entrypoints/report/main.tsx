/** The customer-equity report: an extension page of its own (report.html), opened from Options and the popup. */
import '~/lib/security/zod-jitless'; // first: zod must not compile with new Function (extension CSP)
import '~/components/page.css';
import '~/components/options/dashboard/dashboard.css';
import './report.css';
import { render } from 'preact';
import { ReportPage } from '~/components/report/ReportPage';
import { CentricDb } from '~/lib/db/db';

render(<ReportPage db={new CentricDb()} />, document.getElementById('app')!);
