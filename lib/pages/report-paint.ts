/**
 * Paints the one-page report on a canvas (A4 portrait at 150 dpi, 1240 × 1754 px) for the PNG and
 * PDF exports: text drawn with fillText (always text, never page markup) and the report's charts
 * copied in. Every string painted is recorded with its position so the PDF carries it as text.
 */
import { countText, moneyText, percentText } from '~/lib/dashboard/format';
import type { PdfText } from '~/lib/equity/pdf';
import type { ReportData } from '~/lib/equity/report';
import { bridgeSentence, changeText, concentrationText, equityText, movesSentence, newCustomerHeadline, newCustomerSentence, provenanceLines } from '~/lib/equity/words';
import { PRINT } from './report-charts';

export const PAGE = { width: 1240, height: 1754, margin: 64 };

export interface PaintedReport {
  canvas: HTMLCanvasElement;
  texts: PdfText[];
}

const FONT = 'Helvetica, Arial, sans-serif';

export function paintReport(report: ReportData, charts: { tiers: HTMLCanvasElement | null; bridge: HTMLCanvasElement | null; cohorts: HTMLCanvasElement | null; repeat?: HTMLCanvasElement | null }): PaintedReport {
  const canvas = document.createElement('canvas');
  canvas.width = PAGE.width;
  canvas.height = PAGE.height;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('This browser cannot draw the report image (no 2D canvas).');
  const texts: PdfText[] = [];
  const d = report.display;
  const left = PAGE.margin;
  const right = PAGE.width - PAGE.margin;
  const width = right - left;
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, PAGE.width, PAGE.height);
  ctx.textBaseline = 'alphabetic';

  const text = (s: string, x: number, y: number, size: number, options: { bold?: boolean; color?: string; align?: 'left' | 'right' } = {}) => {
    ctx.font = `${options.bold ? 'bold ' : ''}${size}px ${FONT}`;
    ctx.fillStyle = options.color ?? PRINT.text;
    ctx.textAlign = options.align ?? 'left';
    ctx.fillText(s, x, y);
    const w = ctx.measureText(s).width;
    texts.push({ text: s, x: options.align === 'right' ? x - w : x, y, size });
  };
  /** Wrapped paragraph; returns the y after it. */
  const paragraph = (s: string, x: number, y: number, size: number, maxWidth: number, color?: string): number => {
    ctx.font = `${size}px ${FONT}`;
    const words = s.split(/\s+/);
    let line = '';
    const lineHeight = Math.round(size * 1.35);
    for (const word of words) {
      const candidate = line ? `${line} ${word}` : word;
      if (ctx.measureText(candidate).width > maxWidth && line) {
        text(line, x, y, size, { color });
        y += lineHeight;
        line = word;
      } else line = candidate;
    }
    if (line) {
      text(line, x, y, size, { color });
      y += lineHeight;
    }
    return y;
  };
  const heading = (s: string, y: number): number => {
    text(s, left, y, 22, { bold: true });
    ctx.fillStyle = PRINT.grid;
    ctx.fillRect(left, y + 8, width, 2);
    return y + 36;
  };
  const chart = (source: HTMLCanvasElement | null, x: number, y: number, w: number, h: number) => {
    if (!source || source.width === 0 || source.height === 0) return;
    const scale = Math.min(w / source.width, h / source.height);
    ctx.drawImage(source, x, y, source.width * scale, source.height * scale);
  };
  const table = (header: string[], rows: string[][], x: number, y: number, widths: number[], size = 15): number => {
    const lineHeight = Math.round(size * 1.55);
    let cx = x;
    header.forEach((h, j) => {
      const numeric = j > 0;
      text(h, numeric ? cx + (widths[j] as number) : cx, y, size, { bold: true, color: PRINT.muted, align: numeric ? 'right' : 'left' });
      cx += widths[j] as number;
    });
    y += lineHeight;
    for (const row of rows) {
      cx = x;
      row.forEach((cell, j) => {
        const numeric = j > 0;
        text(cell, numeric ? cx + (widths[j] as number) : cx, y, size, { align: numeric ? 'right' : 'left' });
        cx += widths[j] as number;
      });
      y += lineHeight;
    }
    return y;
  };

  // Title and provenance.
  let y = PAGE.margin + 36;
  text(report.title, left, y, 40, { bold: true });
  y += 34;
  for (const line of provenanceLines(report)) y = paragraph(line, left, y, 16, width, PRINT.muted);
  y += 18;

  // Key figures.
  const boxW = (width - 40) / 3;
  const figures: [string, string, string][] = [
    ['Customer equity', equityText(report), changeText(report)],
    ['Per customer', moneyText(report.equity.perCustomer, d), `${countText(report.provenance.scoredCustomers, d)} customers scored`],
    ['Most to pay for a new customer', newCustomerHeadline(report), 'like your average one'],
  ];
  figures.forEach(([label, value, note], k) => {
    const x = left + k * (boxW + 20);
    ctx.strokeStyle = PRINT.grid;
    ctx.lineWidth = 2;
    ctx.strokeRect(x, y, boxW, 128);
    text(label, x + 18, y + 32, 17, { color: PRINT.muted });
    text(value, x + 18, y + 80, 40, { bold: true });
    text(note, x + 18, y + 110, 15, { color: PRINT.muted });
  });
  y += 160;
  y = paragraph(concentrationText(report), left, y, 17, width);
  y = paragraph(newCustomerSentence(report), left, y, 17, width);
  y += 14;

  // Tiers.
  y = heading('Tiers', y);
  const tierTop = y;
  y = table(
    ['Tier', 'Customers', 'Equity', 'Share', 'Mean value', 'First order'],
    report.tiers.map((t) => [t.name, countText(t.customers, d), moneyText(t.equity, d), percentText(t.share), moneyText(t.meanClv, d), t.firstOrder ? moneyText(t.firstOrder.median, d) : '—']),
    left,
    y,
    [120, 110, 130, 80, 120, 120],
  );
  chart(charts.tiers, left + 720, tierTop - 24, width - 720, 200);
  y = Math.max(y, tierTop + 190);
  y = paragraph(`First order: the median amount of the customers' first purchase day. ${report.channelNote}`, left, y, 14, width, PRINT.muted);
  y += 14;

  // Changes.
  y = heading('Changes since the last scoring', y);
  const changesTop = y;
  const hasBridge = 'bridge' in report.changes && charts.bridge;
  const textWidth = hasBridge ? 520 : width;
  y = paragraph(bridgeSentence(report), left, y, 16, textWidth);
  const moves = movesSentence(report);
  if (moves) y = paragraph(moves, left, y, 16, textWidth);
  if (report.watchList.length > 0) {
    y = paragraph(`Watch list (high value, at risk): ${report.watchList.slice(0, 5).map((w) => `${w.name} (${moneyText(w.clv, d)})`).join(', ')}${report.watchList.length > 5 ? ', …' : '.'}`, left, y + 6, 15, textWidth);
  }
  if (hasBridge) {
    chart(charts.bridge, left + 550, changesTop - 20, width - 550, 250);
    y = Math.max(y, changesTop + 240);
  }
  y += 10;

  // Cohorts.
  y = heading(`Customer equity by acquisition ${report.cohorts.period}`, y);
  const cohortTop = y;
  const rows = report.cohorts.rows;
  const shown = rows.length > 8 ? rows.slice(-8) : rows;
  y = table(
    ['Cohort', 'Customers', 'Repeat', 'Revenue', 'Equity'],
    [
      ...shown.map((r) => [r.label, countText(r.customers, d), countText(r.repeatTransactions, d), moneyText(r.revenue, d), moneyText(r.equity, d)]),
      ['Total', countText(report.cohorts.total.customers, d), countText(report.cohorts.total.repeatTransactions, d), moneyText(report.cohorts.total.revenue, d), moneyText(report.cohorts.total.equity, d)],
    ],
    left,
    y,
    [110, 110, 90, 130, 130],
    14,
  );
  if (rows.length > shown.length) y = paragraph(`The last ${shown.length} of ${rows.length} cohorts; the CSV has them all.`, left, y, 13, 560, PRINT.muted);
  chart(charts.cohorts, left + 600, cohortTop - 24, width - 600, 260);
  y = Math.max(y, cohortTop + 250) + 10;
  // The C3 chart where the page has room for it (and the accuracy paragraph after it).
  const room = Math.min(250, PAGE.height - 90 - y - 130);
  if (charts.repeat && room >= 140) {
    text(`Repeat transactions per ${report.cohorts.period}, by acquisition cohort`, left, y + 4, 15, { bold: true, color: PRINT.muted });
    chart(charts.repeat, left, y + 14, width, room);
    y += 14 + Math.min(room, (width / charts.repeat.width) * charts.repeat.height) + 16;
  }

  // Accuracy.
  y = heading("How far to trust the model", y);
  y = paragraph(report.accuracy.reading, left, y, 16, width);

  text(`Centric · customer equity report · generated ${report.generatedAt.slice(0, 10)}`, left, PAGE.height - 36, 13, { color: PRINT.muted });
  return { canvas, texts };
}
