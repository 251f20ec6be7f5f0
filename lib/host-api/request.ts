/**
 * One GET to a host app's own JSON API from the content script: only to the page's own origin, with
 * the page's session (`credentials: 'same-origin'`, no other credentials or headers than
 * `Accept: application/json`), no redirects followed, a deadline, and a bound on the answer's size.
 * Never throws: every failure is said in words.
 */
export type FetchFn = (input: string, init: RequestInit) => Promise<Response>;

export type JsonAnswer = { ok: true; json: unknown } | { ok: false; problem: string; transient?: boolean };

export interface GetJsonOptions {
  /** The app's name, for the words of a failure ("Zendesk’s API …"). */
  app: string;
  /** Stops the request (the page went away); the deadline stops it too. */
  signal?: AbortSignal;
  timeoutMs?: number;
  /** The browser's fetch by default; a fake one in tests. */
  fetchFn?: FetchFn;
}

/** Larger answers are refused unread (a ticket with its users is a few kilobytes). */
export const MAX_ANSWER_CHARS = 1_000_000;

const STATUS_WORDS: Record<number, string> = {
  401: 'refused: you are signed out',
  403: 'refused: not allowed for your role',
  404: 'does not know this record',
  429: 'is busy (too many requests)',
};

export async function getSameOriginJson(origin: string, path: string, options: GetJsonOptions): Promise<JsonAnswer> {
  const { app, signal, timeoutMs = 8000 } = options;
  const fetchFn = options.fetchFn ?? ((input, init) => fetch(input, init));
  const no = (words: string, transient?: boolean): JsonAnswer => ({ ok: false, problem: `${app}’s API ${words}.`, transient });
  const url = new URL(path, origin);
  if (!path.startsWith('/') || path.startsWith('//') || url.origin !== origin) return no('was not asked: the address is not the page’s own');
  const controller = new AbortController();
  const stop = () => controller.abort();
  const timer = setTimeout(stop, timeoutMs);
  signal?.addEventListener('abort', stop, { once: true });
  try {
    const response = await fetchFn(url.href, {
      method: 'GET',
      credentials: 'same-origin',
      headers: { Accept: 'application/json' },
      redirect: 'manual',
      signal: controller.signal,
    });
    const status = response.status;
    if (response.type === 'opaqueredirect' || (status >= 300 && status < 400)) return no('sent Centric elsewhere (a sign-in page?)');
    if (!response.ok) {
      const transient = status === 429 || status >= 500;
      return no(`${STATUS_WORDS[status] ?? (transient ? 'failed' : 'refused')} (HTTP ${status})`, transient);
    }
    const tooLarge = 'answered with more data than a record has';
    if (Number(response.headers.get('content-length')) > MAX_ANSWER_CHARS) return no(tooLarge);
    const text = await response.text();
    if (text.length > MAX_ANSWER_CHARS) return no(tooLarge);
    if (/html/i.test(response.headers.get('content-type') ?? '') || /^\s*</.test(text)) return no('answered with a web page (a sign-in page?), not data');
    try {
      return { ok: true, json: JSON.parse(text) as unknown };
    } catch {
      return no('answered with something that is not JSON');
    }
  } catch {
    if (signal?.aborted) return no('was not asked to finish: the page moved on', true);
    return no(controller.signal.aborted ? `did not answer within ${timeoutMs / 1000} s` : 'could not be reached', true);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', stop);
  }
}
