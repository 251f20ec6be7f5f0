import { browser } from 'wxt/browser';
import { isLookupResult } from './guards';
import type { IdentityMessage, LookupResult } from './schema';

/** The content script's one request: who is this customer? (No zod here: see ./guards.ts.) */
export async function askLookup(identity: IdentityMessage): Promise<LookupResult> {
  const answer: unknown = await browser.runtime.sendMessage({ type: 'lookup', identity });
  if (!isLookupResult(answer)) throw new Error('Centric’s background gave an unexpected answer.');
  return answer;
}
