import type { KeywardenConfig } from '../config/schema.js';
import { selectRules } from '../config/select-rules.js';
import { compileRules, scan } from '../engine/scan.js';
import type { Finding } from '../engine/types.js';
import { completeCheckRun, createCheckRun } from '../github/checks.js';
import type { ChangedFragments } from '../github/diff.js';
import { claimCheckRun, saveCheckRunId } from '../inventory/store.js';
import { RetryableError } from '../queue/errors.js';
import type { JobDeps, Octokit } from './deps.js';

/**
 * The engine over changed fragments, with the repository's rule selection (path ignores are applied
 * earlier, when the changes are read, so ignored files are never fetched).
 */
export function findInChanges(changes: ChangedFragments, config: KeywardenConfig, deps: JobDeps): Finding[] {
  const { rules } = selectRules(deps.rules, config.rules);
  const key = rules.map((rule) => rule.id).join(',');
  let compiled = deps.compiledRules.get(key);
  if (!compiled) {
    compiled = compileRules(rules);
    deps.compiledRules.set(key, compiled);
  }
  return scan(changes.fragments, compiled, {
    fingerprintKey: deps.fingerprintKey,
    onDrop: (dropped) => deps.log.debug(dropped, 'candidate dropped'),
  });
}

export interface CheckTarget {
  owner: string;
  repo: string;
  repoId: number;
  headSha: string;
  /** The job reporting (stable across its retries), so a retry that claimed the sha can create the run. */
  jobId: string;
}

/**
 * Reports findings as the one `keywarden` check run of a head sha. The first job to claim the sha
 * creates the run; later jobs (a push and a pull request on the same head, a rescan) update it. A job that
 * finds the claim taken but the run not yet created retries shortly.
 */
/** The config a change is judged by: the default branch's, never the change's own (it could silence itself). */
export function configRef(defaultBranch: string): string {
  return defaultBranch;
}

export async function reportCheckRun(
  octokit: Octokit,
  target: CheckTarget,
  report: Parameters<typeof completeCheckRun>[3],
  deps: JobDeps,
): Promise<number> {
  const repo = { owner: target.owner, repo: target.repo };
  const claim = await claimCheckRun(deps.db, target.repoId, target.headSha, target.jobId);
  let checkRunId: number;
  if (claim.owner) {
    checkRunId = await createCheckRun(octokit, repo, target.headSha);
    await saveCheckRunId(deps.db, target.repoId, target.headSha, checkRunId);
  } else if (claim.checkRunId !== undefined) {
    checkRunId = claim.checkRunId;
  } else {
    throw new RetryableError('the check run for this commit is being created by another worker');
  }
  await completeCheckRun(octokit, repo, checkRunId, report);
  return checkRunId;
}
