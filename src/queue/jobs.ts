import { z } from 'zod';

/**
 * The jobs webhooks turn into. Payloads are parsed with these schemas when a worker picks a job up, so a
 * job written by an older or newer version fails loudly instead of half-working.
 */

export const JOB_NAMES = [
  'scan-push',
  'scan-pull-request',
  'remediate-credential',
  'issue-command',
  'escalate-overdue',
  'sync-alert',
  'sweep-alerts',
  'sweep-installation-alerts',
  'verify-credential',
  'revoke-credential',
  'check-usage',
] as const;
export type JobName = (typeof JOB_NAMES)[number];

const RepoTarget = {
  installationId: z.number().int().positive(),
  owner: z.string().min(1),
  repo: z.string().min(1),
  repoId: z.number().int().positive(),
  defaultBranch: z.string().min(1),
  /** The delivery that caused the job, for the audit trail. */
  deliveryId: z.string().min(1),
};

/** Scan the added lines of a push (`before…after`) and, on the default branch, report a check run. */
export const ScanPushJob = z.object({
  ...RepoTarget,
  ref: z.string().min(1),
  before: z.string().regex(/^[0-9a-f]{40}$/),
  after: z.string().regex(/^[0-9a-f]{40}$/),
  created: z.boolean(),
  forced: z.boolean(),
  /** Commit ids in the push, oldest first (the payload lists at most 20). */
  commits: z.array(z.string()).default([]),
  pusher: z.string().default('unknown'),
});
export type ScanPushJob = z.infer<typeof ScanPushJob>;

/** Scan a pull request's changed lines and report a check run on its head. */
export const ScanPullRequestJob = z.object({
  ...RepoTarget,
  number: z.number().int().positive(),
  headSha: z.string().regex(/^[0-9a-f]{40}$/),
  headRef: z.string().min(1),
  sender: z.string().default('unknown'),
});
export type ScanPullRequestJob = z.infer<typeof ScanPullRequestJob>;

/** Open or update the one remediation issue of a credential that has new exposures. */
export const RemediateCredentialJob = z.object({
  installationId: z.number().int().positive(),
  credentialId: z.number().int().positive(),
  deliveryId: z.string().min(1),
});
export type RemediateCredentialJob = z.infer<typeof RemediateCredentialJob>;

/** A `/keywarden …` comment on a remediation issue, to authorise and carry out. */
export const IssueCommandJob = z.object({
  installationId: z.number().int().positive(),
  owner: z.string().min(1),
  repo: z.string().min(1),
  repoId: z.number().int().positive(),
  issueNumber: z.number().int().positive(),
  commentId: z.number().int().positive(),
  /** The comment body as written (the command is parsed by the job). */
  body: z.string().max(65_536),
  actor: z.string().min(1),
  deliveryId: z.string().min(1),
});
export type IssueCommandJob = z.infer<typeof IssueCommandJob>;

/** The scheduled SLA sweep: comment on, label and escalate overdue remediation issues. */
export const EscalateOverdueJob = z.object({}).passthrough();
export type EscalateOverdueJob = z.infer<typeof EscalateOverdueJob>;

/**
 * Bring one GitHub secret-scanning alert into the inventory (webhook `secret_scanning_alert` or
 * `secret_scanning_alert_location`): read the alert (its secret is fingerprinted, then dropped), its
 * locations, and record or resolve accordingly.
 */
export const SyncAlertJob = z.object({
  installationId: z.number().int().positive(),
  owner: z.string().min(1),
  repo: z.string().min(1),
  repoId: z.number().int().positive(),
  alertNumber: z.number().int().positive(),
  /** The webhook action (`created`, `resolved`, …) or `location` / `sweep`. */
  action: z.string().min(1),
  /** Who acted on GitHub (the webhook sender), for the audit trail. */
  sender: z.string().default('github'),
  deliveryId: z.string().min(1),
});
export type SyncAlertJob = z.infer<typeof SyncAlertJob>;

/** The scheduled org-wide alert sweep: one `sweep-installation-alerts` job per installation. */
export const SweepAlertsJob = z.object({}).passthrough();
export type SweepAlertsJob = z.infer<typeof SweepAlertsJob>;

/** Sweep one installation's organisation alerts (`GET /orgs/{org}/secret-scanning/alerts`, AI types only). */
export const SweepInstallationAlertsJob = z.object({
  installationId: z.number().int().positive(),
  org: z.string().min(1),
});
export type SweepInstallationAlertsJob = z.infer<typeof SweepInstallationAlertsJob>;

/** Verify a credential at its provider (read-only) and, under `auto-when-live`, revoke a live key. */
export const VerifyCredentialJob = z.object({
  installationId: z.number().int().positive(),
  credentialId: z.number().int().positive(),
  deliveryId: z.string().min(1),
});
export type VerifyCredentialJob = z.infer<typeof VerifyCredentialJob>;

/** Revoke a confirmed credential at its provider (`/keywarden revoke`, or the policy). */
export const RevokeCredentialJob = z.object({
  installationId: z.number().int().positive(),
  credentialId: z.number().int().positive(),
  /** Who asked: a GitHub login, or `keywarden` when the policy did. */
  actor: z.string().min(1),
  /** The `/keywarden revoke` comment, when a person asked. */
  commentId: z.number().int().positive().optional(),
  deliveryId: z.string().min(1),
});
export type RevokeCredentialJob = z.infer<typeof RevokeCredentialJob>;

/** The scheduled usage check: fetch hourly use per provider key and flag jumps on the credential's issue. */
export const CheckUsageJob = z.object({}).passthrough();
export type CheckUsageJob = z.infer<typeof CheckUsageJob>;

/** The singleton key of a scan: one job per repository and commit (redeliveries and rescans share it). */
export function scanKey(kind: JobName, repoId: number, sha: string, extra = ''): string {
  return `${kind}:${repoId}:${sha}${extra ? `:${extra}` : ''}`;
}
