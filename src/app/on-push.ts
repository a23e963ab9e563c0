import type { Context } from 'probot';
import type { ScanPushJob } from '../queue/jobs.js';
import { scanKey } from '../queue/jobs.js';
import { type AppDeps, enqueueOnce } from './enqueue.js';

/**
 * `push`: enqueue a scan of the pushed range and return. Deleted branches have nothing to scan; tags are
 * scanned like branches (their commits can hold keys too).
 */
export async function onPush(context: Context<'push'>, deps: AppDeps): Promise<void> {
  const { payload } = context;
  if (payload.deleted) {
    context.log.debug({ ref: payload.ref }, 'deleted ref: nothing to scan');
    return;
  }
  if (!payload.installation) {
    context.log.warn({ delivery: context.id }, 'push without an installation: ignored');
    return;
  }
  const repo = payload.repository;
  const job: ScanPushJob = {
    installationId: payload.installation.id,
    owner: repo.owner?.login ?? repo.full_name.split('/')[0]!,
    repo: repo.name,
    repoId: repo.id,
    defaultBranch: repo.default_branch ?? repo.master_branch ?? 'main',
    deliveryId: context.id,
    ref: payload.ref,
    before: payload.before,
    after: payload.after,
    created: payload.created,
    forced: payload.forced,
    commits: payload.commits.map((commit) => commit.id),
    pusher: payload.pusher.name ?? payload.sender?.login ?? 'unknown',
  };
  await enqueueOnce(
    deps,
    context,
    'scan-push',
    job,
    scanKey('scan-push', repo.id, payload.after, payload.ref),
  );
}
