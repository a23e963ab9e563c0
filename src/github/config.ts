import { ConfigError, type ConfigIssue, validateConfig } from '../config/load.js';
import { DEFAULT_CONFIG, type KeywardenConfig } from '../config/schema.js';
import type { Octokit, RepoRef } from './types.js';

/** Where a repository keeps its keywarden config; the org defaults live at the same path in `<org>/.github`. */
export const CONFIG_PATH = '.github/keywarden.yml';

/** The config to scan with, and why the repository's own could not be used, if it could not. */
export interface RepoConfig {
  config: KeywardenConfig;
  /** The fields that were wrong and why (`severityThreshold: …; paths.ignore[0]: …`); defaults were used. */
  error?: string;
}

/** Messages of Probot's config plugin start with this; they describe the file, not a failed request. */
const PLUGIN_PREFIX = '[@probot/octokit-plugin-config]';

interface ConfigFile {
  owner: string;
  repo: string;
  path: string;
  config: Record<string, unknown> | null;
}

/**
 * Loads `.github/keywarden.yml` the way Probot's `context.config` does, through the config plugin: the
 * repository's file at `ref`; when it has none, the org defaults from `<owner>/.github` (default branch);
 * `_extends: other-repo` (or `owner/repo:path.yml`) pulls a base file in. Files are merged base first,
 * objects key by key, other values (lists included) replaced by the nearer file. The result is validated
 * with the config schema; an invalid file, or YAML that does not parse, gives the defaults and an
 * `error` naming each bad field, so scanning carries on. A failed request (5xx, timeout) is thrown.
 *
 * Pass the default branch (or its head) as `ref` when the config must not be changeable by the change
 * being scanned; a pull request's head lets its author edit the rules that judge it.
 *
 * @example
 * const { config, error } = await loadRepoConfig(octokit, { owner, repo }, 'main');
 */
export async function loadRepoConfig(octokit: Octokit, repo: RepoRef, ref: string): Promise<RepoConfig> {
  let files: ConfigFile[];
  try {
    ({ files } = (await octokit.config.get({ ...repo, path: CONFIG_PATH, branch: ref })) as {
      files: ConfigFile[];
    });
  } catch (error) {
    if (!(error instanceof Error) || !error.message.startsWith(PLUGIN_PREFIX)) throw error;
    return { config: DEFAULT_CONFIG, error: describePluginError(error) };
  }
  const found = files.filter((file) => file.config !== null);
  if (found.length === 0) return { config: DEFAULT_CONFIG };

  const merged = found
    .map((file) => file.config)
    .reduceRight<unknown>((base, config) => merge(base, config), {});
  const source = found.length === 1 ? describeFile(found[0]!, repo) : '';
  try {
    return { config: validateConfig(merged, CONFIG_PATH) };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const issues = error.issues.map(formatIssue).join('; ');
    return { config: DEFAULT_CONFIG, error: source ? `${source}: ${issues}` : issues };
  }
}

/** Nearer values win; plain objects merge key by key; lists and scalars replace. */
function merge(base: unknown, near: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(near)) return near;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(near)) out[key] = key in base ? merge(base[key], value) : value;
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function formatIssue(issue: ConfigIssue): string {
  return issue.path === '' ? issue.message : `${issue.path}: ${issue.message}`;
}

/** Empty for the repository's own file; `from acme/.github` for a file found elsewhere. */
function describeFile(file: ConfigFile, repo: RepoRef): string {
  if (file.owner === repo.owner && file.repo === repo.repo) return '';
  const path = file.path === CONFIG_PATH ? '' : `:${file.path}`;
  return `from ${file.owner}/${file.repo}${path}`;
}

/** `[@probot/octokit-plugin-config] Configuration could not be parsed from <url> (invalid YAML)` → a readable reason. */
function describePluginError(error: Error): string {
  const message = error.message.slice(PLUGIN_PREFIX.length).trim();
  const cause = error.cause instanceof Error ? error.cause.message.split('\n')[0]!.replace(/:$/, '') : '';
  if (message.includes('(invalid YAML)')) return `not valid YAML: ${cause || 'parse error'}`;
  if (message.includes('(YAML is not an object)')) return '(top level): expected a mapping of settings';
  return message;
}
