import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** The bundled sample files, as the background reads them. */
export function readBundledSample(): { customersCsv: string; transactionsCsv: string } {
  const read = (file: string) => readFileSync(resolve(process.cwd(), 'assets/public/sample', file), 'utf8');
  return { customersCsv: read('customers.csv'), transactionsCsv: read('transactions.csv') };
}
