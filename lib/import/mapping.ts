/**
 * How a file's columns map to what Centric imports, and the preview the wizard shows before
 * importing: dialect, header, first rows, the detected preset and date layout.
 */
import { z } from 'zod';
import { DATE_FORMATS, type DateFormat, detectDateFormat } from '../csv/dates';
import { type Dialect, detectDialect, sampleOf } from '../csv/dialect';
import { splitRecords } from '../csv/scan';
import { type ImportKind, type MappingField, type Preset, detectPreset, mapColumns, presetById } from './presets';

export const dialectSchema = z.object({
  delimiter: z.enum([',', ';', '\t', '|', 'whitespace']),
  header: z.boolean(),
  decimalComma: z.boolean(),
});

export const mappingSchema = z.object({
  kind: z.enum(['transactions', 'customers', 'subscriptions']),
  presetId: z.string().optional(),
  /** 0-based column index per field; absent = not in the file. */
  columns: z.record(z.string(), z.number().int().min(0)),
  dateFormat: z.enum(DATE_FORMATS as [DateFormat, ...DateFormat[]]),
  dialect: dialectSchema,
  countedStatuses: z.array(z.string()).optional(),
  lineItemRows: z.boolean().optional(),
});

export type ImportMapping = z.infer<typeof mappingSchema>;

export interface FilePreview {
  dialect: Dialect;
  header: string[];
  /** The first data rows, as text. */
  rows: string[][];
  preset: Preset | undefined;
  mapping: ImportMapping;
  /** Date layouts that fit the sample; more than one means the person must choose. */
  dateCandidates: DateFormat[];
}

const DATE_FIELDS: Record<ImportKind, MappingField> = { transactions: 'date', subscriptions: 'start', customers: 'customer' };

/** Reads the start of a file and proposes a mapping (the person can change every part of it). */
export function previewFile(head: string, kind: ImportKind, presetId?: string, previewRows = 8): FilePreview {
  const sample = sampleOf(head);
  const dialect = detectDialect(sample);
  const records = splitRecords(sample, dialect.delimiter, 200).map((r) => r.fields);
  const first = records[0] ?? [];
  const header = dialect.header ? first.map((h) => h.trim()) : first.map((_, i) => `column ${i + 1}`);
  const body = dialect.header ? records.slice(1) : records;
  const preset = (presetId ? presetById(presetId) : undefined) ?? detectPreset(header, kind);
  const found = preset ? mapColumns(preset, header) : {};
  const columns: Record<string, number> = {};
  for (const [field, index] of Object.entries(found)) if (index !== undefined && index >= 0) columns[field] = index;
  const dateIndex = columns[DATE_FIELDS[kind]];
  const detection =
    kind === 'customers' || dateIndex === undefined
      ? { format: 'YYYY-MM-DD' as DateFormat, candidates: [] as DateFormat[] }
      : detectDateFormat(body.map((r) => r[dateIndex] ?? ''));
  return {
    dialect,
    header,
    rows: body.slice(0, previewRows),
    preset,
    mapping: {
      kind,
      presetId: preset?.id,
      columns,
      dateFormat: detection.format ?? detection.candidates[0] ?? 'YYYY-MM-DD',
      dialect,
      countedStatuses: preset?.countedStatuses ? [...preset.countedStatuses] : undefined,
      lineItemRows: preset?.lineItemRows,
    },
    dateCandidates: detection.candidates,
  };
}

/**
 * The preview's mapping with some columns chosen by the person (field -> 0-based column index), the
 * others as proposed. When the date column changes, its layout is detected again from the preview's
 * rows (build the preview with enough of them: previewFile(head, kind, preset, 200)).
 */
export function chooseColumns(preview: FilePreview, chosen: Partial<Record<MappingField, number>>): { mapping: ImportMapping; dateCandidates: DateFormat[] } {
  const columns = { ...preview.mapping.columns };
  for (const [field, index] of Object.entries(chosen)) if (index !== undefined) columns[field] = index;
  const dateField = DATE_FIELDS[preview.mapping.kind];
  const dateIndex = columns[dateField];
  if (preview.mapping.kind === 'customers' || dateIndex === undefined || dateIndex === preview.mapping.columns[dateField]) {
    return { mapping: { ...preview.mapping, columns }, dateCandidates: preview.dateCandidates };
  }
  const detection = detectDateFormat(preview.rows.map((r) => r[dateIndex] ?? ''));
  return { mapping: { ...preview.mapping, columns, dateFormat: detection.format ?? 'YYYY-MM-DD' }, dateCandidates: detection.candidates };
}

/** Fields the mapping still lacks for its kind, in words, e.g. ["date"]; empty when complete. */
export function missingFields(mapping: ImportMapping): string[] {
  const required: Record<ImportKind, MappingField[]> = {
    transactions: ['customer', 'date', 'amount'],
    customers: ['customer'],
    subscriptions: ['customer', 'start', 'revenue'],
  };
  return required[mapping.kind].filter((field) => mapping.columns[field] === undefined);
}

/**
 * What makes the start of a file unusable before any column is mapped, in words (undefined when it
 * looks like text): empty, a spreadsheet workbook or another binary file instead of CSV text.
 */
export function fileProblem(head: string): string | undefined {
  const text = head.charCodeAt(0) === 0xfeff ? head.slice(1) : head;
  if (text.trim() === '') return 'The file is empty.';
  if (text.startsWith('PK\u0003\u0004')) return 'This is a zip file, perhaps an Excel workbook (.xlsx): save it as CSV (UTF-8) and choose that file.';
  if (text.startsWith('%PDF')) return 'This is a PDF document, not a CSV file.';
  if (text.slice(0, 4096).includes('\u0000')) {
    return 'This is not a text file (it contains binary data, or it is UTF-16 text): choose a CSV file saved as UTF-8.';
  }
  return undefined;
}
