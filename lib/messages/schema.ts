/**
 * The messages between the extension's parts, typed and validated with zod/mini (small enough for the
 * content script). The background validates every request it receives; the content script and pages
 * validate every answer. Page-derived strings are bounded in length: a hostile page cannot send a
 * megabyte "name".
 */
import { z } from 'zod/mini';

const text = (max: number) => z.string().check(z.maxLength(max));

export const identitySchema = z.object({
  email: z.optional(text(320)),
  name: z.optional(text(200)),
  company: z.optional(text(200)),
  domain: z.optional(text(253)),
  host: text(64),
  hostRecordId: z.optional(text(128)),
  recordType: z.optional(text(40)),
  /** How the adapter chose among several candidates on the page, in words ("first of 3 associated contacts"). */
  note: z.optional(text(200)),
});

export const purchaseFactsSchema = z.object({
  orders: z.number(),
  totalSpent: z.number(),
  /** ISO dates (YYYY-MM-DD). */
  firstPurchase: text(10),
  lastPurchase: text(10),
});

const hex = z.string().check(z.regex(/^#[0-9a-fA-F]{6}$/));

/** What the value engine says about a customer (absent until the store has been scored). */
export const customerValueSchema = z.object({
  tier: text(40),
  tierColor: hex,
  tierForeground: hex,
  /** Rank by value (1 = highest), 0 = no expected value. */
  rank: z.number(),
  clv: z.number(),
  next12Months: z.number(),
  /** Residual lifetime value (absent for values scored before it was computed). */
  lifetimeValue: z.optional(z.number()),
  /** The months `clv` covers (absent: 12). */
  horizonMonths: z.optional(z.number()),
  pAlive: z.number(),
  expectedTransactions: z.number(),
  explanation: text(400),
  flags: z.array(text(20)),
  flagExplanations: z.array(text(300)),
  model: text(20),
  scoredAt: text(40),
});

/** The recommended treatment: the first matching rule's, rendered for this customer, with why. */
export const treatmentViewSchema = z.object({
  title: text(80),
  guidance: text(400),
  /** The rule that fired (absent for an account's treatment without rules). */
  ruleId: z.optional(text(64)),
  ruleName: z.optional(text(120)),
  /** The rule's one-line reason. */
  reason: z.optional(text(300)),
  priority: z.optional(z.enum(['urgent', 'high', 'normal', 'low'])),
  /** Response target in words, e.g. "within 1 hour". */
  responseTarget: z.optional(text(60)),
  color: hex,
  links: z.array(z.object({ label: text(80), href: text(2100) })).check(z.maxLength(10)),
  snippets: z.array(z.object({ label: text(80), text: text(2100) })).check(z.maxLength(10)),
  tags: z.array(text(60)).check(z.maxLength(20)),
  /** Why: each condition of the rule, indented by depth, and whether it matched. */
  why: z.array(z.object({ depth: z.number(), text: text(400), matched: z.boolean() })).check(z.maxLength(120)),
  /** Other rules that also match, in order. */
  otherMatches: z.array(z.object({ name: text(120), title: text(80) })).check(z.maxLength(200)),
});

/** A remote source's value: the tier (with badge colours) and only the numbers the source gave. */
export const remoteValueSchema = z.object({
  tier: text(40),
  tierColor: hex,
  tierForeground: hex,
  clv: z.optional(z.number()),
  next12Months: z.optional(z.number()),
  lifetimeValue: z.optional(z.number()),
  pAlive: z.optional(z.number()),
  expectedTransactions: z.optional(z.number()),
  segment: z.optional(text(80)),
  /** Past its fresh time (being refreshed), or older still (the refresh failed). */
  stale: z.boolean(),
});

export const customerViewSchema = z.object({
  id: text(128),
  name: text(200),
  email: z.optional(text(320)),
  company: z.optional(text(200)),
  facts: purchaseFactsSchema,
  value: z.optional(customerValueSchema),
  /** What to do for this customer: the first matching treatment rule (absent when none matches). */
  treatment: z.optional(treatmentViewSchema),
  /** How the page's identity was matched: the person's email, a linked host record, or the company domain. */
  matchedBy: z.optional(z.enum(['email', 'host-record', 'domain'])),
  /** Set when the view adds up a company's customers (matched by domain). */
  account: z.optional(z.object({ domain: text(253), customers: z.number() })),
  /** The display currency and locale of the amounts: the model run's (lib/format/money.ts). */
  currency: text(3),
  locale: z.optional(text(35)),
  /** When the data behind this view was computed or imported (ISO timestamp). */
  asOf: text(40),
  /** Where it came from: "sample" (bundled demo data), "local" (imported on this machine), or "remote" (only a remote source knows the customer). */
  source: z.enum(['sample', 'local', 'remote']),
  /** The value a remote source gave, shown instead of `value` when precedence chose that source. */
  remote: z.optional(remoteValueSchema),
  /** Which source the shown value comes from, e.g. "From Acme warehouse API, as of 12 Mar 10:42" (set when remote sources are configured). */
  valueSource: z.optional(text(200)),
  /** Remote sources that could not answer, in words (the shown value is unaffected). */
  sourceProblems: z.optional(z.array(text(400)).check(z.maxLength(5))),
});

export const suggestionSchema = z.object({
  id: text(128),
  name: text(200),
  email: z.optional(text(320)),
  company: z.optional(text(200)),
  tier: z.optional(text(40)),
  tierColor: z.optional(hex),
  tierForeground: z.optional(hex),
  /** The recommended treatment, in short (search results in the popup). */
  treatment: z.optional(z.object({ title: text(80), guidance: text(400), color: hex })),
  /** Set when the tier is the team's (issue 19): "Team value, as of 12 Mar 10:42". */
  valueSource: z.optional(text(200)),
});

export const searchRequestSchema = z.object({
  type: z.literal('search'),
  query: text(200),
  /** Add each result's recommended treatment (the popup's quick search). */
  withTreatment: z.optional(z.boolean()),
});
export const searchResultSchema = z.object({ results: z.array(suggestionSchema) });

/** Remembers that this host record is this customer (or forgets it, with customerId null). */
export const linkRequestSchema = z.object({
  type: z.literal('link'),
  identity: identitySchema,
  customerId: z.nullable(text(128)),
});

export const historyRequestSchema = z.object({ type: z.literal('history'), customerId: text(128) });
export const historyResultSchema = z.nullable(
  z.object({
    customerId: text(128),
    name: text(200),
    months: z.array(z.object({ month: text(7), orders: z.number(), amount: z.number() })),
    forecast: z.array(z.object({ month: text(7), expected: z.number() })),
    model: z.nullable(text(20)),
    asOf: z.nullable(text(40)),
  }),
);

export const lookupRequestSchema = z.object({
  type: z.literal('lookup'),
  identity: identitySchema,
});

export const statusRequestSchema = z.object({ type: z.literal('status') });

/** Many lookups at once: one screenful of a list view's rows (issue 8; lib/lookup/batch.ts). */
export const lookupBatchRequestSchema = z.object({
  type: z.literal('lookup-batch'),
  identities: z.array(identitySchema).check(z.maxLength(200)),
});
/** One row's answer, compact: what a tier chip and the worklist show. */
export const batchAnswerSchema = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('found'),
    id: text(128),
    name: text(200),
    matchedBy: z.enum(['email', 'host-record', 'domain', 'name']),
    /** Set for an account (a company row matched by domain): how many customers it adds up. */
    customers: z.optional(z.number()),
    value: z.optional(
      z.object({
        tier: text(40),
        tierColor: hex,
        tierForeground: hex,
        /** Absent when the value's source gave none (a team score file may hold tiers only). */
        clv: z.optional(z.number()),
        /** The months `clv` covers (absent: 12). */
        horizonMonths: z.optional(z.number()),
        pAlive: z.optional(z.number()),
        flags: z.array(text(20)),
        /** The run's display currency and locale for `clv` (lib/format/money.ts). */
        currency: z.optional(text(3)),
        locale: z.optional(text(35)),
      }),
    ),
    treatment: z.optional(z.object({ title: text(80), priority: z.optional(z.enum(['urgent', 'high', 'normal', 'low'])), color: hex })),
    /** Set when the value is the team's (issue 19): "Team value, as of 12 Mar 10:42", as the record's sidebar says it. */
    valueSource: z.optional(text(200)),
    /** The team value is past its fresh time (shown from the cache: the service could not be asked, or is being asked again). */
    stale: z.optional(z.boolean()),
  }),
  /** `sameName`: the row shows only a name that several customers share. */
  z.object({ status: z.literal('not-found'), sameName: z.optional(z.number()) }),
]);
/** A content script asks the background to inject the list chips' code into its tab (issue 8). */
export const loadListChipsRequestSchema = z.object({ type: z.literal('load-list-chips') });
export const loadListChipsResultSchema = z.object({ ok: z.boolean(), message: text(500) });

export const lookupBatchResultSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('ok'), answers: z.array(batchAnswerSchema) }),
  z.object({ status: z.literal('error'), message: text(500) }),
]);

/** A site adapter's id: "zendesk", "custom:acme-crm". */
const siteId = z.string().check(z.regex(/^[a-z0-9][a-z0-9:-]{0,79}$/));
/** Names of the parts of a page an adapter looked for and did not find ("requester email"). */
const missingParts = z.array(text(300)).check(z.maxLength(20));

/**
 * "Copy a page report" (content scripts only; issue 17): the background outlines the sender's page
 * (lib/sites/page-outline.ts, censored) and answers the report's text (lib/sites/page-report.ts).
 */
export const pageReportRequestSchema = z.object({
  type: z.literal('page-report'),
  host: siteId,
  missing: missingParts,
  recordType: z.optional(text(40)),
  definitionVersion: z.optional(text(80)),
});
export const PAGE_REPORT_MAX = 400_000;
export const pageReportResultSchema = z.object({ ok: z.boolean(), text: z.optional(text(PAGE_REPORT_MAX)), message: z.optional(text(500)) });

/**
 * How one record page's reading went (content scripts only; issue 17): counted by the background for
 * the site health view (lib/health/site-health.ts). Names of parts, never values.
 */
export const siteOutcomeRequestSchema = z.object({
  type: z.literal('site-outcome'),
  host: siteId,
  outcome: z.enum(['identified', 'partial', 'failed']),
  missing: missingParts,
  recordType: z.optional(text(40)),
});
export const siteOutcomeResultSchema = z.object({ ok: z.boolean() });

/** "Sync now" for a shared score file (extension pages only). */
export const syncSourcesRequestSchema = z.object({ type: z.literal('sync-sources'), sourceId: text(64) });
export const syncSourcesResultSchema = z.object({ ok: z.boolean(), message: text(1000) });

/** "Check now" for the site definitions file (Options → Sites; extension pages only; issue 17). */
export const checkSiteDefinitionsRequestSchema = z.object({ type: z.literal('check-site-definitions') });
export const checkSiteDefinitionsResultSchema = z.object({ ok: z.boolean(), message: text(2000) });

/**
 * "Erase everything" (extension pages only): the background erases every byte Centric stored and says
 * how much of each kind it removed (lib/background/erase.ts). The phrase guards against a stray message.
 */
export const ERASE_PHRASE = 'erase everything';
export const eraseRequestSchema = z.object({ type: z.literal('erase-everything'), confirm: z.literal(ERASE_PHRASE) });
const count = z.number().check(z.int(), z.minimum(0));
export const eraseResultSchema = z.object({
  /** False when a step failed (listed in `problems`); the database is erased all or nothing. */
  ok: z.boolean(),
  removed: z.object({
    customers: count,
    transactions: count,
    subscriptions: count,
    importRuns: count,
    modelRuns: count,
    runSnapshots: count,
    cachedAnswers: count,
    fileScores: count,
    /** Settings: the scoring settings and every other stored setting (sidebar collapsed, sync status…). */
    settings: count,
    sources: count,
    treatmentRules: count,
    customSites: count,
    customDomains: count,
    listChipSwitches: count,
    alarms: count,
    contentScripts: count,
    sitePermissions: count,
    databases: count,
    /** Sites whose reading counts (Options → Sites → site health) were kept. */
    siteHealth: count,
  }),
  problems: z.array(text(500)).check(z.maxLength(20)),
});

export const requestSchema = z.discriminatedUnion('type', [
  lookupRequestSchema,
  statusRequestSchema,
  searchRequestSchema,
  linkRequestSchema,
  historyRequestSchema,
  syncSourcesRequestSchema,
  lookupBatchRequestSchema,
  loadListChipsRequestSchema,
  eraseRequestSchema,
  pageReportRequestSchema,
  siteOutcomeRequestSchema,
  checkSiteDefinitionsRequestSchema,
]);

export const lookupResultSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('found'), customer: customerViewSchema }),
  z.object({
    status: z.literal('not-found'),
    suggestions: z.optional(z.array(suggestionSchema)),
    /** Remote sources that could not answer, in words: they might know the customer (issue 16). */
    sourceProblems: z.optional(z.array(text(400)).check(z.maxLength(5))),
  }),
  z.object({ status: z.literal('error'), message: text(500) }),
]);

export const storeStatusSchema = z.object({
  customers: z.number(),
  sampleLoaded: z.boolean(),
  asOf: z.nullable(text(40)),
});

export type IdentityMessage = z.infer<typeof identitySchema>;
export type PurchaseFacts = z.infer<typeof purchaseFactsSchema>;
export type CustomerView = z.infer<typeof customerViewSchema>;
export type CustomerValueView = z.infer<typeof customerValueSchema>;
export type TreatmentView = z.infer<typeof treatmentViewSchema>;
export type RemoteValueView = z.infer<typeof remoteValueSchema>;
export type Request = z.infer<typeof requestSchema>;
export type LookupRequest = z.infer<typeof lookupRequestSchema>;
export type LookupResult = z.infer<typeof lookupResultSchema>;
export type StoreStatus = z.infer<typeof storeStatusSchema>;
export type Suggestion = z.infer<typeof suggestionSchema>;
export type SearchResult = z.infer<typeof searchResultSchema>;
export type HistoryResult = z.infer<typeof historyResultSchema>;
export type SyncSourcesResult = z.infer<typeof syncSourcesResultSchema>;
export type BatchAnswer = z.infer<typeof batchAnswerSchema>;
export type LookupBatchResult = z.infer<typeof lookupBatchResultSchema>;
export type LoadListChipsResult = z.infer<typeof loadListChipsResultSchema>;
export type EraseResult = z.infer<typeof eraseResultSchema>;
export type PageReportRequest = z.infer<typeof pageReportRequestSchema>;
export type PageReportResult = z.infer<typeof pageReportResultSchema>;
export type SiteOutcomeRequest = z.infer<typeof siteOutcomeRequestSchema>;
export type SiteOutcomeResult = z.infer<typeof siteOutcomeResultSchema>;
export type CheckSiteDefinitionsResult = z.infer<typeof checkSiteDefinitionsResultSchema>;

/** What each request type is answered with. */
export interface ResponseOf {
  lookup: LookupResult;
  status: StoreStatus;
  search: SearchResult;
  link: LookupResult;
  history: HistoryResult;
  'sync-sources': SyncSourcesResult;
  'lookup-batch': LookupBatchResult;
  'load-list-chips': LoadListChipsResult;
  'erase-everything': EraseResult;
  'page-report': PageReportResult;
  'site-outcome': SiteOutcomeResult;
  'check-site-definitions': CheckSiteDefinitionsResult;
}
export const responseSchemas = {
  lookup: lookupResultSchema,
  status: storeStatusSchema,
  search: searchResultSchema,
  link: lookupResultSchema,
  history: historyResultSchema,
  'sync-sources': syncSourcesResultSchema,
  'lookup-batch': lookupBatchResultSchema,
  'load-list-chips': loadListChipsResultSchema,
  'erase-everything': eraseResultSchema,
  'page-report': pageReportResultSchema,
  'site-outcome': siteOutcomeResultSchema,
  'check-site-definitions': checkSiteDefinitionsResultSchema,
} as const;
