import { access, readFile, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ConfigError, loadConfig } from '../config/load.js';
import { DEFAULT_CONFIG, type KeywardenConfig } from '../config/schema.js';
import { selectRules } from '../config/select-rules.js';
import { isIgnoredPath } from '../engine/allowlist.js';
import { diffToFragments } from '../engine/diff.js';
import { DEFAULT_FINGERPRINT_KEY } from '../engine/fingerprint.js';
import { compileRules, scan } from '../engine/scan.js';
import type { Dropped, Finding, Fragment } from '../engine/types.js';
import type { Rule } from '../rules/types.js';
import { loadBaseline } from './baseline.js';
import { EXIT, UsageError } from './errors.js';
import { renderSarif } from './format-sarif.js';
import { renderText } from './format-text.js';
import { type CliIo, readAll } from './io.js';
import { compareFindings, renderJson, type ScanReport } from './report.js';
import type { ScanArgs } from './scan-args.js';
import { packageVersion } from './version.js';
import { emptySkipCounts, forEachTextFile, type SkipCounts, walkFiles } from './walk.js';

/** Files read at once: enough to overlap I/O with scanning, few enough to bound memory. */
const READ_CONCURRENCY = 8;

/** The config file looked for in the scanned folder when `--config` is not given. */
export const CONFIG_FILE = '.github/keywarden.yml';

export interface ScanDeps {
  /** Every rule available; the config selects among them. */
  rules: readonly Rule[];
}

/**
 * `keywarden scan`: reads the config and baseline, scans files or a diff, writes the report and
 * returns the exit code (0 nothing found, 1 found). Input problems throw `UsageError`.
 */
export async function runScan(args: ScanArgs, io: CliIo, deps: ScanDeps): Promise<number> {
  const roots = await resolveRoots(args.paths, io.cwd);
  const base = await scanBase(args, io.cwd);
  const config = await readConfig(args, io.cwd, base);
  const selection = selectRules(deps.rules, config.rules);
  if (selection.unknown.length > 0) {
    io.stderr.write(
      `keywarden: warning: config names unknown rules or families: ${selection.unknown.join(', ')}\n`,
    );
  }
  const baseline = args.baseline ? await loadBaseline(resolve(io.cwd, args.baseline)) : undefined;
  const envKey = io.env['KEYWARDEN_FINGERPRINT_KEY'];
  const fingerprintKey = envKey ? envKey : DEFAULT_FINGERPRINT_KEY;

  const compiled = compileRules(selection.rules);
  const skipped = emptySkipCounts();
  const suppressed = { baseline: 0, inlineAllow: 0 };
  const onDrop = (dropped: Dropped) => {
    if (dropped.reason === 'baseline') suppressed.baseline++;
    else if (dropped.reason === 'inline-allow') suppressed.inlineAllow++;
  };
  const findings: Finding[] = [];
  let scanned = 0;
  const scanFragment = (fragment: Fragment) => {
    scanned++;
    findings.push(...scan([fragment], compiled, { fingerprintKey, baseline, onDrop }));
  };

  if (args.diff !== undefined) {
    for (const fragment of await readDiff(args.diff, io, config, skipped)) scanFragment(fragment);
  } else {
    const onSkip = (reason: keyof SkipCounts) => {
      skipped[reason]++;
    };
    const entries = walkFiles(roots, { base, ignore: config.paths.ignore, onSkip });
    await forEachTextFile(
      entries,
      { maxFileSize: args.maxFileSize, concurrency: READ_CONCURRENCY, onSkip },
      scanFragment,
    );
  }
  findings.sort(compareFindings);

  const rendered = render({ findings, rules: selection.rules, scanned, skipped, suppressed }, args, io);
  if (args.output) {
    await writeReport(resolve(io.cwd, args.output), rendered);
  } else {
    io.stdout.write(rendered);
  }
  if (args.format === 'text' && !envKey) {
    io.stderr.write(
      'keywarden: note: fingerprints use the default key; set KEYWARDEN_FINGERPRINT_KEY to match a server\n',
    );
  }
  return findings.length > 0 ? EXIT.found : EXIT.clean;
}

function render(report: ScanReport, args: ScanArgs, io: CliIo): string {
  if (args.format === 'json') return renderJson(report);
  if (args.format === 'sarif') return renderSarif(report, packageVersion());
  const color = !args.output && io.stdout.isTTY === true && !io.env['NO_COLOR'];
  return renderText(report, { color });
}

/**
 * The folder reported paths are relative to: the scanned folder when exactly one folder is scanned,
 * otherwise the working directory.
 */
async function scanBase(args: ScanArgs, cwd: string): Promise<string> {
  if (args.paths.length !== 1) return cwd;
  const only = resolve(cwd, args.paths[0]!);
  const stats = await stat(only).catch(() => undefined);
  return stats?.isDirectory() ? only : cwd;
}

async function resolveRoots(paths: readonly string[], cwd: string): Promise<string[]> {
  const roots: string[] = [];
  for (const path of paths) {
    const absolute = resolve(cwd, path);
    try {
      await stat(absolute);
    } catch {
      throw new UsageError(`path not found: ${path}`);
    }
    roots.push(absolute);
  }
  return roots;
}

/** `--config FILE`, else `.github/keywarden.yml` in the scan base when it exists, else the defaults. */
async function readConfig(args: ScanArgs, cwd: string, base: string): Promise<KeywardenConfig> {
  let file = args.config === undefined ? undefined : resolve(cwd, args.config);
  if (file === undefined) {
    const found = join(base, CONFIG_FILE);
    const exists = await access(found).then(
      () => true,
      () => false,
    );
    if (!exists) return DEFAULT_CONFIG;
    file = found;
  }
  try {
    return await loadConfig(file);
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message);
    throw error;
  }
}

async function readDiff(source: string, io: CliIo, config: KeywardenConfig, skipped: SkipCounts) {
  let text: string;
  try {
    text = source === '-' ? await readAll(io.stdin) : await readFile(resolve(io.cwd, source), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read diff ${source === '-' ? 'from stdin' : source}: ${describeCode(code)}`);
  }
  let parsed: ReturnType<typeof diffToFragments>;
  try {
    parsed = diffToFragments(text);
  } catch (error) {
    throw new UsageError(
      `cannot read diff ${source === '-' ? 'from stdin' : source}: ${(error as Error).message}`,
    );
  }
  for (const file of parsed.skipped) skipped[file.reason]++;
  const ignore = config.paths.ignore;
  return parsed.fragments.filter((fragment) => {
    if (ignore.length === 0 || !isIgnoredPath(fragment.path, ignore)) return true;
    skipped['ignored-path']++;
    return false;
  });
}

async function writeReport(file: string, text: string): Promise<void> {
  try {
    await writeFile(file, text);
  } catch (error) {
    throw new UsageError(
      `cannot write output file ${file}: ${describeCode((error as NodeJS.ErrnoException).code)}`,
    );
  }
}

function describeCode(code: string | undefined): string {
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EISDIR') return 'is a directory';
  if (code === 'EACCES') return 'permission denied';
  return code ?? 'unknown error';
}
