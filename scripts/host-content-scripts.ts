/**
 * The content script of every built-in host, generated from its folder (issue 18: a host is one
 * folder and one registry line, docs/adding-a-host.md). For each `lib/sites/hosts/<id>/`, whose
 * `adapter.ts` exports the adapter as `<id>` and, where the host's own API is asked, whose `api.ts`
 * exports it as `<id>Api`, this writes `.wxt/host-scripts/<id>.content.ts`; wxt.config.ts adds them
 * to the build (hook `entrypoints:found`) as the content scripts `content-scripts/<id>.js` that the
 * background registers for the hosts a person turns on. The script's name is the folder's by
 * construction, so it cannot drift from the adapter id (tests/unit/house/hosts.test.ts checks the
 * adapter's id is its folder's).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const HOSTS_DIR = 'lib/sites/hosts';
export const GENERATED_DIR = '.wxt/host-scripts';

/** The source of one host's content script. */
export function hostScriptText(id: string, hasApi: boolean): string {
  if (!/^[a-z][a-z0-9]*$/.test(id)) throw new Error(`${HOSTS_DIR}/${id}: a host folder is named by its adapter id, lower-case letters and digits (e.g. zendesk)`);
  const lines = [
    `// Generated from ${HOSTS_DIR}/${id}/ by scripts/host-content-scripts.ts: do not edit (docs/adding-a-host.md).`,
    `// The sidebar on ${id} pages: a page loads only its own host's adapter${hasApi ? ', and the host’s own API corrects the page’s reading' : ''}.`,
    `import { defineSidebarScript } from '~/lib/content/sidebar-script';`,
    `import { ${id} } from '~/${HOSTS_DIR}/${id}/adapter';`,
  ];
  if (hasApi) lines.push(`import { withHostApi } from '~/lib/sidebar/host-api';`, `import { ${id}Api } from '~/${HOSTS_DIR}/${id}/api';`);
  lines.push('', hasApi ? `export default defineSidebarScript(${id}, { resolve: withHostApi(${id}Api) });` : `export default defineSidebarScript(${id});`, '');
  return lines.join('\n');
}

/** The host folders' ids, sorted. */
export function hostIds(root: string): string[] {
  const dir = join(root, HOSTS_DIR);
  return readdirSync(dir)
    .filter((name) => statSync(join(dir, name)).isDirectory())
    .sort();
}

/** Writes each host's content script (only when its text changed) and returns where they are. */
export function writeHostContentScripts(root: string): { name: string; inputPath: string }[] {
  const out = join(root, GENERATED_DIR);
  mkdirSync(out, { recursive: true });
  return hostIds(root).map((id) => {
    const text = hostScriptText(id, existsSync(join(root, HOSTS_DIR, id, 'api.ts')));
    const inputPath = join(out, `${id}.content.ts`);
    if (!existsSync(inputPath) || readFileSync(inputPath, 'utf8') !== text) writeFileSync(inputPath, text);
    return { name: id, inputPath };
  });
}
