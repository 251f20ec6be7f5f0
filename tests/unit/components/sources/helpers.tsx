import { render } from 'preact';
import { act } from 'preact/test-utils';
import { vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { SourcesSection } from '~/components/options/sources/SourcesSection';
import type { SourcesConfig } from '~/lib/sources/config';
import { tick } from '../../../helpers/act';
import { SOURCES } from '~/lib/settings/items';

export { choose, click, tick, type } from '../../../helpers/act';

/** Renders the section and waits until it has read the sources. */
export async function mountSection(props: { undoMs?: number } = {}) {
  const root = document.createElement('div');
  document.body.append(root);
  await act(() => render(<SourcesSection {...props} />, root));
  for (let i = 0; i < 200 && root.querySelector('[data-testid="sources"]')?.getAttribute('data-state') === 'loading'; i++) await tick(5);
  const get = <T extends HTMLElement = HTMLElement>(testId: string, scope: ParentNode = root) => scope.querySelector<T>(`[data-testid="${testId}"]`);
  const all = <T extends HTMLElement = HTMLElement>(testId: string, scope: ParentNode = root) => [...scope.querySelectorAll<T>(`[data-testid="${testId}"]`)];
  const items = () => all('source-item');
  const ids = () => items().map((li) => li.getAttribute('data-source-id'));
  const item = (id: string) => {
    const found = items().find((li) => li.getAttribute('data-source-id') === id);
    if (!found) throw new Error(`No source item ${id}`);
    return found;
  };
  const precedence = () => all('precedence-item').map((li) => li.getAttribute('data-source-id'));
  const precedenceItem = (id: string) => {
    const found = all('precedence-item').find((li) => li.getAttribute('data-source-id') === id);
    if (!found) throw new Error(`No precedence item ${id}`);
    return found;
  };
  return { root, get, all, items, ids, item, precedence, precedenceItem, unmount: () => render(null, root) };
}

/** Waits until `check` holds (the section saves and re-reads asynchronously). */
export async function until(check: () => boolean | Promise<boolean>, what = 'the condition') {
  for (let i = 0; i < 400; i++) {
    if (await check()) return;
    await tick(5);
  }
  throw new Error(`Timed out waiting for ${what}`);
}

/** The configuration saved in storage.local (undefined when none is saved). */
export async function storedConfig(): Promise<SourcesConfig | undefined> {
  return (await fakeBrowser.storage.local.get(SOURCES.key))[SOURCES.key] as SourcesConfig | undefined;
}

/** Writes a configuration as if saved earlier (or by another tab). */
export async function storeConfig(config: unknown) {
  await fakeBrowser.storage.local.set({ [SOURCES.key]: config });
}

/**
 * The browser's host permissions, which WXT's fake browser does not implement: `granted` patterns are
 * held (a request for them is granted without asking, as browsers do); any other request is answered
 * with `answer` (and then held when granted).
 */
export function fakePermissions(options: { granted?: string[]; answer?: boolean } = {}) {
  const granted = new Set(options.granted ?? []);
  const contains = vi.spyOn(fakeBrowser.permissions, 'contains').mockImplementation((async (p: { origins?: string[] }) =>
    (p.origins ?? []).every((o) => granted.has(o))) as never);
  const request = vi.spyOn(fakeBrowser.permissions, 'request').mockImplementation((async (p: { origins?: string[] }) => {
    if ((p.origins ?? []).every((o) => granted.has(o))) return true;
    if (options.answer !== true) return false;
    for (const o of p.origins ?? []) granted.add(o);
    return true;
  }) as never);
  return { contains, request, granted };
}

/** The text of the inline error of a field (what its aria-describedby points to, ending in -error). */
export function errorOf(field: HTMLElement | null): string | null {
  if (!field) throw new Error('No field');
  const ids = (field.getAttribute('aria-describedby') ?? '').split(' ').filter((id) => id.endsWith('-error'));
  return ids.map((id) => document.getElementById(id)?.textContent ?? '').join(' ') || null;
}

export const ACME = {
  id: 'acme',
  kind: 'lookup-service',
  name: 'Acme warehouse API',
  enabled: true,
  urlTemplate: 'https://api.acme.example/v1/customers/{email}?api_key=k3y-in-url',
  headers: [{ name: 'Authorization', value: 'Bearer s3cr3t-token' }],
  format: { kind: 'centric' },
  timeoutMs: 3000,
  retries: 0,
  ratePerMinute: 60,
  ttlSeconds: 3600,
  staleSeconds: 86_400,
} as const;

export const SHARED = {
  id: 'shared',
  kind: 'score-file',
  name: 'Shared scores',
  enabled: true,
  url: 'https://files.example.com/scores.csv',
  format: 'auto',
  syncMinutes: 60,
  headers: [],
} as const;

export function configWith(sources: unknown[], precedence: string[] = ['local']): SourcesConfig {
  return { version: 1, sources, precedence } as SourcesConfig;
}
