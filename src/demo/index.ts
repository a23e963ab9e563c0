import { runDemo } from './run.js';

/**
 * `npm run demo` (`node dist/demo/index.js [--seed TEXT] [--verbose]`): one leaked key from push to
 * revocation, against a local stand-in for GitHub. See run.ts.
 */

const USAGE = `Usage: npm run demo [-- --seed TEXT] [--verbose]

Plays one leaked AI key from push to revocation: a stand-in GitHub on 127.0.0.1, keywarden on an embedded
database in a temporary folder, and what the people involved would see. No GitHub account, no network.
  --seed TEXT   derive the planted key from TEXT (default: a fresh random key each run)
  --verbose     copy keywarden's own log to stderr
`;

function parse(argv: readonly string[]): { seed?: string; verbose: boolean } | string {
  const options: { seed?: string; verbose: boolean } = { verbose: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--verbose') options.verbose = true;
    else if (arg === '--seed' && argv[i + 1]) options.seed = argv[++i];
    else return `unexpected argument '${arg}'`;
  }
  return options;
}

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  process.stdout.write(USAGE);
} else {
  const options = parse(args);
  if (typeof options === 'string') {
    process.stderr.write(`keywarden demo: ${options}\n${USAGE}`);
    process.exitCode = 2;
  } else {
    process.exitCode = await runDemo(options);
  }
}
