/**
 * The side panel's check of the sidebar state a content script publishes (lib/sidebar/panel-protocol.ts),
 * with the same zod schemas as the background's answers. The types below keep the schema and
 * SidebarState in step: a required field added to one and not the other, or a changed type, fails the
 * type check (an optional field added to SidebarState only is dropped here until the schema names it).
 */
import { z } from 'zod/mini';
import type { PanelStateMessage } from '../sidebar/panel-protocol';
import type { SidebarState } from '../sidebar/state';
import { customerViewSchema, identitySchema, PAGE_REPORT_MAX, suggestionSchema } from './schema';

const text = (max: number) => z.string().check(z.maxLength(max));

const identifiedSchema = z.object({
  by: z.enum(['host-api', 'page', 'email', 'link', 'domain', 'source', 'name', 'company', 'record']),
  text: text(300),
  why: z.optional(text(500)),
});

const missingSchema = z.array(text(200)).check(z.maxLength(40));

export const sidebarStateSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('loading') }),
  z.object({ kind: z.literal('no-customer'), site: text(80), missing: missingSchema, identity: z.optional(identitySchema) }),
  z.object({
    kind: z.literal('not-found'),
    identity: identitySchema,
    suggestions: z.array(suggestionSchema).check(z.maxLength(50)),
    sourceProblems: z.optional(z.array(text(400)).check(z.maxLength(5))),
    identified: z.optional(identifiedSchema),
    missing: z.optional(missingSchema),
  }),
  z.object({ kind: z.literal('error'), message: text(500) }),
  z.object({ kind: z.literal('customer'), customer: customerViewSchema, identity: identitySchema, identified: z.optional(identifiedSchema), missing: z.optional(missingSchema) }),
]);

export const panelStateMessageSchema = z.object({
  type: z.literal('state'),
  site: z.string().check(z.regex(/^[a-z0-9:-]{1,80}$/)),
  siteName: text(120),
  state: sidebarStateSchema,
});

// Both ways: what the schema accepts is a SidebarState, and every SidebarState passes its shape.
type Parsed = z.infer<typeof panelStateMessageSchema>;
export const stateFitsSchema = (message: PanelStateMessage): Parsed => message;
export const schemaFitsState = (parsed: Parsed): SidebarState => parsed.state;

/** The tab's answer to the panel's "page-report" request. */
export const panelReportAnswerSchema = z.object({
  type: z.literal('page-report'),
  id: z.number(),
  text: z.optional(z.string().check(z.maxLength(PAGE_REPORT_MAX))),
  message: z.optional(text(500)),
});
