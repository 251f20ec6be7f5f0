/**
 * A small, honest PDF writer for the one-page report (PDF 1.4, ISO 32000-1 structure): one page
 * holding the report painted as a JPEG image (DCTDecode: the JPEG bytes are embedded as they are),
 * and, on top of it, the painted strings as invisible text (text render mode 3) at the same places,
 * so the PDF can be searched and its numbers copied. Fonts: the standard Helvetica (no embedding),
 * WinAnsi encoding; characters outside it are written as their nearest ASCII form.
 */

export interface PdfText {
  text: string;
  /** Position of the text's baseline start and its size, in image pixels from the top left. */
  x: number;
  y: number;
  size: number;
}

export interface PdfPage {
  jpeg: Uint8Array;
  /** Pixel size of the JPEG. */
  width: number;
  height: number;
  texts: readonly PdfText[];
  title: string;
  /** The document's creation date. */
  created: Date;
  /** Page size in points (default A4 portrait, 595.28 × 841.89). */
  pageWidth?: number;
  pageHeight?: number;
}

/** WinAnsi (Windows-1252) bytes for the characters above 0x7f that it has beyond Latin-1. */
const WIN_ANSI: Record<string, number> = {
  '€': 0x80, '‚': 0x82, 'ƒ': 0x83, '„': 0x84, '…': 0x85, '†': 0x86, '‡': 0x87, 'ˆ': 0x88, '‰': 0x89, 'Š': 0x8a, '‹': 0x8b, 'Œ': 0x8c, 'Ž': 0x8e,
  '‘': 0x91, '’': 0x92, '“': 0x93, '”': 0x94, '•': 0x95, '–': 0x96, '—': 0x97, '˜': 0x98, '™': 0x99, 'š': 0x9a, '›': 0x9b, 'œ': 0x9c, 'ž': 0x9e, 'Ÿ': 0x9f,
};
const NEAREST: Record<string, string> = { '−': '-', '≤': '<=', '≥': '>=', '×': 'x', '→': '->', '\u00a0': ' ', '\u202f': ' ', '\u2009': ' ' };

/** A PDF literal string's bytes (as a Latin-1 JS string): WinAnsi, with \, ( and ) escaped. */
export function pdfString(text: string): string {
  let out = '(';
  for (const ch of text) {
    const code = ch.codePointAt(0) as number;
    let byte: number;
    if (ch === '\\' || ch === '(' || ch === ')') {
      out += `\\${ch}`;
      continue;
    } else if (code >= 0x20 && code < 0x7f) byte = code;
    else if (code >= 0xa0 && code <= 0xff && ch !== '\u00a0') byte = code;
    else if (WIN_ANSI[ch] !== undefined) byte = WIN_ANSI[ch] as number;
    else if (NEAREST[ch] !== undefined) {
      out += NEAREST[ch];
      continue;
    } else byte = 0x3f; // "?"
    out += byte < 0x7f ? String.fromCharCode(byte) : `\\${byte.toString(8).padStart(3, '0')}`;
  }
  return `${out})`;
}

function pdfDate(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `D:${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`;
}

const fixed = (n: number) => (Math.round(n * 100) / 100).toString();

/** Whether bytes start like a baseline or progressive JPEG (SOI marker). */
function isJpeg(bytes: Uint8Array): boolean {
  return bytes.length > 4 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
}

/** The PDF file's bytes. */
export function buildPdf(page: PdfPage): Uint8Array<ArrayBuffer> {
  if (!isJpeg(page.jpeg)) throw new Error('The report image is not a JPEG, so it cannot be placed in the PDF.');
  if (!(page.width > 0 && page.height > 0)) throw new Error(`The report image has no size (${page.width} × ${page.height}).`);
  const W = page.pageWidth ?? 595.28;
  const H = page.pageHeight ?? 841.89;
  // Fit the image to the page, keeping its proportions, centred.
  const scale = Math.min(W / page.width, H / page.height);
  const drawW = page.width * scale;
  const drawH = page.height * scale;
  const left = (W - drawW) / 2;
  const bottom = (H - drawH) / 2;
  let content = `q ${fixed(drawW)} 0 0 ${fixed(drawH)} ${fixed(left)} ${fixed(bottom)} cm /Im1 Do Q\nBT 3 Tr\n`;
  for (const t of page.texts) {
    if (!t.text.trim()) continue;
    const size = Math.max(1, t.size * scale);
    content += `/F1 ${fixed(size)} Tf 1 0 0 1 ${fixed(left + t.x * scale)} ${fixed(bottom + drawH - t.y * scale)} Tm ${pdfString(t.text)} Tj\n`;
  }
  content += 'ET\n';

  const chunks: Uint8Array[] = [];
  let length = 0;
  const offsets: number[] = [];
  const latin1 = (s: string) => {
    const bytes = new Uint8Array(s.length);
    for (let i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i) & 0xff;
    return bytes;
  };
  const push = (bytes: Uint8Array) => {
    chunks.push(bytes);
    length += bytes.length;
  };
  const text = (s: string) => push(latin1(s));
  const object = (n: number, body: string, stream?: Uint8Array) => {
    offsets[n] = length;
    text(`${n} 0 obj\n${body}\n`);
    if (stream) {
      text('stream\n');
      push(stream);
      text('\nendstream\n');
    }
    text('endobj\n');
  };
  text('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n');
  object(1, '<< /Type /Catalog /Pages 2 0 R >>');
  object(2, '<< /Type /Pages /Kids [3 0 R] /Count 1 >>');
  object(3, `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${fixed(W)} ${fixed(H)}] /Resources << /XObject << /Im1 4 0 R >> /Font << /F1 5 0 R >> >> /Contents 6 0 R >>`);
  object(4, `<< /Type /XObject /Subtype /Image /Width ${page.width} /Height ${page.height} /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode /Length ${page.jpeg.length} >>`, page.jpeg);
  object(5, '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>');
  const contentBytes = latin1(content);
  object(6, `<< /Length ${contentBytes.length} >>`, contentBytes);
  object(7, `<< /Title ${pdfString(page.title)} /Producer (Centric) /CreationDate (${pdfDate(page.created)}) >>`);
  const xref = length;
  let table = `xref\n0 8\n0000000000 65535 f \n`;
  for (let n = 1; n <= 7; n++) table += `${String(offsets[n]).padStart(10, '0')} 00000 n \n`;
  text(`${table}trailer\n<< /Size 8 /Root 1 0 R /Info 7 0 R >>\nstartxref\n${xref}\n%%EOF\n`);
  const out = new Uint8Array(length);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
