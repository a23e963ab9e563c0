import { type AlertSyncOutcome, type LocationPolicy, syncAlert } from '../alerts/sync.js';
import { getAlert } from '../github/secret-scanning.js';
import type { SyncAlertJob } from '../queue/jobs.js';
import type { JobDeps } from './deps.js';

/** Webhook actions after which an alert's locations are read again (others read them for a new alert only). */
const LOCATION_ACTIONS = new Set(['created', 'reopened', 'location']);

/**
 * A `secret_scanning_alert` or `secret_scanning_alert_location` webhook, as a job: reads the alert again
 * from GitHub (its state is whatever GitHub says now, and the webhook never carries the secret) and syncs
 * it (`syncAlert`). An alert GitHub no longer has (404) is logged and left as it was.
 */
export async function syncAlertJob(
  job: SyncAlertJob,
  deps: JobDeps,
  jobId: string,
): Promise<AlertSyncOutcome | 'gone'> {
  const octokit = await deps.octokitFor(job.installationId);
  const alert = await getAlert(octokit, { owner: job.owner, repo: job.repo }, job.alertNumber);
  if (!alert) {
    deps.log.warn(
      { repo: `${job.owner}/${job.repo}`, alert: job.alertNumber, delivery: job.deliveryId },
      'alert gone from GitHub: nothing synced',
    );
    return 'gone';
  }
  const locations: LocationPolicy = LOCATION_ACTIONS.has(job.action) ? 'always' : 'if-new';
  return syncAlert(
    deps,
    octokit,
    {
      installationId: job.installationId,
      repoId: job.repoId,
      owner: job.owner,
      repo: job.repo,
      actor: job.sender,
      deliveryId: job.deliveryId,
      jobId,
    },
    alert,
    { locations },
  );
}
