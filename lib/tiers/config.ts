/**
 * Configuration of the customer pyramid: tier names, colours, cut-offs, flag thresholds and the words
 * used in explanations. Validated with zod/mini (the small build: this module may run in a content
 * script). The configuration is plain JSON, so it can be stored and edited in the options page.
 *
 * Cut-offs: `cutoff: 'percentile'` gives each tier a share of the customer base (`percent`, best tier
 * first, summing to 100); `cutoff: 'absolute'` gives each tier but the last a minimum predicted value
 * (`minValue`, decreasing). A tier may carry both, so a UI can switch modes without losing either.
 * The last tier always also holds every customer without a positive predicted value.
 */
import { z } from 'zod/mini';

const HEX_COLOR = /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/;

/** WCAG 2.x AA minimum contrast for normal text. */
export const MIN_TEXT_CONTRAST = 4.5;

/** Relative luminance of a #rgb / #rrggbb colour (WCAG 2.x definition). */
export function relativeLuminance(color: string): number {
  if (!HEX_COLOR.test(color)) throw new Error(`Not a hex colour: ${color}`);
  let hex = color.slice(1);
  if (hex.length === 3) hex = hex.replace(/./g, (c) => c + c);
  const channel = (offset: number): number => {
    const v = parseInt(hex.slice(offset, offset + 2), 16) / 255;
    return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
  };
  return 0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4);
}

/** WCAG contrast ratio of two colours, from 1 (same) to 21 (black on white). */
export function contrastRatio(a: string, b: string): number {
  const la = relativeLuminance(a);
  const lb = relativeLuminance(b);
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

const DARK_TEXT = '#111827';
const LIGHT_TEXT = '#ffffff';

/** The text colour (near-black or white) with the higher contrast on `background`. */
export function readableForeground(background: string): string {
  return contrastRatio(DARK_TEXT, background) >= contrastRatio(LIGHT_TEXT, background) ? DARK_TEXT : LIGHT_TEXT;
}

const hexColor = z.string().check(z.regex(HEX_COLOR, 'Use a hex colour such as #1e293b.'));

export const TierDefinitionSchema = z.object({
  /** Stable identifier (lower case, digits, dashes), e.g. "platinum". */
  id: z.string().check(z.regex(/^[a-z][a-z0-9-]{0,31}$/, 'Use lower-case letters, digits and dashes, starting with a letter.')),
  /** Name shown to people, e.g. "Platinum". */
  name: z.string().check(z.minLength(1), z.maxLength(40)),
  /** Badge background colour. */
  color: hexColor,
  /** Badge text colour; must reach 4.5:1 contrast on `color`. Chosen automatically when left out. */
  foreground: z.optional(hexColor),
  /** Share of customers in this tier, in percent (percentile cut-offs). */
  percent: z.optional(z.number().check(z.gte(0), z.lte(100))),
  /** Lowest predicted value that reaches this tier (absolute cut-offs; ignored on the last tier). */
  minValue: z.optional(z.number().check(z.gte(0))),
});

export const TierConfigSchema = z
  .object({
    cutoff: z.enum(['percentile', 'absolute']),
    /** Best tier first; the last tier also holds customers without a positive predicted value. */
    tiers: z.array(TierDefinitionSchema).check(z.minLength(2), z.maxLength(8)),
    atRisk: z.object({
      /** Customers in this many top tiers count as high value. */
      topTiers: z.int().check(z.gte(0), z.lte(8)),
      /** Also count as high value: predicted value at or above this percentile (e.g. 90 = top 10 %). */
      valuePercentile: z.optional(z.number().check(z.gte(0), z.lt(100))),
      /** Flag high-value customers whose P(alive) is below this. */
      pAliveBelow: z.number().check(z.gt(0), z.lte(1)),
    }),
    newCustomer: z.object({
      /** A first purchase at most this many days before the as-of date makes a customer "new". */
      withinDays: z.int().check(z.gte(0), z.lte(3650)),
    }),
    display: z.object({
      /** Words before the amount in explanations, e.g. "predicted value". */
      valueLabel: z.string().check(z.minLength(1), z.maxLength(60)),
      /** Words after the amount, e.g. "over 12 months". */
      horizonLabel: z.string().check(z.maxLength(60)),
      /** ISO 4217 currency code for amounts. */
      currency: z.string().check(z.regex(/^[A-Z]{3}$/, 'Use a 3-letter currency code such as USD.')),
      /** BCP 47 locale for numbers, e.g. "en-US". */
      locale: z.string().check(
        z.minLength(2),
        z.maxLength(35),
        z.refine((tag) => {
          try {
            return Intl.NumberFormat.supportedLocalesOf([tag]).length > 0;
          } catch {
            return false;
          }
        }, 'Use a language tag this browser knows, such as en-US, en-GB, de-DE or fr-FR.'),
      ),
    }),
  })
  .check(
    z.superRefine((config, ctx) => {
      const ids = new Set<string>();
      config.tiers.forEach((tier, i) => {
        if (ids.has(tier.id)) ctx.addIssue({ code: 'custom', message: `Tier id "${tier.id}" is used twice.`, path: ['tiers', i, 'id'] });
        ids.add(tier.id);
        if (tier.foreground !== undefined && HEX_COLOR.test(tier.foreground) && HEX_COLOR.test(tier.color)) {
          const ratio = contrastRatio(tier.foreground, tier.color);
          if (ratio < MIN_TEXT_CONTRAST) {
            ctx.addIssue({
              code: 'custom',
              message: `Text colour ${tier.foreground} on ${tier.color} has contrast ${ratio.toFixed(2)}:1, below the ${MIN_TEXT_CONTRAST}:1 needed to read it.`,
              path: ['tiers', i, 'foreground'],
            });
          }
        }
      });
      if (config.cutoff === 'percentile') {
        let sum = 0;
        config.tiers.forEach((tier, i) => {
          if (tier.percent === undefined) {
            ctx.addIssue({ code: 'custom', message: `Tier "${tier.name}" needs a percent for percentile cut-offs.`, path: ['tiers', i, 'percent'] });
          } else sum += tier.percent;
        });
        if (Math.abs(sum - 100) > 1e-6) {
          ctx.addIssue({ code: 'custom', message: `Tier percents must add up to 100 (they add up to ${sum}).`, path: ['tiers'] });
        }
      } else {
        const last = config.tiers.length - 1;
        let previous = Infinity;
        config.tiers.forEach((tier, i) => {
          if (i === last) return;
          if (tier.minValue === undefined) {
            ctx.addIssue({ code: 'custom', message: `Tier "${tier.name}" needs a minimum value for absolute cut-offs.`, path: ['tiers', i, 'minValue'] });
            return;
          }
          if (!(tier.minValue < previous)) {
            ctx.addIssue({
              code: 'custom',
              message: `Minimum values must decrease from the best tier down ("${tier.name}" has ${tier.minValue}).`,
              path: ['tiers', i, 'minValue'],
            });
          }
          previous = tier.minValue;
        });
      }
      if (config.atRisk.topTiers >= config.tiers.length) {
        ctx.addIssue({
          code: 'custom',
          message: `atRisk.topTiers must be less than the number of tiers (${config.tiers.length}).`,
          path: ['atRisk', 'topTiers'],
        });
      }
    }),
  );

export type TierDefinition = z.infer<typeof TierDefinitionSchema>;
export type TierConfig = z.infer<typeof TierConfigSchema>;

/** The default pyramid: Platinum top 5 %, Gold next 15 %, Iron next 60 %, Lead bottom 20 % (and no-value customers). */
export const DEFAULT_TIER_CONFIG: TierConfig = TierConfigSchema.parse({
  cutoff: 'percentile',
  tiers: [
    { id: 'platinum', name: 'Platinum', color: '#e2e8f0', foreground: '#0f172a', percent: 5 },
    { id: 'gold', name: 'Gold', color: '#facc15', foreground: '#1f2937', percent: 15 },
    { id: 'iron', name: 'Iron', color: '#64748b', foreground: '#ffffff', percent: 60 },
    { id: 'lead', name: 'Lead', color: '#1e293b', foreground: '#ffffff', percent: 20 },
  ],
  atRisk: { topTiers: 2, pAliveBelow: 0.5 },
  newCustomer: { withinDays: 30 },
  display: { valueLabel: 'predicted value', horizonLabel: 'over 12 months', currency: 'USD', locale: 'en-US' },
});

/** Error thrown by parseTierConfig, with every problem in plain words. */
export class TierConfigError extends Error {
  readonly issues: { path: string; message: string }[];
  constructor(issues: { path: string; message: string }[]) {
    super(`The tier configuration is not valid: ${issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join(' ')}`);
    this.name = 'TierConfigError';
    this.issues = issues;
  }
}

/** Validates a tier configuration (e.g. loaded from storage); throws TierConfigError listing every problem. */
export function parseTierConfig(input: unknown): TierConfig {
  const result = TierConfigSchema.safeParse(input);
  if (result.success) return result.data;
  throw new TierConfigError(
    result.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message })),
  );
}

/** The text colour of a tier's badge: the configured one, or near-black/white by contrast. */
export function tierForeground(tier: TierDefinition): string {
  return tier.foreground ?? readableForeground(tier.color);
}
