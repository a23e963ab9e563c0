import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { main } from '../src/cli/main.js';
import { SKIP_REASONS, type SkipReason } from '../src/cli/walk.js';
import { DEFAULT_FINGERPRINT_KEY, fingerprint } from '../src/engine/fingerprint.js';
import { scanText } from '../src/engine/scan.js';
import { allRules } from '../src/rules/registry.js';
import type { Rule } from '../src/rules/types.js';

/** What one in-process run of the CLI printed and returned. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd: string;
  env?: Record<string, string>;
  stdin?: string;
  isTTY?: boolean;
  /** Rules to offer instead of the registry's. */
  rules?: readonly Rule[];
}

/** Runs `keywarden <argv>` in-process with captured streams. */
export async function runCli(argv: readonly string[], options: RunOptions): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(
    argv,
    {
      stdout: {
        write: (text: string) => {
          stdout += text;
        },
        isTTY: options.isTTY ?? false,
      },
      stderr: {
        write: (text: string) => {
          stderr += text;
        },
      },
      stdin: Readable.from([Buffer.from(options.stdin ?? '')]),
      env: options.env ?? {},
      cwd: options.cwd,
    },
    { rules: options.rules ?? allRules },
  );
  return { code, stdout, stderr };
}

/** A fresh empty folder; `removeAll` deletes every folder made so far. */
export async function makeTempDir(made: string[]): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'keywarden-cli-'));
  made.push(dir);
  return dir;
}

export async function removeAll(made: string[]): Promise<void> {
  await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

/** Writes `files` (relative path → content) under `root`, creating folders. */
export async function writeTree(root: string, files: Record<string, string | Buffer>): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    const absolute = join(root, path);
    await mkdir(dirname(absolute), { recursive: true });
    await writeFile(absolute, content);
  }
}

/** A credential generated at run time from a registry rule, and the rule that must report it. */
export interface PlantedKey {
  rule: Rule;
  secret: string;
}

/**
 * One generated key per family, for prefix-anchored rules whose `sample()` is reported (by exactly
 * that rule, among all rules) in a plain assignment. Keys are made at run time; none is committed.
 */
export function plantableKeys(seed: string): PlantedKey[] {
  const keys: PlantedKey[] = [];
  const families = new Set<string>();
  for (const rule of allRules) {
    if (rule.anchor !== 'prefix' || families.has(rule.provider)) continue;
    let secret: string;
    try {
      secret = rule.sample(seed);
    } catch {
      continue; // a rule under construction; the rules contract test reports it
    }
    const findings = scanText(`TOKEN = "${secret}"\n`, allRules);
    if (findings.length === 1 && findings[0]!.ruleId === rule.id && findings[0]!.secret.equals(secret)) {
      keys.push({ rule, secret });
      families.add(rule.provider);
    }
  }
  return keys;
}

/** `keywarden scan --format json` output. */
export interface JsonReport {
  findings: Array<Record<string, string | number>>;
  skipped: Record<string, number>;
}

/** The keys of a JSON finding, in their documented order. */
export const FINDING_KEYS = [
  'path',
  'line',
  'column',
  'ruleId',
  'provider',
  'class',
  'severity',
  'redacted',
  'fingerprint',
];

/** The JSON `skipped` object: every reason, zero unless given. */
export function skippedCounts(counts: Partial<Record<SkipReason, number>>): Record<string, number> {
  return Object.fromEntries(SKIP_REASONS.map((reason) => [reason, counts[reason] ?? 0]));
}

/** The JSON finding keywarden must print for `key` at a place, computed independently of the CLI. */
export function expectedFinding(
  key: PlantedKey,
  path: string,
  line: number,
  column: number,
  fingerprintKey = DEFAULT_FINGERPRINT_KEY,
) {
  const [engine] = scanText(`TOKEN = "${key.secret}"`, allRules);
  return {
    path,
    line,
    column,
    ruleId: key.rule.id,
    provider: key.rule.provider,
    class: key.rule.class,
    severity: key.rule.severity,
    redacted: engine!.redacted,
    fingerprint: fingerprint(key.secret, fingerprintKey),
  };
}

/** A repository with `a` in `config/.env` (3:9) and `b` in `src/app/client.py` (3:26). */
export function twoKeyRepo(a: PlantedKey, b: PlantedKey): Record<string, string> {
  return {
    'config/.env': `# settings\nDEBUG=1\nAPI_KEY=${a.secret}\n`,
    'src/app/client.py': `import os\n\nclient = Client(api_key="${b.secret}")\n`,
    'README.md': '# demo\n',
  };
}
