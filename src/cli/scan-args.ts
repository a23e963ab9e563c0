import { parseArgs } from 'node:util';
import { UsageError } from './errors.js';

export type OutputFormat = 'text' | 'json' | 'sarif';

const FORMATS = ['text', 'json', 'sarif'] as const satisfies readonly OutputFormat[];

/** Default for `--max-file-size`: larger files are skipped (and counted) rather than read. */
export const DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024;

/** What `keywarden scan` was asked to do. */
export interface ScanArgs {
  /** Files and folders to scan (`.` when none are given); empty with `diff`. */
  paths: string[];
  /** A unified diff file to scan instead of paths, `-` for stdin. */
  diff?: string;
  format: OutputFormat;
  output?: string;
  baseline?: string;
  config?: string;
  maxFileSize: number;
  help: boolean;
}

export const SCAN_USAGE = `Usage: keywarden scan [options] [PATH...]
       keywarden scan --diff FILE|- [options]

Scan files and folders (default: .) or the added lines of a unified diff for leaked AI credentials.

Options:
  -f, --format text|json|sarif  output format (default: text)
  -o, --output FILE             write the report to FILE instead of stdout
      --baseline FILE           leave out findings listed in FILE (keywarden JSON output or
                                {"fingerprints": [...]})
  -c, --config FILE             config file (YAML, the shape of .github/keywarden.yml; default:
                                .github/keywarden.yml in the scanned folder, if present)
      --diff FILE|-             scan a unified diff (- reads stdin); paths are the diff's b/ paths
      --max-file-size SIZE      skip larger files (bytes, or with K/M/G suffix; default: 10M)
  -h, --help                    show this help

Exit codes: 0 nothing found, 1 secrets found, 2 usage or input error.
Fingerprints use KEYWARDEN_FINGERPRINT_KEY when set (match your server's key to compare with it).
`;

/** Parses the arguments after `scan`. Throws `UsageError` with a one-line message. */
export function parseScanArgs(argv: readonly string[]): ScanArgs {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new UsageError(describeParseError(error as Error & { code?: string }));
  }
  const { values, positionals } = parsed;
  const format = values.format ?? 'text';
  if (!(FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`unknown format '${format}' (expected one of: ${FORMATS.join(', ')})`);
  }
  if (values.diff !== undefined && positionals.length > 0) {
    throw new UsageError('--diff cannot be combined with paths: scan either a diff or files');
  }
  return {
    paths: values.diff !== undefined ? [] : positionals.length > 0 ? positionals : ['.'],
    diff: values.diff,
    format: format as OutputFormat,
    output: values.output,
    baseline: values.baseline,
    config: values.config,
    maxFileSize:
      values['max-file-size'] === undefined ? DEFAULT_MAX_FILE_SIZE : parseSize(values['max-file-size']),
    help: values.help ?? false,
  };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      format: { type: 'string', short: 'f' },
      output: { type: 'string', short: 'o' },
      baseline: { type: 'string' },
      config: { type: 'string', short: 'c' },
      diff: { type: 'string' },
      'max-file-size': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

/** Node's parseArgs messages run to several lines; keep the first, and shorten the unknown-option one. */
function describeParseError(error: Error & { code?: string }): string {
  const option = /'(-{1,2}[^']{1,100})'/.exec(error.message)?.[1];
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option) return `unknown option '${option}'`;
  const first = error.message.split('\n')[0]!;
  return first.charAt(0).toLowerCase() + first.slice(1);
}

const SIZE_UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** `1048576`, `512K`, `10M`, `10MiB`, `1GB` → bytes (K, M, G are powers of 1024). */
export function parseSize(text: string): number {
  const match = /^(\d{1,15})\s?([kmg]?)(?:i?b)?$/i.exec(text.trim());
  const unit = SIZE_UNITS[(match?.[2] ?? '').toLowerCase()];
  if (!match || unit === undefined || Number(match[1]) === 0) {
    throw new UsageError(
      `invalid --max-file-size '${text}' (expected a positive size such as 1048576, 512K or 10M)`,
    );
  }
  return Number(match[1]) * unit;
}
