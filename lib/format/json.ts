/** JSON for files people and programs read (exports, the CLI): indented, non-finite numbers as null. */
export function jsonText(value: unknown): string {
  return JSON.stringify(value, (_, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2) + '\n';
}
