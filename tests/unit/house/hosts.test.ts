/** Every built-in host is whole (docs/adding-a-host.md): a half-added host cannot land. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SITE_LAYOUTS } from '~/lib/sites/layout';
import { SITE_ADAPTERS } from '~/lib/sites/registry';

const ROOT = process.cwd();
const hosts = SITE_ADAPTERS.map((a) => a.id).filter((id) => id !== 'demo');
const missing = (path: string) => !existsSync(join(ROOT, path));

describe('every built-in host has its parts (docs/adding-a-host.md)', () => {
  it.each(hosts)('%s', (id) => {
    const adapter = SITE_ADAPTERS.find((a) => a.id === id)!;
    const parts = [`lib/sites/${id}.ts`, `entrypoints/${id}.content.ts`, `docs/hosts/${id}.md`, `tests/fixtures/hosts/${id}/cases.json`, `tests/unit/sites/${id}.test.ts`];
    expect(parts.filter(missing), 'files').toEqual([]);
    // The content script is named after the adapter and mounts that adapter.
    expect(readFileSync(join(ROOT, `entrypoints/${id}.content.ts`), 'utf8')).toMatch(new RegExp(`defineSidebarScript\\(${id}\\b`));
    expect(SITE_LAYOUTS[id], 'layout entry in lib/sites/layout.ts').toBeDefined();
    expect(adapter.definition?.version, 'a versioned definition').toBeGreaterThanOrEqual(1);
    expect(typeof adapter.recordOf, 'recordOf').toBe('function');
  });
});
