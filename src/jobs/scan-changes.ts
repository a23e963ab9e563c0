import type { KeywardenConfig } from '../config/schema.js';
import { selectRules } from '../config/select-rules.js';
import { compileRules, scan } from '../engine/scan.js';
import type { Finding } from '../engine/types.js';
import { type CheckReport, completeCheckRun, createCheckRun } from '../github/checks.js';
import type { ChangedFragments } from '../github/diff.js';
import { claimCheckRun, saveCheckRunId } from '../inventory/store.js';
import { suppressedFingerprints } from '../inventory/suppressions.js';
import { RetryableError } from '../queue/errors.js';
import type { JobDeps, Octokit } from './deps.js';

/**
 * The engine over changed fragments, with the repository's rule selection (path ignores are applied
 * earlier, when the changes are read, so ignored files are never fetched). Fingerprints the repository
 * has suppressed (`/keywarden false-positive` or `test-credential`) are the engine's baseline: dropped,
 * so they are neither recorded nor reported on the check run.
 */
export async function findInChanges(
  changes: ChangedFragments,
  config: KeywardenConfig,
  deps: JobDeps,
  repoId: number,
): Promise<Finding[]> {
  const { rules } = selectRules(deps.rules, config.rules);
  const key = rules.map((rule) => rule.id).join(',');
  let compiled = deps.compiledRules.get(key);
  if (!compiled) {
    compiled = compileRules(rules);
    deps.compiledRules.set(key, compiled);
  }
  const baseline = await suppressedFingerprints(deps.db, repoId);
  return scan(changes.fragments, compiled, {
    fingerprintKey: deps.fingerprintKey,
    baseline,
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

/** How long a job waits for another worker that claimed a sha to create its check run, before retrying. */
const CLAIM_WAIT_MS = 5_000;
const CLAIM_POLL_MS = 250;

export interface ReportOptions {
  /**
   * Show the run `in_progress` before completing it (pull requests, rerequests). Without it a new run is
   * created already complete, one request instead of two: pushes to the default branch, where the scan is
   * done before anyone looks.
   */
  inProgress: boolean;
}

/**
 * Reports findings as the one `keywarden` check run of a head sha. The first job to claim the sha
 * creates the run; later jobs (a push and a pull request on the same head, a rescan) update it. A job that
 * finds the claim taken but the run not yet created waits a few seconds for it, then retries.
 */
export async function reportCheckRun(
  octokit: Octokit,
  target: CheckTarget,
  report: CheckReport,
  deps: JobDeps,
  options: ReportOptions,
): Promise<number> {
  const repo = { owner: target.owner, repo: target.repo };
  const claim = await claimFor(target, deps);
  if (claim.owner) {
    const created = options.inProgress
      ? await createCheckRun(octokit, repo, target.headSha)
      : await createCheckRun(octokit, repo, target.headSha, { report });
    await saveCheckRunId(deps.db, target.repoId, target.headSha, created);
    if (options.inProgress) await completeCheckRun(octokit, repo, created, report);
    return created;
  }
  await completeCheckRun(octokit, repo, claim.checkRunId, report);
  return claim.checkRunId;
}

async function claimFor(
  target: CheckTarget,
  deps: JobDeps,
): Promise<{ owner: true } | { owner: false; checkRunId: number }> {
  const deadline = Date.now() + CLAIM_WAIT_MS;
  for (;;) {
    const claim = await claimCheckRun(deps.db, target.repoId, target.headSha, target.jobId);
    if (claim.owner) return claim;
    if (claim.checkRunId !== undefined) return { owner: false, checkRunId: claim.checkRunId };
    if (Date.now() >= deadline) {
      throw new RetryableError('the check run for this commit is being created by another worker');
    }
    await new Promise((resolve) => setTimeout(resolve, CLAIM_POLL_MS));
  }
}
