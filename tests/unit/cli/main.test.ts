import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bgnbd } from '../../../lib/clv/bgnbd';
import type { CliIo } from '../../../lib/cli/io';
import { FileError } from '../../../lib/cli/io';
import { main } from '../../../lib/cli/main';
import { datasetPath } from '../../helpers/datasets';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  written: Map<string, string>;
}

/** Runs the CLI in-process: files from `files` first, then from disk; output captured. */
async function cli(argv: string[], files: Record<string, string> = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const written = new Map<string, string>();
  const io: CliIo = {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    readFile(path) {
      if (path in files) return files[path] as string;
      try {
        return readFileSync(path, 'utf8');
      } catch {
        throw new FileError(`File not found: ${path}`);
      }
    },
    writeFile(path, text) {
      written.set(path, text);
    },
  };
  const code = await main(argv, io);
  return { code, stdout, stderr, written };
}

const ELOG = datasetPath('btyd_cdnowElog.csv');
const CBS = datasetPath('btyd_cdnowSummary_cbs.csv');

describe('help', () => {
  it('--help for the program and every command, exit 0', async () => {
    const top = await cli(['--help']);
    expect(top.code).toBe(0);
    expect(top.stdout).toContain('Usage: centric <command>');
    for (const command of ['fit', 'score', 'evaluate', 'summarize']) {
      const r = await cli([command, '--help']);
      expect(r.code, command).toBe(0);
      expect(r.stdout).toContain(`Usage: centric ${command}`);
      expect(r.stdout).toContain('--unit');
      const h = await cli(['help', command]);
      expect(h.stdout).toBe(r.stdout);
    }
  });
  it('no command prints the help with exit code 2; --version prints the version', async () => {
    const r = await cli([]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('Commands:');
    expect((await cli(['--version'])).stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });
});

describe('usage errors (exit code 2)', () => {
  it.each([
    [['frobnicate'], /Unknown command "frobnicate"/],
    [['fit', ELOG, '--modle', 'bgnbd'], /Unknown option --modle\. Did you mean --model\?/],
    [['fit', ELOG], /fit needs --model/],
    [['fit', '--model', 'bgnbd'], /fit needs a file/],
    [['fit', ELOG, '--model', 'nbd'], /--model must be one of/],
    [['fit', ELOG, '--model', 'bgnbd', '--end', 'soon'], /--end must be a date/],
    [['fit', ELOG, '--model', 'bgnbd', '--unit'], /--unit needs a value/],
    [['score', ELOG], /score needs --horizon/],
    [['score', ELOG, '--horizon', '12x'], /--horizon unit/],
    [['fit', ELOG, '--model', 'auto'], /needs a holdout/],
    [['fit', CBS, '--model', 'bgnbd', '--holdout-start', '1997-10-01'], /applies to a transaction log/],
  ])('%j', async (argv, message) => {
    const r = await cli(argv as string[]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toContain('--help');
  });
});

describe('bad files (exit code 1, located messages)', () => {
  it('file not found', async () => {
    const r = await cli(['fit', 'nope.csv', '--model', 'bgnbd']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('File not found: nope.csv');
  });
  it('empty file', async () => {
    const r = await cli(['fit', 'empty.csv', '--model', 'bgnbd'], { 'empty.csv': '' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no data rows');
  });
  it('missing columns: what is missing and what was found', async () => {
    const r = await cli(['fit', 'log.csv', '--model', 'bgnbd'], { 'log.csv': 'customer,amount\nA,1\nB,2\n' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Missing a date column');
    expect(r.stderr).toContain('Columns found: "customer", "amount"');
  });
  it('unparsable dates and amounts: line numbers, field names, values', async () => {
    const r = await cli(['fit', 'log.csv', '--model', 'bgnbd'], {
      'log.csv': 'id,date,amount\nA,2024-01-01,1\nA,2024-02-01,2\nB,2024-02-31,3\nB,2024-03-01,x\n',
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('line 4, field "date": "2024-02-31"');
    expect(r.stderr).toContain('line 5, field "amount": "x"');
  });
  it('a summary with t_x > T: line number and field', async () => {
    const r = await cli(['fit', 's.csv', '--model', 'bgnbd'], { 's.csv': 'id,x,t_x,T\n1,1,2,3\n2,1,5,4\n' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('line 3, field "t_x": "5"');
  });
  it('ambiguous dates ask for --date-format', async () => {
    const r = await cli(['fit', 'log.csv', '--model', 'bgnbd'], { 'log.csv': 'id,date\nA,01/02/2024\nA,03/04/2024\n' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--date-format DD/MM/YYYY');
  });
});

describe('fit', () => {
  it('BG/NBD on the CDNOW log, calibration to 1997-09-30: the published estimates (FHL 2005)', async () => {
    const r = await cli(['fit', ELOG, '--model', 'bgnbd', '--holdout-start', '1997-10-01', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out).slice(0, 5)).toEqual(['model', 'params', 'logLikelihood', 'n', 'rows']);
    expect(out.model).toBe('bgnbd');
    expect(out.params.r).toBeCloseTo(0.243, 3);
    expect(out.params.alpha).toBeCloseTo(4.414, 3);
    expect(out.params.a).toBeCloseTo(0.793, 3);
    expect(out.params.b).toBeCloseTo(2.426, 3);
    expect(out.logLikelihood).toBeCloseTo(-9582.429, 3);
    expect(out.n).toBe(2357);
    expect(out.converged).toBe(true);
    expect(out.holdout.actual).toBe(1882);
    expect(out.holdout.table).toHaveLength(8);
  });

  it('Pareto/NBD on the BTYD summary (cust,x,t.x,T.cal): r, alpha, s, beta and LL (FHL 2005)', async () => {
    const out = JSON.parse((await cli(['fit', CBS, '--model', 'pareto-nbd', '--json'])).stdout);
    expect(Object.keys(out.params)).toEqual(['r', 'alpha', 's', 'beta']);
    expect(out.params.r).toBeCloseTo(0.553, 3);
    expect(out.params.alpha).toBeCloseTo(10.578, 2);
    expect(out.params.s).toBeCloseTo(0.606, 3);
    expect(out.params.beta).toBeCloseTo(11.669, 2);
    expect(out.logLikelihood).toBeCloseTo(-9594.976, 3);
  });

  it('the lifetimes summary names (frequency, recency, T) and a readable table', async () => {
    const r = await cli(['fit', datasetPath('lifetimes_cdnow_customers_summary.csv'), '--model', 'mbgnbd']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/MBG\/NBD fitted on 2,357 customers/);
    expect(r.stdout).toMatch(/^r\s+0\.\d+/m);
    expect(r.stdout).toContain('log-likelihood:');
  });

  it('Gamma-Gamma on the unrounded m.x: p, q, gamma = 6.25, 3.74, 15.44, LL −4055.918 (Fader & Hardie 2013)', async () => {
    const out = JSON.parse((await cli(['fit', CBS, '--model', 'gamma-gamma', '--json'])).stdout);
    expect(Object.keys(out.params)).toEqual(['p', 'q', 'gamma']);
    expect(out.params.p).toBeCloseTo(6.25, 2);
    expect(out.params.q).toBeCloseTo(3.74, 2);
    expect(out.params.gamma).toBeCloseTo(15.44, 1);
    expect(out.logLikelihood).toBeCloseTo(-4055.918, 2);
    expect(out.n).toBe(946);
  });

  it('sBG on the Fader & Hardie (2007) cohorts, years 1-7: regular 0.704/1.182, high end 0.668/3.806', async () => {
    const regular = JSON.parse((await cli(['fit', datasetPath('sbg_fader_hardie_2007_survival.csv'), '--model', 'sbg', '--periods', '7', '--json'])).stdout);
    expect(regular.params.alpha).toBeCloseTo(0.704, 3);
    expect(regular.params.beta).toBeCloseTo(1.182, 3);
    const high = JSON.parse(
      (await cli(['fit', datasetPath('sbg_fader_hardie_2007_survival.csv'), '--model', 'sbg', '--periods', '7', '--column', 'highend_alive', '--json'])).stdout,
    );
    expect(high.params.alpha).toBeCloseTo(0.668, 3);
    expect(high.params.beta).toBeCloseTo(3.806, 3);
  });

  it('BG/BB on the donations (lifetimes and BTYD names): 1.204, 0.750, 0.657, 2.783, LL −33225.58 (FHS 2010)', async () => {
    for (const file of ['lifetimes_donations.csv', 'btyd_donationsSummary_rf_matrix.csv']) {
      const out = JSON.parse((await cli(['fit', datasetPath(file), '--model', 'bgbb', '--json'])).stdout);
      expect(Object.keys(out.params)).toEqual(['alpha', 'beta', 'gamma', 'delta']);
      expect(out.params.alpha).toBeCloseTo(1.204, 3);
      expect(out.params.beta).toBeCloseTo(0.75, 3);
      expect(out.params.gamma).toBeCloseTo(0.657, 3);
      expect(out.params.delta).toBeCloseTo(2.783, 2);
      expect(out.logLikelihood).toBeCloseTo(-33225.58, 2);
      expect(out.n).toBe(11104);
    }
  });

  it('auto on a calibration/holdout split returns every candidate', async () => {
    const out = JSON.parse((await cli(['fit', ELOG, '--model', 'auto', '--holdout-start', '1997-10-01', '--json'])).stdout);
    expect(out.auto.candidates.map((c: { model: string }) => c.model)).toEqual(['bgnbd', 'mbgnbd', 'pareto-nbd']);
    const best = Math.min(...out.auto.candidates.map((c: { rmse: number }) => c.rmse));
    expect(out.holdout.rmse).toBe(best);
  });
});

describe('score', () => {
  it('one row per customer with the documented columns; tiers 5/15/60/20 % of 2,357', async () => {
    const r = await cli(['score', ELOG, '--horizon', '12m']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe('id,x,t_x,T,monetary,pAlive,expectedTransactions,expectedSpend,clv,lifetimeValue,tier');
    expect(lines).toHaveLength(2358);
    const tiers = new Map<string, number>();
    for (const line of lines.slice(1)) {
      const tier = line.split(',')[10] as string;
      tiers.set(tier, (tiers.get(tier) ?? 0) + 1);
    }
    expect(Object.fromEntries(tiers)).toEqual({ Platinum: 118, Gold: 354, Iron: 1414, Lead: 471 });
    // Issue 16: the lifetime value (rest of life, discounted) is never below the value over the horizon.
    for (const line of lines.slice(1)) {
      const cells = line.split(',');
      expect(Number(cells[9]), line).toBeGreaterThanOrEqual(Number(cells[8]));
    }
    expect(r.stderr).toContain('Fitted BG/NBD');
  });

  it('--params applies a model fitted elsewhere (the fit --json output) and --out .json writes JSON', async () => {
    const fit = await cli(['fit', CBS, '--model', 'bgnbd', '--json']);
    const r = await cli(['score', CBS, '--params', 'fit.json', '--horizon', '39', '--out', 'scores.json'], { 'fit.json': fit.stdout });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    const rows = JSON.parse(r.written.get('scores.json') as string);
    expect(rows).toHaveLength(2357);
    const params = JSON.parse(fit.stdout).params;
    const first = rows[0];
    expect(Object.keys(first)).toEqual(['id', 'x', 't_x', 'T', 'monetary', 'pAlive', 'expectedTransactions', 'expectedSpend', 'clv', 'lifetimeValue', 'tier']);
    expect(first.pAlive).toBeCloseTo(bgnbd.pAlive(params, { x: first.x, tx: first.t_x, T: first.T }), 12);
    expect(first.expectedTransactions).toBeCloseTo(bgnbd.conditionalExpectedTransactions(params, 39, { x: first.x, tx: first.t_x, T: first.T }), 9);
    expect(r.stderr).toContain('Applied the given BG/NBD parameters');
  });

  it('--params with the wrong names is a usage error', async () => {
    const r = await cli(['score', CBS, '--params', '{"r":1,"alpha":2,"s":1,"beta":3}', '--horizon', '10']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('needs r, alpha, a, b');
  });

  it('a log without amounts scores transactions only', async () => {
    const r = await cli(['score', datasetPath('btydplus_groceryElog.csv'), '--horizon', '52', '--unit', 'week']);
    expect(r.code).toBe(0);
    const second = r.stdout.split('\n')[1]?.split(',') ?? [];
    expect(second[7]).toBe('');
    expect(second[8]).toBe('');
    expect(r.stderr).toContain('No spend model');
  });
});

describe('summarize and evaluate', () => {
  it('summarize reproduces the cbs rows', async () => {
    const r = await cli(['summarize', ELOG, '--holdout-start', '1997-10-01', '--end', '1998-06-30']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('id,x,t_x,T,m,first,last,total,x_star,holdout_spend');
    expect(lines[1]).toBe('1,2,30.42857143,38.85714286,22.345,1997-01-01,1997-08-02,74.02,1,26.48');
    expect(r.stderr).toContain('223 same-day rows merged');
  });

  it('evaluate recommends a model by the stated criterion and prints the tables', async () => {
    const r = await cli(['evaluate', ELOG, '--holdout-start', '1997-10-01']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Recommended: (BG\/NBD|MBG\/NBD|Pareto\/NBD)\./);
    expect(r.stdout).toContain('Criterion: lowest customer-level root mean squared error');
    expect(r.stdout).toContain('actual 1,882');
    expect(r.stdout).toMatch(/^7\+\s+64\s+6\.359/m);
    const json = JSON.parse((await cli(['evaluate', ELOG, '--holdout-start', '1997-10-01', '--json'])).stdout);
    expect(json.candidates).toHaveLength(3);
    expect(json.candidates[0].tracking.actual[77]).toBe(4339);
  });
});

describe('the real bin (child process)', () => {
  const bin = resolve(process.cwd(), 'bin/centric.mjs');
  it('fits through bin/centric.mjs and exits 0', () => {
    const out = execFileSync(process.execPath, [bin, 'fit', CBS, '--model', 'bgnbd', '--json'], { encoding: 'utf8' });
    expect(JSON.parse(out).logLikelihood).toBeCloseTo(-9582.429, 3);
  });
  it('exits 2 on a usage error and 1 on a bad file', () => {
    const usage = spawnSync(process.execPath, [bin, 'fit', CBS], { encoding: 'utf8' });
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain('fit needs --model');
    const missing = spawnSync(process.execPath, [bin, 'fit', 'does-not-exist.csv', '--model', 'bgnbd'], { encoding: 'utf8' });
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('File not found');
  });
});
