/**
 * The operations section of docs/team.md and deploy/Containerfile name only what exists: every
 * `centric serve …` command in the section's code blocks (the systemd unit's ExecStart included) and
 * the container's CMD go through the service's own argument parser (runServe with --help, which
 * parses every option and stops before opening a database), the container installs exactly the
 * packages the CLI bundle leaves out, and copies files that exist.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runServe } from '~/lib/server/cli';

const ROOT = resolve(__dirname, '../../..');
const doc = readFileSync(join(ROOT, 'docs/team.md'), 'utf8');
const containerfile = readFileSync(join(ROOT, 'deploy/Containerfile'), 'utf8');

/** Splits a shell command into words: blanks separate, '…' and "…" quote, backslash-newline continues. */
function words(command: string): string[] {
  const out: string[] = [];
  for (const m of command.replace(/\\\n/g, ' ').matchAll(/"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g)) out.push(m[1] ?? m[2] ?? (m[3] as string));
  return out;
}

/** `${NAME}` (systemd and shell) replaced by a value of the kind the name says. */
const expand = (text: string) => text.replace(/\$\{(\w+)\}/g, (_, name: string) => (/DATABASE/.test(name) ? 'postgres://centric@db.internal:5432/centric' : `value-of-${name}`));

/** What follows `serve` in each command of a text that runs the service's CLI. */
function serveCommands(text: string): { line: string; args: string[] }[] {
  const found: { line: string; args: string[] }[] = [];
  for (const raw of text.replace(/\\\n\s*#?/g, ' ').split('\n')) {
    const line = expand(raw.replace(/^\s*#\s?/, ''));
    const w = words(line);
    const at = w.findIndex((word, i) => word === 'serve' && i > 0 && /(^|\/|=)centric(\.mjs)?$|centric-serve$/.test(w[i - 1] as string));
    if (at >= 0) found.push({ line: raw.trim(), args: w.slice(at + 1) });
  }
  return found;
}

async function check(args: string[]): Promise<{ code: number; err: string }> {
  let err = '';
  const code = await runServe([...args, '--help'], { stdout: () => {}, stderr: (t) => void (err += t), stopped: () => Promise.resolve() });
  return { code, err };
}

/** The positional words make a command the CLI knows: none (serve), or token create | list | revoke ID. */
function positionalsKnown(args: string[]): boolean {
  const positional = args.filter((a, i) => !a.startsWith('--') && !(args[i - 1]?.startsWith('--') && !args[i - 1]!.includes('=')));
  if (positional.length === 0) return true;
  const [token, action, ...rest] = positional;
  return token === 'token' && ((action === 'create' || action === 'list') ? rest.length === 0 : action === 'revoke' && rest.length === 1);
}

describe('docs/team.md operations and deploy/Containerfile', () => {
  const section = doc.slice(doc.indexOf('\n## Operations'), doc.indexOf('\n## ', doc.indexOf('\n## Operations') + 1) >>> 0 || undefined);
  const blocks = [...section.matchAll(/```[a-z]*\n([\s\S]*?)```/g)].map((m) => m[1] as string);

  it('every centric serve command in the section is accepted by the CLI parser', async () => {
    expect(section.length).toBeGreaterThan(1000);
    const commands = blocks.flatMap(serveCommands);
    const inline = [...section.matchAll(/`([^`\n]*centric(?:\.mjs)? serve[^`]*)`/g)].flatMap((m) => serveCommands(m[1] as string));
    expect(commands.length).toBeGreaterThanOrEqual(4); // ExecStart and the three token commands at least
    expect(commands.some((c) => c.line.startsWith('ExecStart='))).toBe(true);
    expect(inline.some((c) => c.line.startsWith('systemd-run'))).toBe(true);
    for (const { line, args } of [...commands, ...inline]) {
      const { code, err } = await check(args);
      expect({ line, code, err }).toEqual({ line, code: 0, err: '' });
      expect({ line, known: positionalsKnown(args) }).toEqual({ line, known: true });
    }
  });

  it('the parser check catches a flag that does not exist', async () => {
    const [wrong] = serveCommands('ExecStart=/usr/bin/node /opt/centric/bin/centric.mjs serve --databse ${CENTRIC_DATABASE}');
    expect((await check(wrong!.args)).code).toBe(2);
    expect(positionalsKnown(['token', 'remove', 'tok_1'])).toBe(false);
  });

  it('the unit file has the hardening and restart options the section promises', () => {
    const unit = blocks.find((b) => b.includes('[Service]'));
    expect(unit).toBeDefined();
    for (const option of ['DynamicUser=yes', 'ProtectSystem=strict', 'NoNewPrivileges=yes', 'Restart=on-failure', 'EnvironmentFile=/etc/centric/centric.env']) expect(unit).toContain(option);
    // Node's JIT writes code it then runs: this option would stop the service at start.
    expect(unit).not.toMatch(/^MemoryDenyWriteExecute=yes/m);
  });

  it('the container runs an accepted command and installs exactly the packages the CLI bundle leaves out', async () => {
    const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(containerfile)![1]!) as string[];
    const entry = JSON.parse(/^ENTRYPOINT (\[.*\])$/m.exec(containerfile)![1]!) as string[];
    expect(entry.at(-1)).toBe('/app/bin/centric.mjs');
    expect(cmd[0]).toBe('serve');
    expect(await check(cmd.slice(1))).toEqual({ code: 0, err: '' });
    for (const { line, args } of serveCommands(containerfile)) expect({ line, ...(await check(args)) }).toEqual({ line, code: 0, err: '' });

    const external = JSON.parse(/external: (\[[^\]]*\])/.exec(readFileSync(join(ROOT, 'scripts/build-cli.mjs'), 'utf8'))![1]!.replace(/'/g, '"')) as string[];
    const picked = JSON.parse(/const pick=(\[[^\]]*\])/.exec(containerfile)![1]!.replace(/'/g, '"')) as string[];
    expect([...picked].sort()).toEqual([...external].sort());
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string>; dependencies?: Record<string, string> };
    for (const name of picked) expect(pkg.devDependencies[name] ?? pkg.dependencies?.[name]).toBeDefined();
    for (const m of containerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)) for (const source of m[1]!.split(' ')) if (source !== '.') expect(existsSync(join(ROOT, source))).toBe(true);
    for (const m of containerfile.matchAll(/COPY --from=build \/src\/(\S+)/g)) if (m[1] !== 'serve-package.json') expect(existsSync(join(ROOT, m[1]!.replace(/^dist\/cli\/centric\.mjs$/, 'scripts/build-cli.mjs')))).toBe(true);
  });
});
