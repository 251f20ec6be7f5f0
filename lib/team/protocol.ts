/**
 * The shapes the team service and the extension exchange (issue 19), defined once: the service
 * (lib/server/) answers with them and the extension (lib/team/client.ts) reads them. Pure.
 */

export const ROLES = ['admin', 'manager', 'agent'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export const CONFIG_KINDS = ['tiers', 'rules', 'sites'] as const;
export type ConfigKind = (typeof CONFIG_KINDS)[number];

export const isConfigKind = (value: string): value is ConfigKind => (CONFIG_KINDS as readonly string[]).includes(value);

/** One team configuration document: GET /v1/config/{kind}. */
export interface ConfigDocument {
  kind: ConfigKind;
  /** 0: never changed (the defaults). */
  version: number;
  value: unknown;
  updatedAt: string | null;
  updatedBy: string | null;
}

/** GET /v1/me. */
export interface Me {
  tokenId: string;
  name: string;
  role: Role;
}

/** One line of GET /v1/audit. */
export interface AuditEntry {
  id: number;
  at: string;
  tokenId: string | null;
  tokenName: string | null;
  role: string | null;
  action: string;
  target: string;
  outcome: 'done' | 'refused';
  before: unknown;
  after: unknown;
}

/** The versions the change stream's `hello` event carries; a `change` event is `{kind, version}`. */
export type Versions = Record<ConfigKind | 'scores', number>;
