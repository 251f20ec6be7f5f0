import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** Parses a saved host page (tests/fixtures/hosts/...) into a Document, without running its scripts. */
export function loadFixture(relativePath: string): Document {
  const html = readFileSync(resolve(process.cwd(), 'tests/fixtures/hosts', relativePath), 'utf8');
  return new DOMParser().parseFromString(html, 'text/html');
}

export function htmlDocument(html: string): Document {
  return new DOMParser().parseFromString(html, 'text/html');
}
