/**
 * Every built-in host is whole (docs/adding-a-host.md): one folder, lib/sites/hosts/<id>/, and one
 * registry line; its content script is generated from the folder; a half-added host cannot land.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SITE_LAYOUTS } from '~/lib/sites/layout';
import { LIST_READERS } from '~/lib/sites/lists/registry';
import { SITE_ADAPTERS } from '~/lib/sites/registry';
import { HOSTS_DIR, hostIds, hostScriptText, writeHostContentScripts } from '../../../scripts/host-content-scripts';

const ROOT = process.cwd();
const folders = hostIds(ROOT);
const missing = (path: string) => !existsSync(join(ROOT, path));
const adapterModules = import.meta.glob<Record<string, unknown>>('../../../lib/sites/hosts/*/adapter.ts', { eager: true });
const apiModules = import.meta.glob<Record<string, unknown>>('../../../lib/sites/hosts/*/api.ts', { eager: true });
const moduleOf = (modules: Record<string, Record<string, unknown>>, id: string, file: string) => modules[`../../../${HOSTS_DIR}/${id}/${file}`];

describe('every built-in host has its parts (docs/adding-a-host.md)', () => {
  it('each host folder is one registered adapter, and each registered adapter (the demo aside) has its folder', () => {
    expect(folders.length).toBeGreaterThanOrEqual(12);
    expect(SITE_ADAPTERS.map((a) => a.id).filter((id) => id !== 'demo').sort()).toEqual(folders);
  });

  it.each(folders)('%s', (id) => {
    const adapter = SITE_ADAPTERS.find((a) => a.id === id)!;
    // The adapter the folder exports under its id is the one registered (the generated script mounts it).
    expect(moduleOf(adapterModules, id, 'adapter.ts')?.[id], `${HOSTS_DIR}/${id}/adapter.ts exports ${id}`).toBe(adapter);
    if (existsSync(join(ROOT, HOSTS_DIR, id, 'api.ts'))) expect(moduleOf(apiModules, id, 'api.ts')?.[`${id}Api`], `${HOSTS_DIR}/${id}/api.ts exports ${id}Api`).toBeDefined();
    // A list reader, where the host has one, is in the folder and registered for the adapter's id.
    const hasList = existsSync(join(ROOT, HOSTS_DIR, id, 'list.ts'));
    expect(LIST_READERS.some((r) => r.id === id), 'list reader registered').toBe(hasList);
    const parts = [`docs/hosts/${id}.md`, `tests/fixtures/hosts/${id}/cases.json`, `tests/unit/sites/${id}.test.ts`];
    expect(parts.filter(missing), 'files').toEqual([]);
    expect(SITE_LAYOUTS[id], 'layout entry in lib/sites/layout.ts').toBeDefined();
    expect(adapter.definition?.version, 'a versioned definition').toBeGreaterThanOrEqual(1);
    expect(typeof adapter.recordOf, 'recordOf').toBe('function');
  });

  it('generates one content script per folder, named after it, mounting its adapter (and its API where it has one)', () => {
    const scripts = writeHostContentScripts(ROOT);
    expect(scripts.map((s) => s.name)).toEqual(folders);
    const zendesk = readFileSync(scripts.find((s) => s.name === 'zendesk')!.inputPath, 'utf8');
    expect(zendesk).toContain('export default defineSidebarScript(zendesk, { resolve: withHostApi(zendeskApi) });');
    expect(readFileSync(scripts.find((s) => s.name === 'gmail')!.inputPath, 'utf8')).toContain('export default defineSidebarScript(gmail);');
    expect(() => hostScriptText('Help Scout', false)).toThrow(/named by its adapter id/);
  });
});
