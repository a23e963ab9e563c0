import { isIgnoredPath } from '../engine/allowlist.js';
import { loadRepoConfig } from '../github/config.js';
import { pushFragments } from '../github/diff.js';
import { recordFindings } from '../inventory/store.js';
import type { ScanPushJob } from '../queue/jobs.js';
import type { JobDeps } from './deps.js';
import { enqueueRemediation } from './enqueue-remediation.js';
import { findInChanges, reportCheckRun } from './scan-changes.js';

/** What a push scan did, for logs, `keywarden replay` and tests. */
export interface ScanOutcome {
  findings: number;
  newCredentials: number;
  unscanned: number;
  checkRunId?: number;
}

/**
 * Scans the lines a push added and records every AI credential in the inventory. A push to the default
 * branch also gets the `keywarden` check run on its head; other branches are reported on their pull
 * requests.
 */
export async function scanPush(job: ScanPushJob, deps: JobDeps, jobId: string): Promise<ScanOutcome> {
  const octokit = await deps.octokitFor(job.installationId);
  const repo = { owner: job.owner, repo: job.repo };
  // The default branch's config judges the change, never the change's own (it could silence itself).
  const { config, error: configError } = await loadRepoConfig(octokit, repo, job.defaultBranch);
  const changes = await pushFragments(
    octokit,
    repo,
    {
      before: job.before,
      after: job.after,
      created: job.created,
      forced: job.forced,
      defaultBranch: job.defaultBranch,
      commits: job.commits,
      ref: job.ref,
    },
    { isIgnored: (path) => isIgnoredPath(path, config.paths.ignore) },
  );
  const findings = await findInChanges(changes, config, deps, job.repoId);
  const recorded = await recordFindings(
    deps.db,
    findings,
    {
      repoId: job.repoId,
      repo: `${job.owner}/${job.repo}`,
      commitSha: job.after,
      source: 'push',
      ref: job.ref,
      blobShas: changes.blobShas,
    },
    job.pusher,
  );
  await enqueueRemediation(deps, { ...job, commitSha: job.after });
  const outcome: ScanOutcome = {
    findings: findings.length,
    newCredentials: recorded.newCredentials,
    unscanned: changes.unscanned.length,
  };
  if (job.ref === `refs/heads/${job.defaultBranch}`) {
    outcome.checkRunId = await reportCheckRun(
      octokit,
      { ...repo, repoId: job.repoId, headSha: job.after, jobId },
      { findings, threshold: config.severityThreshold, unscanned: changes.unscanned, configError },
      deps,
      { inProgress: false },
    );
  }
  deps.log.info({ repo: `${job.owner}/${job.repo}`, sha: job.after, ...outcome }, 'push scanned');
  return outcome;
}
