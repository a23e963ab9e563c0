import type { Context } from 'probot';
import { type ScanPullRequestJob, type ScanPushJob, scanKey } from '../queue/jobs.js';
import { type AppDeps, enqueueOnce } from './enqueue.js';

interface RerequestedSuite {
  head_sha?: string;
  head_branch?: string | null;
  before?: string | null;
  after?: string | null;
  pull_requests?: Array<{ number: number; head: { sha: string; ref: string } }>;
}

/**
 * `check_run` / `check_suite` rerequested: scan the head again, as a pull request scan for each pull request
 * of the suite, or as a push scan of the suite's `before…after` range when it belongs to none.
 */
export async function onRerequest(
  context: Context<'check_run.rerequested'> | Context<'check_suite.rerequested'>,
  suite: RerequestedSuite,
  deps: AppDeps,
): Promise<void> {
  const { payload } = context;
  if (!payload.installation) {
    context.log.warn({ delivery: context.id }, 'rerequest without an installation: ignored');
    return;
  }
  const repo = payload.repository;
  if (!suite.head_sha) {
    context.log.warn({ delivery: context.id }, 'rerequest without a head sha: ignored');
    return;
  }
  const headSha = suite.head_sha;
  const base = {
    installationId: payload.installation.id,
    owner: repo.owner.login,
    repo: repo.name,
    repoId: repo.id,
    defaultBranch: repo.default_branch,
    deliveryId: context.id,
  };
  const pullRequests = suite.pull_requests ?? [];
  for (const pr of pullRequests) {
    const job: ScanPullRequestJob = {
      ...base,
      number: pr.number,
      headSha,
      headRef: pr.head.ref,
      sender: payload.sender.login,
    };
    await enqueueOnce(
      deps,
      { ...context, id: `${context.id}:${pr.number}`, log: context.log },
      'scan-pull-request',
      job,
      scanKey('scan-pull-request', repo.id, headSha, `${pr.number}`),
    );
  }
  if (pullRequests.length > 0) return;
  const zero = '0'.repeat(40);
  const before = suite.before ?? zero;
  const job: ScanPushJob = {
    ...base,
    ref: `refs/heads/${suite.head_branch ?? repo.default_branch}`,
    before,
    after: suite.after ?? headSha,
    created: before === zero,
    forced: false,
    commits: [],
    pusher: payload.sender.login,
  };
  await enqueueOnce(deps, context, 'scan-push', job, scanKey('scan-push', repo.id, job.after, job.ref));
}
