import { isIgnoredPath } from '../engine/allowlist.js';
import { loadRepoConfig } from '../github/config.js';
import { pullRequestFragments } from '../github/diff.js';
import { recordFindings } from '../inventory/store.js';
import type { ScanPullRequestJob } from '../queue/jobs.js';
import type { JobDeps } from './deps.js';
import { enqueueRemediation } from './enqueue-remediation.js';
import { findInChanges, reportCheckRun } from './scan-changes.js';
import type { ScanOutcome } from './scan-push.js';

/** Scans the lines a pull request adds and reports the `keywarden` check run on its head. */
export async function scanPullRequest(
  job: ScanPullRequestJob,
  deps: JobDeps,
  jobId: string,
): Promise<ScanOutcome> {
  const octokit = await deps.octokitFor(job.installationId);
  const repo = { owner: job.owner, repo: job.repo };
  // The default branch's config judges the change, never the change's own (it could silence itself).
  const { config, error: configError } = await loadRepoConfig(octokit, repo, job.defaultBranch);
  const changes = await pullRequestFragments(
    octokit,
    repo,
    { number: job.number, headSha: job.headSha },
    { isIgnored: (path) => isIgnoredPath(path, config.paths.ignore) },
  );
  const findings = await findInChanges(changes, config, deps, job.repoId);
  const recorded = await recordFindings(
    deps.db,
    findings,
    {
      repoId: job.repoId,
      repo: `${job.owner}/${job.repo}`,
      commitSha: job.headSha,
      source: 'pull_request',
      ref: `refs/heads/${job.headRef}`,
      pullRequest: job.number,
      blobShas: changes.blobShas,
    },
    job.sender,
  );
  await enqueueRemediation(deps, { ...job, commitSha: job.headSha });
  const checkRunId = await reportCheckRun(
    octokit,
    { ...repo, repoId: job.repoId, headSha: job.headSha, jobId },
    { findings, threshold: config.severityThreshold, unscanned: changes.unscanned, configError },
    deps,
    { inProgress: true },
  );
  const outcome: ScanOutcome = {
    findings: findings.length,
    newCredentials: recorded.newCredentials,
    unscanned: changes.unscanned.length,
    checkRunId,
  };
  deps.log.info({ repo: `${job.owner}/${job.repo}`, pr: job.number, ...outcome }, 'pull request scanned');
  return outcome;
}
