/**
 * "Check now" for the site definitions file (issue 17): answered for the extension's own pages only,
 * never for a content script on a host page (which must not start downloads).
 */
import { describe, expect, it } from 'vitest';
import { CentricDb } from '~/lib/db/db';
import { handleRequest, RefusedMessage } from '~/lib/messages/handler';

const OWN_ID = 'centric-test-id';
const db = new CentricDb('centric-check-site-definitions');
const message = { type: 'check-site-definitions' };
const checked = { ok: true, message: 'The definitions file has not changed since the last check.' };

describe('check-site-definitions', () => {
  it('runs the check for an extension page and says what happened', async () => {
    let runs = 0;
    const options = { checkSiteDefinitions: async () => (runs++, checked) };
    expect(await handleRequest(db, message, { id: OWN_ID, url: `chrome-extension://${OWN_ID}/options.html` }, OWN_ID, options)).toEqual(checked);
    expect(runs).toBe(1);
    expect(await handleRequest(db, message, { id: OWN_ID, url: `chrome-extension://${OWN_ID}/options.html` }, OWN_ID)).toEqual({ ok: false, message: 'Checking site definitions is not available here.' });
    const failing = { checkSiteDefinitions: async () => Promise.reject(new Error('storage is full')) };
    expect(await handleRequest(db, message, { id: OWN_ID, url: `chrome-extension://${OWN_ID}/options.html` }, OWN_ID, failing)).toEqual({ ok: false, message: 'The check failed: storage is full' });
  });

  it('refuses a content script on a host page, and anything from another extension', async () => {
    let runs = 0;
    const options = { checkSiteDefinitions: async () => (runs++, checked) };
    await expect(handleRequest(db, message, { id: OWN_ID, url: 'https://acme.zendesk.com/agent/tickets/1', tab: { id: 3 } }, OWN_ID, options)).rejects.toBeInstanceOf(RefusedMessage);
    await expect(handleRequest(db, message, { id: 'another-extension', url: 'chrome-extension://another-extension/x.html' }, OWN_ID, options)).rejects.toBeInstanceOf(RefusedMessage);
    expect(runs).toBe(0);
  });
});
