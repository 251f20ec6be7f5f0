/**
 * Issue 9, bad input: every malformed input of the corpus (tests/fixtures/security/bad-inputs.json:
 * CSV imports, rule files, lookup-service answers, score files, backups, CLI arguments and files) gets
 * a clear, specific error, and the store is identical before and after (compared record by record).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fakeBrowser } from 'wxt/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadLocalScoreFile } from '~/lib/extension/score-file-sync';
import { loadRules, saveRules } from '~/lib/settings/rules';
import { FileError, type CliIo } from '~/lib/cli/io';
import { main } from '~/lib/cli/main';
import { CentricDb } from '~/lib/db/db';
import { parseBackup, restoreStore } from '~/lib/db/lifecycle';
import { commitImport, EmptyImport, ImportRejected } from '~/lib/import/commit';
import { fileProblem, missingFields, previewFile } from '~/lib/import/mapping';
import type { ImportKind } from '~/lib/import/presets';
import { readImport } from '~/lib/import/read';
import { DEFAULT_RULES } from '~/lib/rules/defaults';
import { exportRuleSet, parseRuleSet } from '~/lib/rules/transfer';
import { loadSampleData } from '~/lib/sample/install';
import type { ScoreFileSource } from '~/lib/sources/config';
import { interpretResponse } from '~/lib/sources/response';
import { readBundledSample } from '../../helpers/sample';
import { storeSnapshot } from './store-snapshot';

interface Case {
  name: string;
  expect: string[];
}
interface Corpus {
  csv: (Case & { kind: ImportKind; text: string })[];
  rules: (Case & { text?: string; set?: Record<string, unknown>; rule?: Record<string, unknown> })[];
  responses: (Case & { answer: { status: number; bodyText: string; headers?: Record<string, string> } })[];
  scoreFiles: (Case & { text: string; fileName?: string })[];
  backups: (Case & { text: string })[];
  cli: (Case & { args: string[]; files?: Record<string, string>; exit: number })[];
}

export const BAD_INPUTS = JSON.parse(readFileSync(resolve(process.cwd(), 'tests/fixtures/security/bad-inputs.json'), 'utf8')) as Corpus;

const fill = (text: string) =>
  text
    .replace('{{HUGE}}', 'x'.repeat(300_000))
    .replace('{{LONG5000}}', 'y'.repeat(5000))
    .replace('{{HUGE_RULES}}', JSON.stringify({ format: 'centric-rules', version: 1, rules: [], padding: 'z'.repeat(1_000_100) }));

/** The error must contain each expected word (case-insensitive), and say where for a row. */
function expectWords(error: string, words: readonly string[]): void {
  expect(error.trim().length, 'an error message').toBeGreaterThan(10);
  for (const word of words) expect(error.toLowerCase(), `the error names "${word}"`).toContain(word.toLowerCase());
}

let db: CentricDb;
beforeAll(async () => {
  db = new CentricDb('centric-bad-inputs');
  // A store with data in it: the bundled sample (2,357 customers, scored values absent) and a score file.
  await loadSampleData(db, readBundledSample(), () => new Date('2026-01-01T00:00:00Z'));
  const source = { id: 'team-file', kind: 'score-file', name: 'Team file', enabled: true, url: 'local:scores.csv', format: 'auto', syncMinutes: 60, headers: [] } as ScoreFileSource;
  const loaded = await loadLocalScoreFile(db, source, 'id,clv,tier\nA-1,10,Gold\nA-2,5,Lead\n', 'scores.csv');
  expect(loaded.ok).toBe(true);
});
afterAll(async () => {
  await db.delete();
});

/** What the import wizard does with a file, through the worker's commit; the error a person reads. */
async function importText(text: string, kind: ImportKind, fileName: string): Promise<string | undefined> {
  const unusable = fileProblem(text);
  if (unusable) return `Could not read ${fileName}: ${unusable}`;
  const preview = previewFile(text, kind);
  const missing = missingFields(preview.mapping);
  if (missing.length > 0) return `Choose a column for: ${missing.join(', ')}.`;
  const batch = readImport(text, preview.mapping);
  try {
    await commitImport(db, batch, { fileName, mode: 'all-or-nothing' });
    return undefined;
  } catch (error) {
    if (error instanceof ImportRejected) {
      const lines = batch.issues.map((i) => `line ${i.line}, ${i.field}: ${i.message}`);
      return `${error.message}\n${lines.join('\n')}`;
    }
    if (error instanceof EmptyImport) return error.message;
    throw error;
  }
}

describe('the corpus', () => {
  it('holds at least 50 malformed inputs', () => {
    const total = Object.values(BAD_INPUTS).filter(Array.isArray).reduce((n, list: unknown[]) => n + list.length, 0);
    expect(total).toBeGreaterThanOrEqual(50);
  });
});

describe('CSV imports: refused with line, column and reason; the store unchanged', () => {
  for (const c of BAD_INPUTS.csv) {
    it(c.name, async () => {
      const before = await storeSnapshot(db);
      const error = await importText(fill(c.text), c.kind, 'bad.csv');
      expect(error, 'the import is refused').toBeDefined();
      expectWords(error!, c.expect);
      expect(await storeSnapshot(db)).toBe(before);
    });
  }
});

describe('rule files: every problem listed, the saved rules unchanged', () => {
  const valid = JSON.parse(exportRuleSet(DEFAULT_RULES)) as { rules: Record<string, unknown>[] };
  const merge = (base: unknown, patch: unknown): unknown => {
    if (typeof patch !== 'object' || patch === null || Array.isArray(patch) || typeof base !== 'object' || base === null) {
      return typeof patch === 'string' ? fill(patch) : patch;
    }
    const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
    for (const [k, v] of Object.entries(patch)) out[k] = merge(out[k], v);
    return out;
  };
  for (const c of BAD_INPUTS.rules) {
    it(c.name, async () => {
      fakeBrowser.reset();
      const mine = DEFAULT_RULES.slice(0, 2).map((r) => ({ ...r, name: `Mine: ${r.name}` }));
      await saveRules(mine);
      const before = JSON.stringify(await fakeBrowser.storage.local.get(null));
      const text =
        c.text !== undefined
          ? fill(c.text)
          : JSON.stringify(c.set ? { ...valid, ...c.set } : { ...valid, rules: [merge(valid.rules[0], c.rule), ...valid.rules.slice(1)] });
      // What the options page does: parse, and save only a valid file.
      const parsed = parseRuleSet(text);
      if (parsed.ok) await saveRules(parsed.rules);
      expect(parsed.ok, 'the file is refused').toBe(false);
      if (!parsed.ok) expectWords(parsed.errors.join('\n'), c.expect);
      expect(JSON.stringify(await fakeBrowser.storage.local.get(null))).toBe(before);
      expect((await loadRules(['Platinum', 'Gold', 'Iron', 'Lead'])).rules.map((r) => r.name)).toEqual(mine.map((r) => r.name));
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });
  }
});

describe('lookup-service answers: an error in words, never a score', () => {
  for (const c of BAD_INPUTS.responses) {
    it(c.name, () => {
      const result = interpretResponse(
        { requestUrl: 'https://scores.example.com/v1/customers/ana%40x.example', ...c.answer, bodyText: fill(c.answer.bodyText) },
        { kind: 'centric' },
      );
      expect(result.ok).toBe(false);
      if (!result.ok) expectWords(result.error.message, c.expect);
    });
  }
});

describe('score files: refused whole, the previous scores kept', () => {
  const source = { id: 'team-file', kind: 'score-file', name: 'Team file', enabled: true, url: 'local:scores.csv', format: 'auto', syncMinutes: 60, headers: [] } as ScoreFileSource;
  for (const c of BAD_INPUTS.scoreFiles) {
    it(c.name, async () => {
      const before = await storeSnapshot(db);
      const result = await loadLocalScoreFile(db, source, c.text, c.fileName ?? 'scores.csv');
      expect(result.ok).toBe(false);
      expectWords(`${result.message}\n${result.problems.join('\n')}`, c.expect);
      expect(await storeSnapshot(db)).toBe(before);
    });
  }
});

describe('backups: refused before anything is replaced', () => {
  for (const c of BAD_INPUTS.backups) {
    it(c.name, async () => {
      const before = await storeSnapshot(db);
      let error = '';
      try {
        await restoreStore(db, parseBackup(c.text));
      } catch (e) {
        error = (e as Error).message;
      }
      expectWords(error, c.expect);
      expect(await storeSnapshot(db)).toBe(before);
    });
  }
});

describe('the centric command: exit code and a specific message', () => {
  for (const c of BAD_INPUTS.cli) {
    it(c.name, async () => {
      let stdout = '';
      let stderr = '';
      const written: string[] = [];
      const files = c.files ?? {};
      const io: CliIo = {
        stdout: (t) => void (stdout += t),
        stderr: (t) => void (stderr += t),
        readFile(path) {
          if (path in files) return files[path]!;
          throw new FileError(`File not found: ${path}`);
        },
        writeFile: (path) => void written.push(path),
      };
      const code = await main(c.args, io);
      expect(code, stderr).toBe(c.exit);
      expectWords(stderr, c.expect);
      expect(written).toEqual([]);
      expect(stdout).toBe('');
    });
  }
});
