/**
 * Renders Centric's icon (assets/icon.svg) to the PNG sizes the manifest names
 * (assets/public/icons/icon-<size>.png, shipped as-is), with Debian's Chromium, which the tests and
 * the demo already need: no image library to install. Run after changing the SVG:
 *   npm run icons
 * The PNGs are committed, so a build needs neither this script nor a browser.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { ICON_SIZES } from '../lib/toolbar/icons';

const SOURCE = resolve(process.cwd(), 'assets/icon.svg');
const OUT = resolve(process.cwd(), 'assets/public/icons');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const svg = readFileSync(SOURCE, 'utf8');
if (!/^<svg[\s>]/.test(svg.trim())) throw new Error(`${SOURCE} is not an SVG file (it must start with <svg>).`);
mkdirSync(OUT, { recursive: true });
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage({ deviceScaleFactor: 1 });
  for (const size of ICON_SIZES) {
    await page.setViewportSize({ width: size, height: size });
    const src = `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
    await page.setContent(`<html><body style="margin:0;background:transparent"><img src="${src}" width="${size}" height="${size}" style="display:block"></body></html>`);
    await page.locator('img').evaluate((img: HTMLImageElement) => img.decode());
    const png = await page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
    writeFileSync(resolve(OUT, `icon-${size}.png`), png);
    console.log(`assets/public/icons/icon-${size}.png (${png.length} bytes)`);
  }
} finally {
  await browser.close();
}
