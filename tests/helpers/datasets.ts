import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** The shared datasets live beside the project root (../shared/datasets), also in CI. */
export const DATASETS_DIR = resolve(process.cwd(), '..', 'shared', 'datasets');

export function datasetPath(name: string): string {
  return resolve(DATASETS_DIR, name);
}

export function readDataset(name: string): string {
  return readFileSync(datasetPath(name), 'utf8');
}

/** Parses a small, simple CSV (no quoted commas) into objects keyed by header. For tests only. */
export function readSimpleCsv(name: string): Record<string, string>[] {
  const lines = readDataset(name).trim().split(/\r?\n/);
  const header = (lines.shift() ?? '').split(',').map((h) => h.replace(/^"|"$/g, ''));
  return lines.map((line) => {
    const cells = line.split(',').map((c) => c.replace(/^"|"$/g, ''));
    return Object.fromEntries(header.map((h, i) => [h, cells[i] ?? '']));
  });
}
