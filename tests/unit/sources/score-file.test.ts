import { describe, expect, it } from 'vitest';
import { type ScoreRow, scoreRowsToCsv, scoreRowsToJson } from '../../../lib/dashboard/export';
import {
  type FetchDeps,
  type ParsedScoreFile,
  type ResponseLike,
  MAX_LISTED_ERRORS,
  ScoreFileSourceSchema,
  conditionalHeaders,
  detectFormat,
  findInScoreFile,
  parseScoreFile,
  splitCsv,
  syncDue,
  syncOutcome,
  syncScoreFile,
} from '../../../lib/sources';

const ROWS: ScoreRow[] = [
  { id: 'C-1', x: 3, tx: 49.28571429, T: 77.85714286, monetary: 23.72, pAlive: 0.6611195192, expectedTransactions: 1.205629373, expectedSpend: 25.95995821, clv: 29.78419077, tier: 'Gold' },
  { id: 'ann@acme.com', x: 0, tx: 0, T: 104, monetary: null, pAlive: 1, expectedTransactions: 0.1421065844, expectedSpend: null, clv: null, tier: 'Iron' },
  { id: 'Big, "Quoted" Co', x: 12, tx: 90, T: 100, monetary: 500, pAlive: 0.99, expectedTransactions: 6.5, expectedSpend: 480, clv: 3120.5, tier: 'Platinum' },
  { id: 'C-4', x: null, tx: null, T: null, monetary: null, pAlive: null, expectedTransactions: null, expectedSpend: null, clv: null, tier: '' },
];
const CSV = scoreRowsToCsv(ROWS);
const JSON_TEXT = scoreRowsToJson(ROWS);

function ok(parsed: ParsedScoreFile) {
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  return parsed;
}

function errors(parsed: ParsedScoreFile): string[] {
  if (parsed.ok) throw new Error('expected problems');
  return parsed.errors;
}

describe('parseScoreFile: CSV as written by centric score', () => {
  it('reads every scored customer; unscored rows (empty tier) are skipped', () => {
    const file = ok(parseScoreFile(CSV, { format: 'auto', fileName: 'scores.csv' }));
    expect(file.format).toBe('csv');
    expect(file.rows).toBe(4);
    expect(file.unscored).toBe(1);
    expect([...file.scores.keys()]).toEqual(['c-1', 'ann@acme.com', 'big, "quoted" co']);
    expect(file.scores.get('c-1')).toEqual({ customerId: 'C-1', tier: 'Gold', clv: 29.78419077, pAlive: 0.6611195192, expectedTransactions: 1.205629373 });
    expect(file.scores.get('ann@acme.com')).toEqual({ customerId: 'ann@acme.com', tier: 'Iron', pAlive: 1, expectedTransactions: 0.1421065844, email: 'ann@acme.com' });
  });

  it('finds a customer by id or by email, case-insensitively', () => {
    const file = ok(parseScoreFile(CSV, { format: 'csv' }));
    expect(findInScoreFile(file, { id: 'c-1' })?.tier).toBe('Gold');
    expect(findInScoreFile(file, { email: 'ANN@acme.com' })?.tier).toBe('Iron');
    expect(findInScoreFile(file, { id: 'C-4' })).toBeUndefined();
    expect(findInScoreFile(file, { name: 'Ann' })).toBeUndefined();
  });

  it('reads extra columns in any order, CRLF line ends and a byte-order mark', () => {
    const text = '\ufefftier,id,email,segment,tierColor,updatedAt,next12Months,treatment\r\nGold,7,Bo@Shop.com,SMB,#FC0,2025-03-12T10:42:00Z,310.5,Call back\r\n';
    expect(ok(parseScoreFile(text, { format: 'csv' })).scores.get('7')).toEqual({
      customerId: '7',
      tier: 'Gold',
      email: 'bo@shop.com',
      segment: 'SMB',
      tierColor: '#ffcc00',
      updatedAt: '2025-03-12T10:42:00Z',
      next12Months: 310.5,
      treatment: { title: 'Call back' },
    });
  });

  it('accepts a last line without a line end when it is complete', () => {
    expect(ok(parseScoreFile(CSV.trimEnd(), { format: 'csv' })).scores.size).toBe(3);
  });

  it('a file cut in the middle of its last line is incomplete', () => {
    const cut = CSV.slice(0, CSV.indexOf('Platinum') - 20);
    expect(errors(parseScoreFile(cut, { format: 'csv' }))).toEqual([
      'Line 4: the file ends in the middle of this line (6 of 11 fields): it is incomplete (still being written, or cut off in transfer). The previous scores are kept.',
    ]);
  });

  it('a file that ends inside quotes is incomplete', () => {
    const cut = CSV.slice(0, CSV.indexOf('Quoted'));
    expect(errors(parseScoreFile(cut, { format: 'csv' }))[0]).toMatch(/^Line 4: the file ends inside quotes: it is incomplete/);
  });

  it('lists every bad row with line, column and reason', () => {
    const text = [
      'id,x,t_x,T,monetary,pAlive,expectedTransactions,expectedSpend,clv,tier',
      '1,1,2,3,4,0.5,1,2,100,Gold',
      '2,1,2,3,4,1.5,1,2,abc,Gold',
      '3,1,2,3',
      ',1,2,3,4,0.5,1,2,100,Gold',
      '1,1,2,3,4,0.5,1,2,100,Iron',
      '5,1,2,3,4,0.5,-1,2,NaN,Lead',
      '',
    ].join('\n');
    expect(errors(parseScoreFile(text, { format: 'csv' }))).toEqual([
      'Line 3, column 9 (clv): "abc" is not a number.',
      'Line 3, column 6 (pAlive): pAlive is 1.5; it should be between 0 and 1.',
      'Line 4: 4 fields, but the header has 10.',
      'Line 5, column 1 (id): the customer id is empty.',
      'Line 6: the customer id "1" appears twice (first at line 2).',
      'Line 7, column 9 (clv): "NaN" is not a number.',
      'Line 7, column 7 (expectedTransactions): expectedTransactions is -1; it cannot be negative.',
    ]);
  });

  it('caps the list of problems, saying how many more there are', () => {
    const lines = ['id,tier,clv'];
    for (let i = 0; i < 250; i++) lines.push(`${i},Gold,x${i}`);
    const parsed = parseScoreFile(`${lines.join('\n')}\n`, { format: 'csv' });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errorCount).toBe(250);
    expect(parsed.errors).toHaveLength(MAX_LISTED_ERRORS + 1);
    expect(parsed.errors[0]).toBe('Line 2, column 3 (clv): "x0" is not a number.');
    expect(parsed.errors[MAX_LISTED_ERRORS]).toBe('…and 150 more problems.');
  });

  it('needs the header of a scores file, and at least one customer', () => {
    expect(errors(parseScoreFile('customer,value\n1,2\n', { format: 'csv' }))[0]).toMatch(/^Line 1: the first line should be the header of a scores file .*"id" and "tier" are missing/);
    expect(errors(parseScoreFile('id,tier\n', { format: 'csv' }))).toEqual(['The file has no customers (only a header). The previous scores are kept.']);
    expect(errors(parseScoreFile(' \n', { format: 'csv' }))).toEqual(['The file is empty.']);
  });

  it('splits quoted fields with commas, quotes and line breaks, counting lines', () => {
    expect(splitCsv('a,b\n"x, ""y""\nz",2\n\n3,4')).toEqual({
      records: [
        { fields: ['a', 'b'], line: 1 },
        { fields: ['x, "y"\nz', '2'], line: 2 },
        { fields: ['3', '4'], line: 5 },
      ],
      endsWithNewline: false,
    });
  });
});

describe('parseScoreFile: JSON', () => {
  it('reads what centric score --json writes (an array of rows)', () => {
    const file = ok(parseScoreFile(JSON_TEXT, { format: 'auto', fileName: 'https://files.example.com/scores.json?v=2' }));
    expect(file.format).toBe('json');
    expect(file.rows).toBe(4);
    expect(file.scores.get('c-1')).toEqual(ok(parseScoreFile(CSV, { format: 'csv' })).scores.get('c-1'));
    expect(file.scores.get('big, "quoted" co')?.tier).toBe('Platinum');
  });

  it('reads {"scores": [...]} and checks its count', () => {
    const rows = JSON.parse(JSON_TEXT) as unknown[];
    expect(ok(parseScoreFile(JSON.stringify({ count: 4, scores: rows }), { format: 'json' })).scores.size).toBe(3);
    expect(errors(parseScoreFile(JSON.stringify({ count: 5, scores: rows }), { format: 'json' }))).toEqual([
      'The file says it holds 5 customers but has 4: it is incomplete or damaged. The previous scores are kept.',
    ]);
  });

  it('a JSON file cut off is incomplete', () => {
    expect(errors(parseScoreFile(JSON_TEXT.slice(0, JSON_TEXT.indexOf('"tier"', 250)), { format: 'json' }))[0]).toMatch(/^The file is incomplete \(line \d+, column \d+: .*\): it is still being written, or was cut off in transfer\./);
    expect(errors(parseScoreFile('[{"id": 1, "tier": "Gold"},]', { format: 'json' }))[0]).toMatch(/^The file is not valid JSON \(line 1, column 28: A value is missing before "]"/);
  });

  it('lists every bad row by position and id', () => {
    const text = JSON.stringify([{ id: 'a', tier: 'Gold', clv: 'twelve' }, { id: 'a2', tier: 'Gold', clv: '12' }, { id: 'b', tier: 7 }, 'row', { id: 'c' }, { id: 'd', tier: 'Gold', pAlive: 2 }]);
    expect(errors(parseScoreFile(text, { format: 'json' }))).toEqual([
      '[0] (id "a"), "clv": "twelve" is not a number.',
      '[2] (id "b"), "tier": the tier should be text (found 7).',
      '[3]: each row should be an object with "id" and "tier" (found "row").',
      '[4] (id "c"): "tier" is missing.',
      '[5] (id "d"), "pAlive": pAlive is 2; it should be between 0 and 1.',
    ]);
    expect(errors(parseScoreFile('{"rows": []}', { format: 'json' }))[0]).toMatch(/^A JSON scores file is a list of rows/);
  });

  it('auto-detects by name, content-type, then first character', () => {
    expect(detectFormat('id,tier', { format: 'auto', fileName: 'x.JSON' })).toBe('json');
    expect(detectFormat('[', { format: 'auto', fileName: 'x.csv' })).toBe('csv');
    expect(detectFormat('id', { format: 'auto', contentType: 'application/json' })).toBe('json');
    expect(detectFormat('  [{"id":1}]', { format: 'auto' })).toBe('json');
    expect(detectFormat('id,tier', { format: 'auto' })).toBe('csv');
    expect(detectFormat('[', { format: 'csv' })).toBe('csv');
  });
});

describe('syncing a shared score file', () => {
  it('asks only for a changed file', () => {
    expect(conditionalHeaders({ etag: '"abc"', lastModified: 'Wed, 12 Mar 2025 10:42:00 GMT' })).toEqual({
      'If-None-Match': '"abc"',
      'If-Modified-Since': 'Wed, 12 Mar 2025 10:42:00 GMT',
    });
    expect(conditionalHeaders(undefined)).toEqual({});
  });

  it('reads the status: changed, unchanged, or an error for a file', () => {
    expect(syncOutcome(200)).toBe('changed');
    expect(syncOutcome(304)).toBe('unchanged');
    expect(syncOutcome(404)).toMatchObject({ kind: 'not-found', message: 'The scores file was not found (404). Check its address in Options → Sources.' });
    expect(syncOutcome(401)).toMatchObject({ kind: 'auth' });
    expect(syncOutcome(503)).toMatchObject({ kind: 'server', retryable: true });
  });

  it('is due after syncMinutes, or when the clock went back', () => {
    const source = { syncMinutes: 60 };
    expect(syncDue(undefined, source, 0)).toBe(true);
    expect(syncDue(0, source, 3_600_000 - 1)).toBe(false);
    expect(syncDue(0, source, 3_600_000)).toBe(true);
    expect(syncDue(10_000, source, 0)).toBe(true);
  });

  const SOURCE = ScoreFileSourceSchema.parse({ id: 'shared', kind: 'score-file', name: 'Shared scores', url: 'https://files.example.com/scores.csv', headers: [{ name: 'X-Token', value: 't' }] });

  function deps(answers: ResponseLike[]) {
    const calls: { url: string; headers: Record<string, string> }[] = [];
    const d: FetchDeps = {
      fetch: async (url, init) => {
        calls.push({ url, headers: init.headers });
        const next = answers.shift();
        if (!next) throw new Error('unexpected request');
        return next;
      },
      now: () => 5000,
      sleep: async () => {},
      random: () => 0.5,
      timeout: () => new AbortController().signal,
    };
    return { d, calls };
  }
  const res = (status: number, body: string, headers: Record<string, string> = {}): ResponseLike => ({ status, headers: new Headers(headers), text: async () => body });

  it('a changed, complete file replaces the scores, with its validators', async () => {
    const { d, calls } = deps([res(200, CSV, { etag: '"v2"', 'last-modified': 'Wed, 12 Mar 2025 10:42:00 GMT', 'content-type': 'text/csv' })]);
    const sync = await syncScoreFile(d, SOURCE, { etag: '"v1"' });
    expect(calls[0]?.headers).toMatchObject({ 'If-None-Match': '"v1"', 'X-Token': 't' });
    expect(sync.status).toBe('changed');
    if (sync.status !== 'changed') return;
    expect(sync.file.scores.size).toBe(3);
    expect(sync.validators).toEqual({ etag: '"v2"', lastModified: 'Wed, 12 Mar 2025 10:42:00 GMT' });
    expect(sync.fetchedAt).toBe(5000);
  });

  it('304 keeps the scores; an incomplete file or a login page fails and keeps them too', async () => {
    expect(await syncScoreFile(deps([res(304, '')]).d, SOURCE, { etag: '"v1"' })).toEqual({ status: 'unchanged' });

    const cut = await syncScoreFile(deps([res(200, CSV.slice(0, 120))]).d, SOURCE, undefined);
    expect(cut.status).toBe('failed');
    if (cut.status === 'failed') {
      expect(cut.error.kind).toBe('wrong-shape');
      expect(cut.error.message).toMatch(/^The new scores file cannot be used \(1 problem; first: Line \d: the file ends in the middle/);
      expect(cut.problems).toHaveLength(1);
    }

    const login = await syncScoreFile(deps([res(200, '<html><body><form><input type="password"></form></body></html>', { 'content-type': 'text/html' })]).d, SOURCE, undefined);
    expect(login).toMatchObject({ status: 'failed', error: { kind: 'html' } });
  });

  it('retries a 503 and refuses a redirect to another origin', async () => {
    const retried = deps([res(503, ''), res(200, CSV)]);
    expect((await syncScoreFile(retried.d, SOURCE, undefined)).status).toBe('changed');
    expect(retried.calls).toHaveLength(2);

    const moved = deps([res(302, '', { location: 'https://elsewhere.example/scores.csv' })]);
    expect(await syncScoreFile(moved.d, SOURCE, undefined)).toMatchObject({ status: 'failed', error: { kind: 'redirect' } });
  });
});
