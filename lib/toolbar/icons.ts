/**
 * Centric's toolbar and extension icons: drawn once in assets/icon.svg, rendered to
 * assets/public/icons/icon-<size>.png by `npm run icons` (scripts/make-icons.ts), shipped as-is.
 */
export const ICON_SIZES = [16, 32, 48, 96, 128] as const;

/** The manifest's `icons` (and `action.default_icon`): size → path inside the extension. */
export function iconPaths(): Record<string, string> {
  return Object.fromEntries(ICON_SIZES.map((size) => [String(size), `icons/icon-${size}.png`]));
}
