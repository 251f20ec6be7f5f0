import { describe, expect, it } from 'vitest';
import { SCORE_COLUMNS, scoreRowsToCsv, scoreRowsToJson, scoresToCsv } from '~/lib/dashboard/export';
import { customer } from './base';

describe('the scores file', () => {
  it('writes the columns and number formatting of centric score', () => {
    const scored = customer('1', { clv: 29.784190771234, tierIndex: 1, pAlive: 0.66111951923, rank: 5 });
    scored.value = { ...scored.value!, x: 3, tx: 49.285714285714, T: 77.857142857142, monetary: 23.723333333333, expectedTransactions: 1.2056293731, expectedSpend: 25.959958213, lifetimeValue: 61.123456789 };
    const text = scoresToCsv([scored, customer('a,"b"', null)]);
    expect(text).toBe(
      'id,x,t_x,T,monetary,pAlive,expectedTransactions,expectedSpend,clv,lifetimeValue,tier\n' +
        '1,3,49.28571429,77.85714286,23.72333333,0.6611195192,1.205629373,25.95995821,29.78419077,61.12345679,Gold\n' +
        '"a,""b""",,,,,,,,,,\n',
    );
  });

  it('writes rows as CSV with empty cells for missing numbers, and as JSON with nulls', () => {
    const row = { id: '7', x: 0, tx: 0, T: 104, monetary: null, pAlive: 1, expectedTransactions: 0.14210658440216314, expectedSpend: null, clv: null, tier: 'Iron' };
    expect(scoreRowsToCsv([row]).split('\n')[1]).toBe('7,0,0,104,,1,0.1421065844,,,,Iron');
    const [json] = JSON.parse(scoreRowsToJson([row]));
    expect(Object.keys(json)).toEqual([...SCORE_COLUMNS]);
    expect(json).toMatchObject({ id: '7', t_x: 0, monetary: null, expectedTransactions: 0.14210658440216314, tier: 'Iron' });
  });
});
