/** HTML of the demo helpdesk's pages. Every value is escaped: customer data is text, never markup. */
import type { CustomerWithValue } from '../lib/db/records';
import type { DemoTicket } from './data';

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="application-name" content="Centric demo helpdesk">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Demo Helpdesk</title>
<style>
  body { margin: 0; font: 15px/1.5 system-ui, sans-serif; color: #1f2328; background: #f3f4f6; }
  .top { display: flex; gap: 20px; align-items: center; padding: 10px 24px; background: #1f2937; color: #fff; }
  .top a { color: #e5e7eb; text-decoration: none; } .top a[aria-current] { color: #fff; font-weight: 700; }
  .logo { font-weight: 800; letter-spacing: .5px; }
  main { max-width: 880px; margin: 24px 360px 24px 24px; }
  table { width: 100%; border-collapse: collapse; background: #fff; }
  th, td { text-align: left; padding: 8px 10px; border-bottom: 1px solid #e5e7eb; }
  .ticket { display: grid; grid-template-columns: 1fr 240px; gap: 24px; }
  .conversation, [data-requester] { background: #fff; border: 1px solid #e5e7eb; border-radius: 8px; padding: 16px; }
  .badge { padding: 1px 8px; border-radius: 10px; background: #e5e7eb; font-size: 12px; }
  .requester-email { display: block; color: #57606a; font-size: 13px; }
</style>
</head>
<body>
<nav class="top"><span class="logo">Demo Helpdesk</span>
<a href="/tickets"${title === 'Tickets' ? ' aria-current="page"' : ''}>Tickets</a>
<a href="/customers"${title === 'Customers' ? ' aria-current="page"' : ''}>Customers</a></nav>
${body}
</body>
</html>`;
}

export function ticketListPage(tickets: readonly DemoTicket[]): string {
  const rows = tickets
    .map(
      (t) => `<tr data-ticket-row="${t.id}"><td>#${t.id}</td><td><a href="/tickets/${t.id}">${escapeHtml(t.subject)}</a></td>
<td><span class="requester-name">${escapeHtml(t.requester.name)}</span><span class="requester-email">${escapeHtml(t.requester.email)}</span></td><td><span class="badge">${t.status}</span></td><td>${t.updated}</td></tr>`,
    )
    .join('\n');
  return layout(
    'Tickets',
    `<main><h1>Tickets</h1><table><thead><tr><th>ID</th><th>Subject</th><th>Requester</th><th>Status</th><th>Updated</th></tr></thead>
<tbody>${rows}</tbody></table></main>`,
  );
}

export function ticketPage(ticket: DemoTicket): string {
  const { requester } = ticket;
  return layout(
    `#${ticket.id} ${ticket.subject}`,
    `<main class="ticket" data-ticket-id="${ticket.id}">
<section class="conversation"><h1>${escapeHtml(ticket.subject)}</h1>
<p><span class="badge">${ticket.status}</span> · ticket #${ticket.id} · updated ${ticket.updated}</p>
<article><p><strong>${escapeHtml(requester.name)}</strong> wrote:</p><p>${escapeHtml(ticket.message)}</p></article></section>
<aside data-requester aria-label="Requester"><h2>Requester</h2>
<p class="requester-name">${escapeHtml(requester.name)}</p>
<p><a class="requester-email" href="mailto:${escapeHtml(requester.email)}">${escapeHtml(requester.email)}</a></p>
${requester.company ? `<p class="requester-company">${escapeHtml(requester.company)}</p>` : ''}
</aside></main>`,
  );
}

export function customerListPage(customers: readonly CustomerWithValue[]): string {
  const rows = customers
    .slice(0, 200)
    .map(
      (c) => `<tr data-customer-row="${escapeHtml(c.id)}"><td><span class="customer-name">${escapeHtml(c.name)}</span></td><td class="customer-email">${escapeHtml(c.emails[0] ?? '')}</td>
<td class="customer-company">${escapeHtml(c.company ?? '')}</td><td>${c.facts.orders}</td></tr>`,
    )
    .join('\n');
  return layout(
    'Customers',
    `<main><h1>Customers</h1><p>The first 200 of ${customers.length} customers.</p>
<table><thead><tr><th>Name</th><th>Email</th><th>Company</th><th>Orders</th></tr></thead><tbody>${rows}</tbody></table></main>`,
  );
}

export function notFoundPage(): string {
  return layout('Not found', '<main><h1>Not found</h1><p><a href="/tickets">Back to tickets</a></p></main>');
}
