/**
 * `centric serve`: tokens from the command line, the service on a port, the embedded data directory
 * held by one process at a time, usage errors (embedded database in a temporary directory).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runServe, type ServeIo } from '~/lib/server/cli';
import { DATA_LOCK_FILE } from '~/lib/server/database';

const dir = mkdtempSync(join(tmpdir(), 'centric-serve-'));
const data = join(dir, 'data');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function io(stop?: Promise<void>): ServeIo & { out: string; err: string } {
  const captured = { out: '', err: '' };
  return Object.assign(captured, {
    stdout: (t: string) => void (captured.out += t),
    stderr: (t: string) => void (captured.err += t),
    stopped: () => stop ?? Promise.resolve(),
  });
}

// Each command opens the embedded database (PGlite: seconds, and half a minute to create it on a busy
// machine), so these tests get generous upper bounds; they wait on states, never on time.
const SLOW = 240_000;

describe('centric serve', () => {
  it('creates a token shown once, lists it without the token, and revokes it', async () => {
    const made = io();
    expect(await runServe(['token', 'create', '--role', 'manager', '--name', 'Ana Lopez', '--data', data], made)).toBe(0);
    const token = made.out.trim();
    expect(token).toMatch(/^ctk_/);
    expect(made.err).toMatch(/shown this once/);
    const listed = io();
    expect(await runServe(['token', 'list', '--data', data], listed)).toBe(0);
    expect(listed.out).toMatch(/\tmanager\tAna Lopez\t.*\tin use\n$/);
    expect(listed.out).not.toContain(token);
    const id = listed.out.split('\t')[0]!;
    expect(await runServe(['token', 'revoke', id, '--data', data], io())).toBe(0);
    const again = io();
    expect(await runServe(['token', 'revoke', id, '--data', data], again)).toBe(1);
    expect(again.err).toContain(`There is no token ${id} in use.`);
  }, SLOW);

  it('serves on a port until stopped, answering with its token', async () => {
    const made = io();
    await runServe(['token', 'create', '--role', 'agent', '--name', 'Bo', '--data', data], made);
    let stop!: () => void;
    const stopped = new Promise<void>((resolve) => (stop = resolve));
    const server = io(stopped);
    const running = runServe(['--data', data, '--port', '0'], server);
    // Opening the embedded database takes seconds on a busy machine: wait for the line, not a fixed time.
    await expect.poll(() => server.err, { timeout: SLOW }).toMatch(/team service on http:\/\/127\.0\.0\.1:\d+/);
    const address = /on (http:\/\/127\.0\.0\.1:\d+)/.exec(server.err)![1]!;
    const me = await fetch(`${address}/v1/me`, { headers: { authorization: `Bearer ${made.out.trim()}` } });
    expect(await me.json()).toMatchObject({ name: 'Bo', role: 'agent' });
    // The embedded database is one process's at a time: a token command beside the running service is refused, untouched.
    const beside = io();
    expect(await runServe(['token', 'list', '--data', data], beside)).toBe(1);
    expect(beside.err).toMatch(/in use by this process already: the embedded database takes one process at a time\. Stop the service/);
    stop();
    expect(await running).toBe(0);
    expect(existsSync(join(data, DATA_LOCK_FILE))).toBe(false);
  }, SLOW);

  it('refuses a data directory another live process holds, naming it, and takes over one left by a process that has ended', async () => {
    const other = data; // made by the tests above (a new directory would spend seconds in initdb)
    writeFileSync(join(other, DATA_LOCK_FILE), `${process.ppid}\n`);
    const refused = io();
    expect(await runServe(['token', 'list', '--data', other], refused)).toBe(1);
    expect(refused.err).toContain(`is in use by another process (pid ${process.ppid})`);
    expect(refused.err).toContain(`If no such process runs, delete ${join(other, DATA_LOCK_FILE)}.`);
    const ended = spawnSync(process.execPath, ['-e', '']).pid;
    writeFileSync(join(other, DATA_LOCK_FILE), `${ended}\n`);
    const listed = io();
    expect(await runServe(['token', 'list', '--data', other], listed)).toBe(0);
    expect(listed.err).toBe('');
    expect(existsSync(join(other, DATA_LOCK_FILE))).toBe(false);
  }, SLOW);

  it('says what is wrong with the command (exit 2)', async () => {
    for (const argv of [['token', 'create', '--role', 'boss', '--name', 'x'], ['token', 'create', '--role', 'agent'], ['--port', 'x'], ['--nope', '1'], ['--data', 'a', '--database', 'postgres://x']]) {
      const out = io();
      expect(await runServe(argv, out), argv.join(' ')).toBe(2);
      expect(out.err).toMatch(/^centric serve: /);
    }
  });
});
