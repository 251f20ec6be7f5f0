/**
 * A team policy for an end-to-end test: Chromium on Linux reads managed policies from JSON files in
 * /etc/chromium/policies/managed (Debian's chromium; Google Chrome uses /etc/opt/chrome/...), and an
 * extension's managed storage from their "3rdparty" → "extensions" → <extension id> section. The
 * policy names one extension id, so the test loads its own copy of the build (an unpacked extension's
 * id comes from its folder's path) and no other test's browser sees the policy.
 */
import { createHash } from 'node:crypto';
import { accessSync, constants, cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const POLICY_DIR = process.env.CHROMIUM_POLICY_DIR ?? '/etc/chromium/policies/managed';

/** The id Chromium gives an unpacked extension loaded from `path`: SHA-256 of the path, first 32 hex digits mapped 0-f → a-p. */
export function unpackedExtensionId(path: string): string {
  const hex = createHash('sha256').update(path).digest('hex').slice(0, 32);
  return [...hex].map((c) => String.fromCharCode('a'.charCodeAt(0) + parseInt(c, 16))).join('');
}

/** Whether this machine lets the test write a policy file (root in CI; a developer may lack it). */
export function canWritePolicies(): boolean {
  try {
    mkdirSync(POLICY_DIR, { recursive: true });
    accessSync(POLICY_DIR, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

export interface PolicyCopy {
  /** The copied build to load. */
  extensionDir: string;
  extensionId: string;
  /** Removes the policy file and the copy. */
  remove(): void;
}

/** Copies the build to a fresh folder and writes a managed policy for that copy's id. */
export function installPolicyFor(buildDir: string, policy: Record<string, unknown>): PolicyCopy {
  const extensionDir = join(mkdtempSync(join(tmpdir(), 'centric-policy-')), 'extension');
  cpSync(buildDir, extensionDir, { recursive: true });
  const extensionId = unpackedExtensionId(extensionDir);
  mkdirSync(POLICY_DIR, { recursive: true });
  const file = join(POLICY_DIR, `centric-e2e-${extensionId}.json`);
  writeFileSync(file, JSON.stringify({ '3rdparty': { extensions: { [extensionId]: policy } } }, null, 2));
  return {
    extensionDir,
    extensionId,
    remove() {
      rmSync(file, { force: true });
      rmSync(join(extensionDir, '..'), { recursive: true, force: true });
    },
  };
}
