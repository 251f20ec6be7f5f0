import { describe, expect, it } from 'vitest';
import { buildPdf, pdfString } from '../../../lib/equity/pdf';

const latin1 = (bytes: Uint8Array) => Array.from(bytes, (b) => String.fromCharCode(b)).join('');
// The smallest JPEG-looking bytes (the writer embeds them as they are).
const JPEG = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0xff, 0xd9]);

describe('one-page PDF writer', () => {
  const pdf = buildPdf({
    jpeg: JPEG,
    width: 1240,
    height: 1754,
    texts: [
      { text: 'Customer equity $1,234,567', x: 40, y: 100, size: 30 },
      { text: 'Change −$310 (a) \\ b', x: 40, y: 140, size: 16 },
    ],
    title: 'Customer equity report',
    created: new Date('2026-11-22T10:00:00Z'),
  });
  const text = latin1(pdf);

  it('is a PDF whose cross-reference table points at every object', () => {
    expect(text.startsWith('%PDF-1.4\n')).toBe(true);
    expect(text.trimEnd().endsWith('%%EOF')).toBe(true);
    const startxref = Number(/startxref\n(\d+)\n/.exec(text)![1]);
    expect(text.slice(startxref, startxref + 4)).toBe('xref');
    const entries = text.slice(startxref).split('\n').slice(3, 10);
    entries.forEach((line, k) => {
      const offset = Number(line.slice(0, 10));
      expect(text.slice(offset, offset + `${k + 1} 0 obj`.length)).toBe(`${k + 1} 0 obj`);
    });
    // Stream lengths are exact.
    const image = /\/Length (\d+) >>\nstream\n/.exec(text)!;
    const start = image.index + image[0].length;
    expect(text.slice(start + Number(image[1]), start + Number(image[1]) + 10)).toBe('\nendstream');
    expect(pdf.slice(start, start + JPEG.length)).toEqual(JPEG);
  });

  it('carries the painted strings as text, scaled to the page, with escapes and WinAnsi', () => {
    expect(text).toContain('(Customer equity $1,234,567) Tj');
    expect(text).toContain('(Change -$310 \\(a\\) \\\\ b) Tj');
    expect(text).toContain('3 Tr');
    expect(text).toContain('/Title (Customer equity report)');
    expect(text).toContain('/CreationDate (D:20261122100000Z)');
    expect(pdfString('€5 — ok ≤ 2 é 日')).toBe('(\\2005 \\227 ok <= 2 \\351 ?)');
  });

  it('refuses what it cannot embed', () => {
    expect(() => buildPdf({ jpeg: new Uint8Array([1, 2, 3, 4, 5]), width: 10, height: 10, texts: [], title: 't', created: new Date() })).toThrow(/not a JPEG/);
    expect(() => buildPdf({ jpeg: JPEG, width: 0, height: 10, texts: [], title: 't', created: new Date() })).toThrow(/no size/);
  });
});
