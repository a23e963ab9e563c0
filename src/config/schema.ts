import { Minimatch } from 'minimatch';
import { z } from 'zod';
import { SEVERITIES } from '../rules/types.js';

/**
 * The schema of `.github/keywarden.yml` (a repository's own file, or the org defaults in its `.github`
 * repository). Known sections are strict, so a misspelt key (`path:`, `rules.disabled`) is an error
 * naming the field instead of a silent no-op. Any unknown top-level key is an error.
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

/** A duration such as `30m`, `4h` or `7d`, kept as written; `durationMs` converts it. */
export const Duration = z
  .string()
  .regex(/^[1-9]\d{0,5}[mhd]$/, 'expected a duration such as "30m", "4h" or "7d"');
export type Duration = z.infer<typeof Duration>;

/** Milliseconds of a `Duration`. */
export function durationMs(duration: Duration): number {
  const unit = { m: 60_000, h: 3_600_000, d: 86_400_000 }[duration.slice(-1) as 'm' | 'h' | 'd'];
  return Number(duration.slice(0, -1)) * unit;
}

/**
 * `issues`: where remediation issues go. By default in the repository where the credential leaked;
 * `repository: org/security` sends them to one central repository. `securityTeam` (`@org/team`) may act on
 * every issue and is mentioned on escalation.
 */
export const IssuesConfig = z.strictObject({
  repository: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,100}\/[A-Za-z0-9_.-]{1,100}$/, 'expected "owner/name"')
    .optional(),
  securityTeam: z
    .string()
    .regex(/^@[A-Za-z0-9_.-]{1,100}\/[A-Za-z0-9_.-]{1,100}$/, 'expected a team such as "@acme/security"')
    .optional(),
  labels: z.array(z.string().min(1).max(50)).default([]),
});
export type IssuesConfig = z.infer<typeof IssuesConfig>;

/** `sla`: how long each severity may stay unremediated before escalation. */
export const SlaConfig = z.strictObject({
  critical: Duration.default('4h'),
  high: Duration.default('24h'),
  medium: Duration.default('7d'),
  low: Duration.default('30d'),
});
export type SlaConfig = z.infer<typeof SlaConfig>;

/**
 * `revocation`: what keywarden may do at the provider. `off` (default): nothing; `dry-run`: show the plan;
 * `on-confirm`: revoke when an owner confirms; `auto-when-live`: revoke high and critical keys that
 * verification finds live. Provider admin credentials never come from this file.
 */
export const RevocationPolicy = z.enum(['off', 'dry-run', 'on-confirm', 'auto-when-live']);
export type RevocationPolicy = z.infer<typeof RevocationPolicy>;

/** The whole of `.github/keywarden.yml`; an empty file is the defaults. Unknown keys are errors. */
export const KeywardenConfig = z.strictObject({
  paths: PathsConfig.default({ ignore: [] }),
  rules: RulesConfig.default({ disable: [] }),
  severityThreshold: SeverityThreshold.default('high'),
  issues: IssuesConfig.default({ labels: [] }),
  sla: SlaConfig.default({ critical: '4h', high: '24h', medium: '7d', low: '30d' }),
  revocation: RevocationPolicy.default('off'),
});
export type KeywardenConfig = z.infer<typeof KeywardenConfig>;

/** The configuration used when a repository has no `.github/keywarden.yml`. */
export const DEFAULT_CONFIG: KeywardenConfig = KeywardenConfig.parse({});
