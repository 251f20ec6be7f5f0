/**
 * The connection to the team service (issue 19; docs/team.md): its address and a personal token, set
 * in Options → Team or by the managed policy (`teamUrl`, and optionally `teamToken`; the policy's
 * address wins, and a policy address without a token takes the token from Options). Pure: extension
 * pages and the background read it; the token never goes to a content script or a page.
 */
import { addressProblems } from '../sources/url';

export interface TeamSetting {
  url: string;
  token: string;
}

export interface TeamConnection {
  /** The service's base address, without a trailing slash (e.g. https://centric.example.com). */
  url: string;
  token: string;
  /** Where the address came from: the managed policy (not editable in Options) or Options → Team. */
  from: 'policy' | 'options';
}

/** A personal token as `centric serve token create` prints it. */
export const TOKEN_PATTERN = /^ctk_[A-Za-z0-9_-]{20,100}$/;

/** The stored Options → Team value, or undefined when it is not a usable shape. */
export function teamSettingFrom(stored: unknown): TeamSetting | undefined {
  if (typeof stored !== 'object' || stored === null) return undefined;
  const { url, token } = stored as Record<string, unknown>;
  if (typeof url !== 'string' || typeof token !== 'string' || url.trim() === '') return undefined;
  return { url: url.trim(), token: token.trim() };
}

/** What is wrong with a service address (https:, or http: on this computer only; no path tricks). */
export function teamUrlProblems(url: string): string[] {
  const problems = addressProblems(url, false);
  if (problems.length > 0) return problems;
  const parsed = new URL(url.trim());
  if (parsed.search || parsed.hash) return ['Give the service address only, without ? or # (e.g. https://centric.example.com).'];
  if (parsed.username || parsed.password) return ['Leave the user name and password out of the address: the token says who you are.'];
  return [];
}

/** What is wrong with a token as typed. */
export function teamTokenProblems(token: string): string[] {
  const text = token.trim();
  if (text === '') return ['Paste the personal token an administrator gave you (it starts with ctk_).'];
  if (!TOKEN_PATTERN.test(text)) return ['This is not a Centric token: it starts with ctk_ followed by letters, digits, - and _ (copy it whole).'];
  return [];
}

/** The address without a trailing slash. */
export function baseAddress(url: string): string {
  return url.trim().replace(/\/+$/, '');
}

/**
 * The connection in force: the policy's address (with its token, or else the one from Options), or
 * the one set in Options; null when there is none or it is unusable.
 */
export function teamConnection(setting: TeamSetting | undefined, policy: { teamUrl?: string | undefined; teamToken?: string | undefined }): TeamConnection | null {
  if (policy.teamUrl) {
    const token = policy.teamToken ?? setting?.token;
    if (!token || teamUrlProblems(policy.teamUrl).length > 0) return null;
    return { url: baseAddress(policy.teamUrl), token, from: 'policy' };
  }
  if (!setting || teamUrlProblems(setting.url).length > 0 || teamTokenProblems(setting.token).length > 0) return null;
  return { url: baseAddress(setting.url), token: setting.token, from: 'options' };
}
