/**
 * How a bucket of the `valueBuckets` table is stored. A scoring run's values (SlimValue: numbers
 * only) are packed in columns: the customer ids, and one Float64Array of their numbers, row after
 * row. The browser copies a typed array in one piece, where 100,000 small objects cost a property
 * name per field each (measured: writing 100,000 values ~0.9–1.1 s as objects). Values stored whole
 * (older stores, old backups, a customer written with its value by putCustomers) stay in `items`, as
 * before, and every reader accepts both.
 */
import type { FullStoredValue, SlimValue, StoredValue, ValueBucket } from './records';


/** The packed fields, in order. `firstDay` NaN = unknown. */
export const VALUE_COLUMNS = [
  'modelRunId',
  'x',
  'tx',
  'T',
  'monetary',
  'pAlive',
  'expectedTransactions',
  'expectedSpend',
  'clv',
  'next12Months',
  'tierIndex',
  'rank',
  'flagBits',
  'firstDay',
  'lifetimeValue',
] as const;
const COLUMNS = VALUE_COLUMNS;
const WIDTH = COLUMNS.length;
/** The width of buckets written before `lifetimeValue` (issue 16): the columns up to firstDay. */
const FIRST_WIDTH = COLUMNS.indexOf('lifetimeValue');
/** Columns that are absent (NaN) when unknown, rather than numbers every value has. */
const OPTIONAL: ReadonlySet<string> = new Set(['firstDay', 'lifetimeValue']);

function isSlim(value: StoredValue): value is SlimValue {
  return typeof (value as SlimValue).flagBits === 'number' && typeof (value as FullStoredValue).tier !== 'string';
}

/** A bucket record holding these values: slim ones packed, whole ones as they are. */
export function packBucket(bucket: number, values: readonly StoredValue[]): ValueBucket {
  const slim = values.filter(isSlim);
  const whole = values.filter((v) => !isSlim(v));
  const record: ValueBucket = { bucket };
  if (slim.length > 0) {
    const numbers = new Float64Array(slim.length * WIDTH);
    slim.forEach((v, i) => {
      for (let c = 0; c < WIDTH; c++) numbers[i * WIDTH + c] = (v[COLUMNS[c]!] as number | undefined) ?? Number.NaN;
    });
    record.ids = slim.map((v) => v.customerId);
    record.numbers = numbers;
    record.width = WIDTH;
  }
  if (whole.length > 0) record.items = whole;
  return record;
}

function unpackAt(record: ValueBucket, i: number): SlimValue {
  const numbers = record.numbers!;
  const width = record.width ?? FIRST_WIDTH;
  const value = { customerId: record.ids![i]! } as SlimValue & Record<string, unknown>;
  for (let c = 0; c < Math.min(width, WIDTH); c++) {
    const number = numbers[i * width + c] as number;
    const column = COLUMNS[c]!;
    if (!OPTIONAL.has(column) || !Number.isNaN(number)) value[column] = number;
  }
  return value;
}

/** Every value in a bucket record (none for a missing record). */
export function unpackBucket(record: ValueBucket | undefined): StoredValue[] {
  if (!record) return [];
  const out: StoredValue[] = [...(record.items ?? [])];
  const count = record.ids?.length ?? 0;
  for (let i = 0; i < count; i++) out.push(unpackAt(record, i));
  return out;
}

/** One customer's value in a bucket record, without unpacking the others. */
export function findInBucket(record: ValueBucket | undefined, customerId: string): StoredValue | undefined {
  if (!record) return undefined;
  const i = record.ids?.indexOf(customerId) ?? -1;
  if (i >= 0) return unpackAt(record, i);
  return record.items?.find((v) => v.customerId === customerId);
}
