import { allRules } from '../rules/registry.js';
import type { Rule } from '../rules/types.js';
import { EXIT, UsageError } from './errors.js';
import { type CliIo, processIo } from './io.js';
import { runScan } from './scan.js';
import { parseScanArgs, SCAN_USAGE } from './scan-args.js';
import { packageVersion } from './version.js';

export const USAGE = `Usage: keywarden <command> [options]

Commands:
  scan [PATH...]      scan files and folders (default: .) for leaked AI credentials
  scan --diff FILE|-  scan the added lines of a unified diff
  serve               run the GitHub App: webhooks, job workers and web routes (npm start)
  replay EVENT FILE   run one webhook event through the app's handlers and jobs

Run 'keywarden scan --help' for the options. 'keywarden --version' prints the version.
`;

export interface MainDeps {
  rules: readonly Rule[];
}

/**
 * Runs the keywarden CLI with `argv` (the arguments after the program name) and returns the exit code:
 * 0 nothing found, 1 something found, 2 usage, input or internal error (one line on stderr says what).
 *
 * @example process.exitCode = await main(process.argv.slice(2));
 */
export async function main(
  argv: readonly string[],
  io: CliIo = processIo(),
  deps: MainDeps = { rules: allRules },
): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined) {
      io.stderr.write(USAGE);
      return EXIT.usage;
    }
    if (command === '--help' || command === '-h' || command === 'help') {
      io.stdout.write(USAGE);
      return EXIT.clean;
    }
    if (command === '--version' || command === '-V') {
      io.stdout.write(`${packageVersion()}\n`);
      return EXIT.clean;
    }
    // The app's modules (Probot, the database, the queue) load only for the commands that use them.
    if (command === 'serve') return await (await import('./serve.js')).serve(io);
    if (command === 'replay') return await (await import('./replay.js')).replay(rest, io);
    if (command !== 'scan') {
      io.stderr.write(`keywarden: unknown command '${command}'\n\n${USAGE}`);
      return EXIT.usage;
    }
    const args = parseScanArgs(rest);
    if (args.help) {
      io.stdout.write(SCAN_USAGE);
      return EXIT.clean;
    }
    return await runScan(args, io, deps);
  } catch (error) {
    // Anything unexpected also exits 2: exit 1 must only ever mean "secrets found".
    const message =
      error instanceof UsageError ? error.message : `unexpected error: ${(error as Error).message}`;
    io.stderr.write(`keywarden: ${message}\n`);
    return EXIT.usage;
  }
}
