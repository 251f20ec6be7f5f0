/**
 * What the command line needs from the outside world, injected so main() can run in tests
 * (in-process, with captured output) and for real (lib/cli/node.ts).
 */
export interface CliIo {
  /** Writes to standard output (text is written as given; add '\n' yourself). */
  stdout(text: string): void;
  /** Writes to standard error. */
  stderr(text: string): void;
  /** Reads a whole text file (UTF-8). Throws an Error with a readable message when it cannot. */
  readFile(path: string): string;
  /** Writes a whole text file (UTF-8). */
  writeFile(path: string, text: string): void;
}

/** An error about a file the user named (not found, unreadable): exit code 1. */
export class FileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FileError';
  }
}
