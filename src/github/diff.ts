import {
  type ChangedFile,
  type ChangedFragments,
  type DiffOptions,
  FragmentCollector,
} from './changed-files.js';
import type { Octokit, RepoRef } from './types.js';

export type { ChangedFile, ChangedFragments, DiffOptions } from './changed-files.js';

/**
 * The added lines of a push or a pull request, read from GitHub's REST API.
 *
 * Push: one compare `before...after` (three dots: from the merge base, so after a forced push it is what
 * `after` adds relative to the history it shares with `before`, never the lines the push dropped). A new
 * branch compares against the default branch. The first push of a branch that has nothing to compare
 * with (a new repository) lists its commits one by one. Past the compare API's limits (300 files listed,
 * more than 250 commits) the range's commits are listed and each commit's files read, so nothing is
 * silently skipped; whatever cannot be scanned is returned in `unscanned` with the reason.
 */

/** What `pushFragments` needs from a push event. */
export interface PushRange {
  before: string;
  after: string;
  created: boolean;
  forced: boolean;
  defaultBranch: string;
  /** Commit ids of the push, oldest first, from the payload (used when there is no base to compare). */
  commits?: string[];
  /** The pushed ref (`refs/heads/main`). Optional; lets the first push of the default branch skip a compare. */
  ref?: string;
}

/** GitHub's documented limits of the compare endpoint (without paging). */
export const COMPARE_MAX_FILES = 300;
export const COMPARE_MAX_COMMITS = 250;
/** GitHub lists at most this many files of a pull request, and of one commit. */
export const LIST_MAX_FILES = 3000;
/** Payloads list at most 20 commits; a shorter list is the whole push. */
const PAYLOAD_COMMIT_LIMIT = 20;
const PAGE = 100;

const ZERO_SHA = /^0{40}$/;

interface Comparison {
  status: string;
  ahead_by: number;
  total_commits: number;
  commits: Array<{ sha: string }>;
  files?: ChangedFile[];
}

/**
 * The added lines of a push. A deleted branch (`after` all zeros) yields nothing.
 *
 * @example
 * const changes = await pushFragments(octokit, { owner, repo }, { before, after, created, forced, defaultBranch: 'main' });
 */
export async function pushFragments(
  octokit: Octokit,
  repo: RepoRef,
  push: PushRange,
  options: DiffOptions = {},
): Promise<ChangedFragments> {
  const collector = new FragmentCollector(octokit, repo, options);
  if (ZERO_SHA.test(push.after)) return collector.result();

  const newBranch = push.created || ZERO_SHA.test(push.before);
  if (newBranch && push.ref === `refs/heads/${push.defaultBranch}`) {
    await scanHistory(octokit, repo, push, collector);
    return collector.result();
  }

  let comparison = await compare(octokit, repo, newBranch ? push.defaultBranch : push.before, push.after);
  // `before` can be gone (garbage-collected after a forced push): fall back to the default branch.
  if (!comparison && !newBranch) comparison = await compare(octokit, repo, push.defaultBranch, push.after);
  // Nothing to compare with, or a new branch that adds nothing over the default branch while the
  // payload lists commits: the pushed branch is the default branch itself (a new repository).
  if (!comparison || (newBranch && comparison.ahead_by === 0 && (push.commits?.length ?? 0) > 0)) {
    await scanHistory(octokit, repo, push, collector);
    return collector.result();
  }

  const files = comparison.files ?? [];
  const truncated = files.length >= COMPARE_MAX_FILES || comparison.total_commits > comparison.commits.length;
  if (!truncated) {
    await collector.addFiles(files);
    return collector.result();
  }
  const base = newBranch ? push.defaultBranch : push.before;
  const commits = await rangeCommits(octokit, repo, `${base}...${push.after}`, comparison, collector);
  await scanCommits(octokit, repo, commits, collector);
  return collector.result();
}

/** Pull request: its files (GitHub lists at most 3000), with the same patch and blob handling as a push. */
export async function pullRequestFragments(
  octokit: Octokit,
  repo: RepoRef,
  pr: { number: number; headSha: string },
  options: DiffOptions = {},
): Promise<ChangedFragments> {
  const collector = new FragmentCollector(octokit, repo, options);
  const files: ChangedFile[] = [];
  for await (const page of octokit.paginate.iterator(octokit.rest.pulls.listFiles, {
    ...repo,
    pull_number: pr.number,
    per_page: PAGE,
  })) {
    files.push(...page.data);
  }
  if (files.length >= LIST_MAX_FILES) {
    collector.note(
      '',
      `GitHub lists at most ${LIST_MAX_FILES} files of a pull request; files past that were not scanned`,
    );
  }
  await collector.addFiles(files);
  return collector.result();
}

/** `base...head`, or `undefined` when GitHub does not know one of them (404). */
async function compare(
  octokit: Octokit,
  repo: RepoRef,
  base: string,
  head: string,
): Promise<Comparison | undefined> {
  try {
    const { data } = await octokit.rest.repos.compareCommitsWithBasehead({
      ...repo,
      basehead: `${base}...${head}`,
    });
    return data;
  } catch (error) {
    if ((error as { status?: number }).status === 404) return undefined;
    throw error;
  }
}

/**
 * Every commit of a compare range, oldest first. The unpaged answer holds at most 250; beyond that the
 * range is paged (100 a page, chronological), and only the newest `maxCommits` are kept.
 */
async function rangeCommits(
  octokit: Octokit,
  repo: RepoRef,
  basehead: string,
  first: Comparison,
  collector: FragmentCollector,
): Promise<string[]> {
  const total = first.total_commits;
  if (total <= first.commits.length)
    return keepNewest(
      first.commits.map((c) => c.sha),
      total,
      collector,
    );
  const lastPage = Math.ceil(total / PAGE);
  const firstPage = Math.floor(Math.max(0, total - collector.maxCommits) / PAGE) + 1;
  const shas: string[] = [];
  for (let page = firstPage; page <= lastPage; page++) {
    const { data } = await octokit.rest.repos.compareCommitsWithBasehead({
      ...repo,
      basehead,
      per_page: PAGE,
      page,
    });
    shas.push(...data.commits.map((c) => c.sha));
  }
  return keepNewest(shas, total, collector);
}

function keepNewest(shas: string[], total: number, collector: FragmentCollector): string[] {
  if (total <= collector.maxCommits && shas.length <= collector.maxCommits) return shas;
  collector.note(
    '',
    `${total} commits pushed; only the newest ${collector.maxCommits} were scanned one by one`,
  );
  return shas.slice(-collector.maxCommits);
}

/**
 * A branch with no base to compare with: the payload's commits when the list is complete, otherwise the
 * history of `after` (newest first from GitHub, capped), scanned oldest first.
 */
async function scanHistory(
  octokit: Octokit,
  repo: RepoRef,
  push: PushRange,
  collector: FragmentCollector,
): Promise<void> {
  const listed = push.commits ?? [];
  if (listed.length > 0 && listed.length < PAYLOAD_COMMIT_LIMIT) {
    await scanCommits(octokit, repo, listed, collector);
    return;
  }
  const newestFirst: string[] = [];
  let more = false;
  for await (const page of octokit.paginate.iterator(octokit.rest.repos.listCommits, {
    ...repo,
    sha: push.after,
    per_page: PAGE,
  })) {
    for (const commit of page.data) {
      if (newestFirst.length === collector.maxCommits) {
        more = true;
        break;
      }
      newestFirst.push(commit.sha);
    }
    if (more) break;
  }
  if (more) {
    collector.note(
      '',
      `the branch has more than ${collector.maxCommits} commits; only the newest were scanned`,
    );
  }
  await scanCommits(octokit, repo, newestFirst.reverse(), collector);
}

/** Each commit's files (paged past 300, up to GitHub's 3000), oldest commit first. */
async function scanCommits(
  octokit: Octokit,
  repo: RepoRef,
  shas: readonly string[],
  collector: FragmentCollector,
): Promise<void> {
  for (const sha of shas) {
    const files: ChangedFile[] = [];
    for await (const page of octokit.paginate.iterator(octokit.rest.repos.getCommit, { ...repo, ref: sha })) {
      // Each page is the whole commit object (the plugin's types claim a bare list): files are in `files`.
      const data = page.data as unknown as { files?: ChangedFile[] };
      files.push(...(data.files ?? []));
    }
    if (files.length >= LIST_MAX_FILES) {
      collector.note(
        '',
        `commit ${sha.slice(0, 12)} changes more than ${LIST_MAX_FILES} files; files past that were not scanned`,
      );
    }
    await collector.addFiles(files);
  }
}
