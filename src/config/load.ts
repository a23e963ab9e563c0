import { readFile } from 'node:fs/promises';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { KeywardenConfig, PathsConfig, RulesConfig } from './schema.js';

/** One bad field: where it is (`paths.ignore[1]`, empty for the whole file) and what was expected. */
export interface ConfigIssue {
  path: string;
  message: string;
}

/** Why a config file was refused: it could not be read, is not YAML, or does not fit the schema. */
export type ConfigErrorKind = 'unreadable' | 'syntax' | 'invalid';

/**
 * A config file that cannot be used. The message names the file and every bad field on one line, e.g.
 * `invalid config file .github/keywarden.yml: paths.ignore[0]: expected string, received number`.
 */
export class ConfigError extends Error {
  readonly file: string;
  readonly kind: ConfigErrorKind;
  readonly issues: readonly ConfigIssue[];

  constructor(file: string, kind: ConfigErrorKind, issues: readonly ConfigIssue[]) {
    super(`${HEADLINE[kind]} ${file}: ${issues.map(formatIssue).join('; ')}`);
    this.name = 'ConfigError';
    this.file = file;
    this.kind = kind;
    this.issues = issues;
  }
}

const HEADLINE: Record<ConfigErrorKind, string> = {
  unreadable: 'cannot read config file',
  syntax: 'config file is not valid YAML:',
  invalid: 'invalid config file',
};

function formatIssue(issue: ConfigIssue): string {
  return issue.path === '' ? issue.message : `${issue.path}: ${issue.message}`;
}

/** Reads and validates a config file. Throws `ConfigError` naming the file and each bad field. */
export async function loadConfig(file: string): Promise<KeywardenConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (code ?? 'error');
    throw new ConfigError(file, 'unreadable', [{ path: '', message: reason }]);
  }
  return parseConfig(text, file);
}

/** Parses YAML text (an empty document is the defaults) and validates it. Throws `ConfigError`. */
export function parseConfig(text: string, file: string): KeywardenConfig {
  const document = parseDocument(text, { prettyErrors: true });
  if (document.errors.length > 0) {
    throw new ConfigError(
      file,
      'syntax',
      document.errors.map((error) => {
        const at = error.linePos?.[0];
        // prettyErrors adds " at line N, column M:" and a code excerpt; the position goes in `path`.
        const message = error.message.split('\n')[0]!.replace(/ at line \d{1,9}, column \d{1,9}:?$/, '');
        return { path: at ? `line ${at.line}, column ${at.col}` : '', message };
      }),
    );
  }
  let value: unknown;
  try {
    value = document.toJS({ maxAliasCount: 100 });
  } catch (error) {
    throw new ConfigError(file, 'syntax', [{ path: '', message: (error as Error).message }]);
  }
  return validateConfig(value ?? {}, file);
}

/**
 * Validates an already parsed value (what Probot's `context.config` returns) against the schema,
 * filling in defaults. Throws `ConfigError` listing every bad field.
 */
export function validateConfig(value: unknown, file: string): KeywardenConfig {
  const result = KeywardenConfig.safeParse(value);
  if (result.success) return result.data;
  throw new ConfigError(file, 'invalid', result.error.issues.flatMap(describeIssue));
}

const KNOWN_KEYS: Record<string, readonly string[]> = {
  '': Object.keys(KeywardenConfig.shape),
  paths: Object.keys(PathsConfig.shape),
  rules: Object.keys(RulesConfig.shape),
};

function describeIssue(issue: z.core.$ZodIssue): ConfigIssue[] {
  const at = fieldPath(issue.path);
  if (issue.code === 'unrecognized_keys') {
    const known = KNOWN_KEYS[at];
    const expected = known ? ` (expected one of: ${known.join(', ')})` : '';
    return issue.keys.map((key) => ({
      path: at === '' ? key : `${at}.${key}`,
      message: `unknown key${expected}`,
    }));
  }
  const message = issue.message.replace(/^Invalid (?:input|option): /, '');
  return [{ path: at === '' ? '(top level)' : at, message }];
}

/** `['paths', 'ignore', 1]` → `paths.ignore[1]`. */
function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}
