/**
 * The extension pages' Content Security Policy (options, popup, history, the background and the
 * workers), stricter than the browsers' defaults (docs/security.md):
 * - scripts only from the extension's own files: no remote code, no eval or new Function, no inline script;
 * - network only to https: (a manager's lookup service or score file) and plain http: on this computer
 *   (lib/sources/url.ts allows nothing else), never to another page's plain http;
 * - no plugins, no <base> tricks, no form posts, styles and images from the extension only (data: for
 *   the images Chart.js makes).
 */
export const EXTENSION_PAGES_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "object-src 'none'",
  "connect-src 'self' https: http://127.0.0.1:* http://localhost:*",
  "img-src 'self' data: blob:",
  "style-src 'self'",
  "font-src 'self'",
  "worker-src 'self'",
  "frame-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/**
 * Firefox's identity of the add-on and its data-collection declaration: Centric sends nothing to its
 * makers. A lookup service or score file that a manager configures is the team's own server, asked
 * only for the customers on the pages an agent opens (docs/security.md, "Privacy").
 */
export const GECKO_SETTINGS = {
  id: 'centric@centric.example',
  data_collection_permissions: { required: ['none'] },
} as const;
