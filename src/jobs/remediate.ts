import { loadCredential } from '../inventory/issues.js';
import { adapterFor } from '../providers/registry.js';
import type { RemediateCredentialJob } from '../queue/jobs.js';
import { ensureIssue } from '../remediation/ensure-issue.js';
import { identifies } from '../revocation/policy.js';
import type { JobDeps } from './deps.js';

/**
 * Opens or updates the one remediation issue of a credential that has exposures no issue has announced
 * yet (see `ensureIssue`). Idempotent: a duplicate or retried job announces nothing twice and, with
 * nothing new, makes no request. A newly opened issue starts the credential's verification at the
 * provider when the repository's policy asks for it, or the search for its provider key id when the
 * server holds that provider's admin credential (`verify-credential`).
 */
export async function remediateCredential(
  job: RemediateCredentialJob,
  deps: JobDeps,
  jobId: string,
): Promise<void> {
  const octokit = await deps.octokitFor(job.installationId);
  const outcome = await ensureIssue(
    octokit,
    { db: deps.db, log: deps.log, rules: deps.rules, codeowners: deps.codeowners },
    job.credentialId,
    jobId,
  );
  if (outcome.verify || (outcome.action === 'created' && (await identifiable(deps, job.credentialId)))) {
    await deps.queue.send(
      'verify-credential',
      { installationId: job.installationId, credentialId: job.credentialId, deliveryId: job.deliveryId },
      { singletonKey: `verify:${job.credentialId}` },
    );
  }
  deps.log.info(
    {
      credentialId: job.credentialId,
      issue: `${outcome.repo.owner}/${outcome.repo.repo}#${outcome.number}`,
      action: outcome.action,
      delivery: job.deliveryId,
    },
    'credential remediated',
  );
}

async function identifiable(deps: JobDeps, credentialId: number): Promise<boolean> {
  const credential = await loadCredential(deps.db, credentialId);
  if (!credential) return false;
  const adapter = adapterFor(credential.provider, credential.ruleId, deps.providers.adapters);
  return identifies(adapter, deps.providers.context.admin);
}
