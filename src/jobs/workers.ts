import { isRetryable } from '../github/errors.js';
import { RetryableError } from '../queue/errors.js';
import {
  IssueCommandJob,
  RemediateCredentialJob,
  RevokeCredentialJob,
  ScanPullRequestJob,
  ScanPushJob,
  SweepInstallationAlertsJob,
  SyncAlertJob,
  VerifyCredentialJob,
} from '../queue/jobs.js';
import { checkUsage } from './check-usage.js';
import type { JobDeps } from './deps.js';
import { escalateOverdue } from './escalate.js';
import { runIssueCommand } from './issue-command.js';
import { remediateCredential } from './remediate.js';
import { revokeCredential } from './revoke-credential.js';
import { scanPullRequest } from './scan-pull-request.js';
import { scanPush } from './scan-push.js';
import { sweepAlerts, sweepInstallationAlerts } from './sweep-alerts.js';
import { syncAlertJob } from './sync-alert.js';
import { verifyCredential } from './verify-credential.js';

/**
 * Registers the job handlers. Payloads are parsed at the edge; a GitHub error that is worth retrying
 * (5xx, timeouts, rate limits) becomes a `RetryableError` so the queue retries it with backoff; any other
 * error goes to the dead letters at once.
 */
export async function startWorkers(deps: JobDeps): Promise<void> {
  await deps.queue.work('scan-push', (payload, meta) =>
    retryingGitHub(() => scanPush(ScanPushJob.parse(payload), deps, meta.id)),
  );
  await deps.queue.work('scan-pull-request', (payload, meta) =>
    retryingGitHub(() => scanPullRequest(ScanPullRequestJob.parse(payload), deps, meta.id)),
  );
  await deps.queue.work('remediate-credential', (payload, meta) =>
    retryingGitHub(() => remediateCredential(RemediateCredentialJob.parse(payload), deps, meta.id)),
  );
  await deps.queue.work('issue-command', (payload, meta) =>
    retryingGitHub(() => runIssueCommand(IssueCommandJob.parse(payload), deps, meta.id)),
  );
  await deps.queue.work('escalate-overdue', () => retryingGitHub(() => escalateOverdue(deps)));
  await deps.queue.work('check-usage', () => retryingGitHub(() => checkUsage(deps)));
  await deps.queue.work('verify-credential', (payload, meta) =>
    retryingGitHub(() => verifyCredential(VerifyCredentialJob.parse(payload), deps, meta.id)),
  );
  await deps.queue.work('revoke-credential', (payload, meta) =>
    retryingGitHub(() => revokeCredential(RevokeCredentialJob.parse(payload), deps, meta)),
  );
  await deps.queue.work('sync-alert', (payload, meta) =>
    retryingGitHub(() => syncAlertJob(SyncAlertJob.parse(payload), deps, meta.id)),
  );
  await deps.queue.work('sweep-alerts', () => retryingGitHub(() => sweepAlerts(deps)));
  await deps.queue.work('sweep-installation-alerts', (payload, meta) =>
    retryingGitHub(() => sweepInstallationAlerts(SweepInstallationAlertsJob.parse(payload), deps, meta.id)),
  );
}

async function retryingGitHub(run: () => Promise<unknown>): Promise<void> {
  try {
    await run();
  } catch (error) {
    if (error instanceof RetryableError) throw error;
    if (isRetryable(error)) throw new RetryableError(describe(error), { cause: error });
    // Refused for good (a 4xx, a bad payload): the dead letter says what GitHub answered.
    if ((error as { status?: number }).status !== undefined)
      throw new Error(describe(error), { cause: error });
    throw error;
  }
}

function describe(error: unknown): string {
  const status = (error as { status?: number }).status;
  const message = error instanceof Error ? error.message : String(error);
  return status === undefined ? message : `GitHub answered ${status}: ${message}`;
}
