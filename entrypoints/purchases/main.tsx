/**
 * The sidebar's purchase-history chart: an extension page shown in an iframe inside the sidebar
 * only when a person opens "Purchase history", so Chart.js never enters a host page's content script.
 */
import '~/lib/security/zod-jitless'; // first: zod must not compile with new Function (extension CSP)
import '~/components/page.css';
import './purchases.css';
import { render } from 'preact';
import { HistoryChart } from '~/components/history/HistoryChart';

const customerId = new URLSearchParams(location.search).get('customer') ?? '';
render(<HistoryChart customerId={customerId} />, document.getElementById('app')!);
