/**
 * A small, strict command-line parser: `--name value`, `--name=value`, boolean `--flag`, `-h`;
 * unknown options and missing values are usage errors (exit code 2) with a hint.
 */

/** A mistake in how the command was called (exit code 2). */
export class UsageError extends Error {
  /** The command whose --help to point to, if any. */
  readonly command: string | null;
  constructor(message: string, command: string | null = null) {
    super(message);
    this.name = 'UsageError';
    this.command = command;
  }
}

export interface OptionSpec {
  /** Long name without dashes, e.g. "holdout-start". */
  name: string;
  /** 'boolean' options take no value. */
  type: 'string' | 'number' | 'boolean';
  /** Value placeholder in help, e.g. "DATE". */
  value?: string;
  /** One line of help. */
  help: string;
  /** Allowed values (for type string). */
  choices?: readonly string[];
  /** One-letter alias, e.g. "h". */
  short?: string;
}

export interface ParsedArgs {
  positionals: string[];
  options: Record<string, string | number | boolean>;
}

function findOption(specs: readonly OptionSpec[], name: string): OptionSpec | undefined {
  return specs.find((s) => s.name === name);
}

function closest(specs: readonly OptionSpec[], name: string): string | null {
  let best: string | null = null;
  let bestDistance = 3;
  for (const s of specs) {
    const d = editDistance(s.name, name);
    if (d < bestDistance) {
      best = s.name;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0] as number;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j] as number;
      prev[j] = Math.min(up + 1, (prev[j - 1] as number) + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length] as number;
}

/** Parses argv (without the command name) against the option specs. Throws UsageError. */
export function parseArgs(argv: readonly string[], specs: readonly OptionSpec[], command: string | null): ParsedArgs {
  const positionals: string[] = [];
  const options: Record<string, string | number | boolean> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    let name: string;
    let inline: string | undefined;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
      inline = eq >= 0 ? arg.slice(eq + 1) : undefined;
    } else if (arg.startsWith('-') && arg.length === 2 && !/\d/.test(arg[1] as string)) {
      const spec = specs.find((s) => s.short === arg[1]);
      if (!spec) throw new UsageError(`Unknown option ${arg}.`, command);
      name = spec.name;
    } else {
      positionals.push(arg);
      continue;
    }
    const spec = findOption(specs, name);
    if (!spec) {
      const guess = closest(specs, name);
      throw new UsageError(`Unknown option --${name}.${guess ? ` Did you mean --${guess}?` : ''}`, command);
    }
    if (spec.type === 'boolean') {
      if (inline !== undefined && !/^(true|false|1|0|yes|no)$/i.test(inline)) {
        throw new UsageError(`--${name} takes no value (got "${inline}").`, command);
      }
      options[name] = inline === undefined ? true : /^(true|1|yes)$/i.test(inline);
      continue;
    }
    let value = inline;
    if (value === undefined) {
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith('--') && next.length > 2)) {
        throw new UsageError(`--${name} needs a value${spec.value ? ` (${spec.value})` : ''}.`, command);
      }
      value = next;
      i++;
    }
    if (spec.type === 'number') {
      const num = Number(value);
      if (value.trim() === '' || !Number.isFinite(num)) throw new UsageError(`--${name} must be a number (got "${value}").`, command);
      options[name] = num;
    } else {
      if (spec.choices && !spec.choices.includes(value)) {
        throw new UsageError(`--${name} must be one of ${spec.choices.join(', ')} (got "${value}").`, command);
      }
      options[name] = value;
    }
  }
  return { positionals, options };
}

/** Help lines for a list of options, aligned. */
export function formatOptions(specs: readonly OptionSpec[]): string {
  const left = specs.map((s) => `  ${s.short ? `-${s.short}, ` : ''}--${s.name}${s.type === 'boolean' ? '' : ` ${s.value ?? (s.type === 'number' ? 'N' : 'VALUE')}`}`);
  const width = Math.max(...left.map((l) => l.length)) + 2;
  return specs.map((s, i) => `${(left[i] as string).padEnd(width)}${s.help}`).join('\n');
}

/** Typed accessors for parsed options. */
export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const v = args.options[name];
  return typeof v === 'string' ? v : undefined;
}

export function numberOption(args: ParsedArgs, name: string): number | undefined {
  const v = args.options[name];
  return typeof v === 'number' ? v : undefined;
}

export function flag(args: ParsedArgs, name: string): boolean {
  return args.options[name] === true;
}
