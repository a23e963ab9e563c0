import { credentialsToAnnounce } from '../inventory/issues.js';
import type { RemediateCredentialJob } from '../queue/jobs.js';
import type { JobDeps } from './deps.js';

/** The commit a scan recorded findings at, and what the remediation jobs need to act on them. */
export interface RemediationSource {
  installationId: number;
  repoId: number;
  commitSha: string;
  /** The delivery that caused the scan, for the audit trail. */
  deliveryId: string;
}

/**
 * After a scan recorded its findings: one `remediate-credential` job per credential that has exposures
 * at this commit no issue has announced yet. Asks the inventory rather than the scan's counts, so a scan
 * retried after recording (whose findings are no longer new) still hands them over. No singleton key:
 * a job already running for the credential may have read its exposures before these were recorded, and
 * duplicates are harmless (the issue claim and the exposure take make them no-ops). Resolves to the
 * number of jobs sent.
 */
export async function enqueueRemediation(
  deps: Pick<JobDeps, 'db' | 'queue' | 'log'>,
  source: RemediationSource,
): Promise<number> {
  const credentialIds = await credentialsToAnnounce(deps.db, source);
  for (const credentialId of credentialIds) {
    const job: RemediateCredentialJob = {
      installationId: source.installationId,
      credentialId,
      deliveryId: source.deliveryId,
    };
    await deps.queue.send('remediate-credential', job);
  }
  if (credentialIds.length > 0)
    deps.log.debug({ credentials: credentialIds.length, sha: source.commitSha }, 'remediation enqueued');
  return credentialIds.length;
}
