import { browser } from 'wxt/browser';
import { type Request, type ResponseOf, responseSchemas } from './schema';

/**
 * Sends a request to the background and validates its answer. Used by the content script, the popup
 * and the options page. Throws an Error with a readable message when the answer is malformed or the
 * background is unreachable.
 */
export async function ask<T extends Request>(request: T): Promise<ResponseOf[T['type']]> {
  const answer: unknown = await browser.runtime.sendMessage(request);
  const parsed = responseSchemas[request.type].safeParse(answer);
  if (!parsed.success) {
    throw new Error(`Centric's background gave an unexpected answer to "${request.type}".`);
  }
  return parsed.data as ResponseOf[T['type']];
}
