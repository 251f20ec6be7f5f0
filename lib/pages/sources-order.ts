/**
 * Changes to the sources configuration made by the Sources section, as pure functions: precedence
 * moves (which keep the places of disabled sources, so turning one back on puts it where it was),
 * adding, replacing, removing (and putting back) a source.
 */
import { LOCAL_SOURCE_ID, effectivePrecedence, type Source, type SourcesConfig } from '~/lib/sources/config';

/**
 * The saved precedence made complete: the listed ids that name a source (or 'local'), once each, then
 * what effectivePrecedence adds (unlisted enabled sources, then 'local'). Its enabled part is exactly
 * effectivePrecedence(config); disabled sources keep their place.
 */
export function fullPrecedence(config: SourcesConfig): string[] {
  const known = new Set([LOCAL_SOURCE_ID, ...config.sources.map((s) => s.id)]);
  const order: string[] = [];
  for (const id of config.precedence) if (known.has(id) && !order.includes(id)) order.push(id);
  for (const id of effectivePrecedence(config)) if (!order.includes(id)) order.push(id);
  return order;
}

/**
 * The configuration with `id` moved one place up (-1) or down (+1) among the sources in effect
 * (effectivePrecedence); undefined when it cannot move that way.
 */
export function movePrecedence(config: SourcesConfig, id: string, direction: -1 | 1): SourcesConfig | undefined {
  const effective = effectivePrecedence(config);
  const at = effective.indexOf(id);
  const other = effective[at + direction];
  if (at < 0 || other === undefined) return undefined;
  const full = fullPrecedence(config);
  const i = full.indexOf(id);
  const j = full.indexOf(other);
  full[i] = other;
  full[j] = id;
  return { ...config, precedence: full };
}

/** The configuration with a new source at the end of the list and of the precedence. */
export function addSource(config: SourcesConfig, source: Source): SourcesConfig {
  return { ...config, sources: [...config.sources, source], precedence: [...fullPrecedence(config), source.id] };
}

/** The configuration with the source of the same id replaced (appended when it is gone). */
export function replaceSource(config: SourcesConfig, source: Source): SourcesConfig {
  if (!config.sources.some((s) => s.id === source.id)) return addSource(config, source);
  return { ...config, sources: config.sources.map((s) => (s.id === source.id ? source : s)) };
}

/** What removing a source took away, to put it back. */
export interface Removed {
  source: Source;
  index: number;
  /** Its place in the saved precedence (-1 when it was not listed). */
  precedenceIndex: number;
}

/** The configuration without source `id` (and without it in the precedence, which may only name sources). */
export function removeSource(config: SourcesConfig, id: string): { config: SourcesConfig; removed: Removed } | undefined {
  const index = config.sources.findIndex((s) => s.id === id);
  const source = config.sources[index];
  if (!source) return undefined;
  return {
    config: { ...config, sources: config.sources.filter((s) => s.id !== id), precedence: config.precedence.filter((p) => p !== id) },
    removed: { source, index, precedenceIndex: config.precedence.indexOf(id) },
  };
}

/** The configuration with a removed source back at its places (undefined when its id is taken again). */
export function restoreSource(config: SourcesConfig, removed: Removed): SourcesConfig | undefined {
  if (config.sources.some((s) => s.id === removed.source.id)) return undefined;
  const sources = [...config.sources];
  sources.splice(Math.min(removed.index, sources.length), 0, removed.source);
  const precedence = [...config.precedence];
  if (removed.precedenceIndex >= 0) precedence.splice(Math.min(removed.precedenceIndex, precedence.length), 0, removed.source.id);
  return { ...config, sources, precedence };
}
