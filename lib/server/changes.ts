/**
 * The change stream (issue 19): clients learn within seconds that the team's tiers, rules, site
 * definitions or scores changed. Each service instance polls the versions in the database (one small
 * query, only while someone listens) and at once after a change it made itself, so a change made
 * through another instance on the same PostgreSQL reaches this instance's listeners too.
 */
import type { Sql } from './database';

export type Versions = Record<'tiers' | 'rules' | 'sites' | 'scores', number>;

export async function readVersions(db: Sql): Promise<Versions> {
  const { rows } = await db.query<{ kind: string; version: string | number }>(
    "SELECT kind, version FROM team_config UNION ALL SELECT 'scores' AS kind, COALESCE(max(id), 0) AS version FROM score_runs",
  );
  const out: Versions = { tiers: 0, rules: 0, sites: 0, scores: 0 };
  for (const r of rows) if (r.kind in out) out[r.kind as keyof Versions] = Number(r.version);
  return out;
}

export type Listener = (change: { kind: keyof Versions; version: number }) => void;

export class ChangeFeed {
  private readonly listeners = new Set<Listener>();
  private last: Versions | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;
  private checking: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Sql,
    private readonly pollMs = 1000,
  ) {}

  /** Starts telling `listener` of changes; returns the current versions and the unsubscribe. */
  async subscribe(listener: Listener): Promise<{ versions: Versions; stop: () => void }> {
    await this.checking;
    if (!this.last) this.last = await readVersions(this.db);
    this.listeners.add(listener);
    this.timer ??= setInterval(() => void this.check(), this.pollMs);
    const stop = () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0 && this.timer) {
        clearInterval(this.timer);
        this.timer = undefined;
        this.last = undefined;
      }
    };
    return { versions: { ...this.last }, stop };
  }

  /** Looks now (after a change made through this instance). */
  check(): Promise<void> {
    this.checking = this.checking.then(async () => {
      if (this.listeners.size === 0 || !this.last) return;
      const now = await readVersions(this.db).catch(() => undefined);
      if (!now || !this.last) return;
      for (const kind of Object.keys(now) as (keyof Versions)[]) {
        if (now[kind] !== this.last[kind]) for (const l of this.listeners) l({ kind, version: now[kind] });
      }
      this.last = now;
    });
    return this.checking;
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.listeners.clear();
  }
}
