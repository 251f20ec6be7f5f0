/**
 * Which validation messages belong to which field of an editor (the Sources and the Treatments
 * editors alike): issues carry the path of what they are about, a field shows those at or under its path.
 */

/** A problem with one field of a draft: where (a path such as "conditions[1].value") and what. */
export interface FieldIssue {
  path: string;
  message: string;
}

/** Messages whose path is `path` or lies under it ("hosts" also takes "hosts[2]"). */
export function messagesAt(issues: readonly FieldIssue[], path: string, options: { exact?: boolean } = {}): string[] {
  return issues
    .filter((i) => i.path === path || (!options.exact && (i.path.startsWith(`${path}.`) || i.path.startsWith(`${path}[`))))
    .map((i) => i.message);
}

/** Messages for a list field typed as comma-separated text, naming the entry: '"a b": Write a tag …'. */
export function listMessages(issues: readonly FieldIssue[], path: string, entries: readonly string[]): string[] {
  return issues
    .filter((i) => i.path === path || i.path.startsWith(`${path}[`))
    .map((i) => {
      const index = /\[(\d+)\]$/.exec(i.path)?.[1];
      const entry = index === undefined ? undefined : entries[Number(index)];
      return entry === undefined ? i.message : `“${entry}”: ${i.message}`;
    });
}
