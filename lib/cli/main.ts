/**
 * The `centric` command: main(argv, io) dispatches to the commands and turns every failure into a
 * clear message and an exit code (0 success, 1 bad data or file, 2 wrong usage). Runs in-process
 * in tests with an injected CliIo; bin/centric.mjs runs it with Node's (lib/cli/node.ts).
 */
import { ClvError } from '../clv/errors';
import { CsvError, describeCsvError } from '../csv';
import { type OptionSpec, type ParsedArgs, UsageError, formatOptions, parseArgs } from './args';
import { EVALUATE_HELP, EVALUATE_OPTIONS, runEvaluate } from './evaluate';
import { FIT_HELP, FIT_OPTIONS, runFit } from './fit';
import { type CliIo, FileError } from './io';
import { SCORE_HELP, SCORE_OPTIONS, runScore } from './score';
import { SQL_HELP, SQL_OPTIONS, runSql } from './sql';
import { SUMMARIZE_HELP, SUMMARIZE_OPTIONS, runSummarize } from './summarize';

export const VERSION = '0.1.0';

interface Command {
  summary: string;
  help: string;
  options: readonly OptionSpec[];
  run: (args: ParsedArgs, io: CliIo) => number;
}

const COMMANDS: Record<string, Command> = {
  fit: { summary: 'fit a model (BG/NBD, MBG/NBD, Pareto/NBD, BG/BB, Gamma-Gamma, sBG) and print its parameters', help: FIT_HELP, options: FIT_OPTIONS, run: runFit },
  score: { summary: 'score every customer: P(alive), expected transactions and spend, CLV, tier', help: SCORE_HELP, options: SCORE_OPTIONS, run: runScore },
  evaluate: { summary: 'compare the models on a calibration/holdout split and recommend one', help: EVALUATE_HELP, options: EVALUATE_OPTIONS, run: runEvaluate },
  summarize: { summary: 'turn a transaction log into the per-customer summary (x, t_x, T, m)', help: SUMMARIZE_HELP, options: SUMMARIZE_OPTIONS, run: runSummarize },
  sql: { summary: 'print the SQL that makes that summary in a warehouse (postgres, duckdb, bigquery, snowflake)', help: SQL_HELP, options: SQL_OPTIONS, run: runSql },
};

/** The top-level help. */
export function mainHelp(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length)) + 2;
  return `centric ${VERSION}: customer lifetime value from a transaction log, on the command line.

Usage: centric <command> <file> [options]

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(width)}${c.summary}`)
  .join('\n')}
  ${'serve'.padEnd(width)}run the team service: the team's tiers, rules and site definitions for every agent (centric serve --help)
  ${'help'.padEnd(width)}show the help of a command (centric help score)

Examples:
  centric fit transactions.csv --model bgnbd --unit week
  centric evaluate transactions.csv --holdout-start 1997-10-01 --unit week
  centric score transactions.csv --horizon 12m --margin 0.3 --out scores.csv
  centric fit summary.csv --model pareto-nbd --json
  centric sql --dialect postgres --table orders --observation-end 1998-06-30 > summary.sql

Run "centric <command> --help" for a command's options. Exit codes: 0 success, 1 bad data or
file, 2 wrong usage.
`;
}

/** The help of one command. */
export function commandHelp(name: string): string {
  const c = COMMANDS[name];
  if (!c) throw new UsageError(`Unknown command "${name}". Commands: ${Object.keys(COMMANDS).join(', ')}.`);
  return c.help + formatOptions(c.options) + '\n';
}

function errorMessage(error: unknown): { text: string; code: number } {
  if (error instanceof UsageError) {
    const hint = error.command ? `Run "centric ${error.command} --help" for the options.` : 'Run "centric --help" for the commands.';
    return { text: `Usage error: ${error.message}\n${hint}`, code: 2 };
  }
  if (error instanceof CsvError) return { text: `Error: ${describeCsvError(error)}`, code: 1 };
  if (error instanceof ClvError) return { text: `Error: ${error.message}`, code: 1 };
  if (error instanceof FileError) return { text: `Error: ${error.message}`, code: 1 };
  return { text: `Internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`, code: 1 };
}

/** Runs the command line. Resolves to the exit code; never throws. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const [first, ...rest] = argv;
    if (first === undefined || first === '--help' || first === '-h') {
      io.stdout(mainHelp());
      return first === undefined ? 2 : 0;
    }
    if (first === '--version' || first === '-v') {
      io.stdout(`${VERSION}\n`);
      return 0;
    }
    if (first === 'help') {
      io.stdout(rest[0] ? commandHelp(rest[0]) : mainHelp());
      return 0;
    }
    const command = COMMANDS[first];
    if (!command) {
      throw new UsageError(`Unknown command "${first}". Commands: ${Object.keys(COMMANDS).join(', ')}.`);
    }
    if (rest.includes('--help') || rest.includes('-h')) {
      io.stdout(commandHelp(first));
      return 0;
    }
    const args = parseArgs(rest, command.options, first);
    return command.run(args, io);
  } catch (error) {
    const { text, code } = errorMessage(error);
    io.stderr(`${text}\n`);
    return code;
  }
}
