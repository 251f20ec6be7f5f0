import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { attachDeclarativeShadowRoots } from './shadow';

/**
 * Parses a saved host page (tests/fixtures/hosts/...) into a Document, without running its scripts,
 * attaching its declarative shadow roots as Chromium's parser does (see ./shadow.ts).
 */
export function loadFixture(relativePath: string): Document {
  const html = readFileSync(resolve(process.cwd(), 'tests/fixtures/hosts', relativePath), 'utf8');
  const document = new DOMParser().parseFromString(html, 'text/html');
  attachDeclarativeShadowRoots(document);
  return document;
}

export function htmlDocument(html: string): Document {
  return new DOMParser().parseFromString(html, 'text/html');
}
