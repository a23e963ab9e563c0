/**
 * A problem with what the user asked for (an unknown flag, a missing file, an invalid config, an
 * unreadable diff): reported as one line on stderr, exit code 2.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Exit codes of every keywarden command. */
export const EXIT = {
  /** Nothing found. */
  clean: 0,
  /** At least one finding was reported. */
  found: 1,
  /** Usage or input error: nothing was scanned, or the scan could not be trusted. */
  usage: 2,
} as const;
