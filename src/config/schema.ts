import { Minimatch } from 'minimatch';
import { z } from 'zod';
import { SEVERITIES } from '../rules/types.js';

/**
 * The schema of `.github/keywarden.yml` (a repository's own file, or the org defaults in its `.github`
 * repository). Known sections are strict, so a misspelt key (`path:`, `rules.disabled`) is an error
 * naming the field instead of a silent no-op. Sections that later features will own (`issues`, `sla`,
 * `revocation`) are reserved: accepted here without validation, and given their own schema when the
 * feature lands. Any other top-level key is an error.
 *
 * @example
 * ```yaml
 * paths:
 *   ignore: ['test/fixtures/**', '*.snap']
 * rules:
 *   disable: [aws]                 # a family id, or a rule id such as openai.legacy-key
 * severityThreshold: high
 * ```
 */

/** A minimatch glob matched against paths relative to the repository root (dot files included). */
export const PathGlob = z
  .string()
  .min(1, 'expected a non-empty glob')
  .refine((glob) => new Minimatch(glob, { dot: true }).makeRe() !== false, 'expected a valid minimatch glob');
export type PathGlob = z.infer<typeof PathGlob>;

/** A rule id (`openai.project-key`) or a family id (`openai`). */
export const RuleRef = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9-]{0,39}(?:\.[a-z0-9][a-z0-9-]{0,59})?$/,
    'expected a rule id such as "openai.project-key" or a family id such as "openai"',
  );
export type RuleRef = z.infer<typeof RuleRef>;

/** `paths`: which files are never scanned. */
export const PathsConfig = z.strictObject({
  ignore: z.array(PathGlob).default([]),
});
export type PathsConfig = z.infer<typeof PathsConfig>;

/**
 * `rules`: which rules run. Without `enable`, every rule runs; with it, only the listed rules and
 * families. `disable` then removes rules and families, and wins over `enable`.
 */
export const RulesConfig = z.strictObject({
  enable: z.array(RuleRef).optional(),
  disable: z.array(RuleRef).default([]),
});
export type RulesConfig = z.infer<typeof RulesConfig>;

/** The lowest severity that fails the check run (used by the GitHub App; the CLI reports everything). */
export const SeverityThreshold = z.enum(SEVERITIES);
export type SeverityThreshold = z.infer<typeof SeverityThreshold>;

/** The whole of `.github/keywarden.yml`; an empty file is the defaults. */
export const KeywardenConfig = z.strictObject({
  paths: PathsConfig.default({ ignore: [] }),
  rules: RulesConfig.default({ disable: [] }),
  severityThreshold: SeverityThreshold.default('high'),
  /** Reserved for remediation issues (later). */
  issues: z.unknown().optional(),
  /** Reserved for SLA escalation (later). */
  sla: z.unknown().optional(),
  /** Reserved for the revocation policy (later). */
  revocation: z.unknown().optional(),
});
export type KeywardenConfig = z.infer<typeof KeywardenConfig>;

/** The configuration used when a repository has no `.github/keywarden.yml`. */
export const DEFAULT_CONFIG: KeywardenConfig = KeywardenConfig.parse({});
