import type { Context } from 'probot';
import { type ScanPullRequestJob, scanKey } from '../queue/jobs.js';
import { type AppDeps, enqueueOnce } from './enqueue.js';

/** `pull_request` opened, synchronize, reopened: enqueue a scan of the pull request's head and return. */
export async function onPullRequest(
  context: Context<'pull_request.opened' | 'pull_request.synchronize' | 'pull_request.reopened'>,
  deps: AppDeps,
): Promise<void> {
  const { payload } = context;
  if (!payload.installation) {
    context.log.warn({ delivery: context.id }, 'pull request without an installation: ignored');
    return;
  }
  const repo = payload.repository;
  const pr = payload.pull_request;
  const job: ScanPullRequestJob = {
    installationId: payload.installation.id,
    owner: repo.owner.login,
    repo: repo.name,
    repoId: repo.id,
    defaultBranch: repo.default_branch,
    deliveryId: context.id,
    number: pr.number,
    headSha: pr.head.sha,
    headRef: pr.head.ref,
    sender: payload.sender.login,
  };
  await enqueueOnce(
    deps,
    context,
    'scan-pull-request',
    job,
    scanKey('scan-pull-request', repo.id, pr.head.sha, `${pr.number}`),
  );
}
