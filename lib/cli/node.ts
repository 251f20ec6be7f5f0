/**
 * The real command line: Node's file system and process streams around main().
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { type CliIo, FileError } from './io';
import { main } from './main';

/** CliIo backed by Node (synchronous file access; output straight to the process streams). */
export function nodeIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    readFile(path) {
      try {
        return readFileSync(path, 'utf8');
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') throw new FileError(`File not found: ${path}`);
        if (code === 'EISDIR') throw new FileError(`${path} is a directory, not a file.`);
        throw new FileError(`Cannot read ${path}: ${(error as Error).message}`);
      }
    },
    writeFile(path, text) {
      try {
        writeFileSync(path, text, 'utf8');
      } catch (error) {
        throw new FileError(`Cannot write ${path}: ${(error as Error).message}`);
      }
    },
  };
}

/** Runs the command line with process arguments; resolves to the exit code. */
export async function run(argv: readonly string[]): Promise<number> {
  // The team service runs until it is stopped, on its own packages (loaded only for it).
  if (argv[0] === 'serve') {
    const { runServe } = await import('../server/cli');
    const stopped = new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    return runServe(argv.slice(1), { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t), stopped: () => stopped });
  }
  // `centric score … | head`: a closed pipe is not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
  return main(argv, nodeIo());
}
