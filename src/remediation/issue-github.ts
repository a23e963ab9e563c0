import { statusOf } from '../github/errors.js';
import type { Octokit, RepoRef } from '../github/types.js';
import { credentialMarker, htmlBaseFromApi } from './issue-body.js';
import { KEYWARDEN_LABEL } from './labels.js';

/**
 * The GitHub calls of remediation issues, with plain values in and out. Writes made while an inventory
 * transaction is open carry a timeout, so a hung connection cannot hold the transaction for ever.
 */

/** How long one issue write may take before it is abandoned (the job retries). */
export const WRITE_TIMEOUT_MS = 30_000;

/** An issue as keywarden needs to see it. */
export interface IssueState {
  number: number;
  state: 'open' | 'closed';
  /** Why it was closed: `completed`, `not_planned`, `duplicate`, or `null` (closed before GitHub kept reasons). */
  stateReason: string | null;
  body: string;
  labels: string[];
  assignees: string[];
}

/** What remediation needs to know of a repository. */
export interface RepositoryInfo {
  defaultBranch: string;
  visibility: 'public' | 'private' | 'internal' | string;
}

/** `owner/name` → `{ owner, repo }`. */
export function parseRepo(fullName: string): RepoRef {
  const slash = fullName.indexOf('/');
  if (slash <= 0 || slash === fullName.length - 1)
    throw new TypeError(`expected "owner/name", got "${fullName}"`);
  return { owner: fullName.slice(0, slash), repo: fullName.slice(slash + 1) };
}

/** `{ owner, repo }` → `owner/name`. */
export function fullName(repo: RepoRef): string {
  return `${repo.owner}/${repo.repo}`;
}

/** Default branch and visibility of a repository (`repos.get`). */
export async function repositoryInfo(octokit: Octokit, repo: RepoRef): Promise<RepositoryInfo> {
  const { data } = await octokit.rest.repos.get({ owner: repo.owner, repo: repo.repo });
  return {
    defaultBranch: data.default_branch,
    visibility: data.visibility ?? (data.private ? 'private' : 'public'),
  };
}

/**
 * Visibility of each repository (at most `limit` of them, one request each); one that cannot be read is
 * left out (the issue then says "if it is public").
 */
export async function visibilityOf(
  octokit: Octokit,
  repos: readonly string[],
  limit = 5,
): Promise<Map<string, string>> {
  const visibility = new Map<string, string>();
  for (const repo of [...new Set(repos)].slice(0, limit)) {
    try {
      visibility.set(repo, (await repositoryInfo(octokit, parseRepo(repo))).visibility);
    } catch (error) {
      const status = statusOf(error);
      if (status !== 404 && status !== 403) throw error;
    }
  }
  return visibility;
}

/** An issue's state, body, labels and assignees; `undefined` when it is gone (404, or 410 once deleted). */
export async function getIssue(
  octokit: Octokit,
  repo: RepoRef,
  issueNumber: number,
): Promise<IssueState | undefined> {
  try {
    const { data } = await octokit.rest.issues.get({ ...repo, issue_number: issueNumber });
    return {
      number: data.number,
      state: data.state === 'closed' ? 'closed' : 'open',
      stateReason: data.state_reason ?? null,
      body: data.body ?? '',
      labels: data.labels
        .map((label) => (typeof label === 'string' ? label : (label.name ?? '')))
        .filter(Boolean),
      assignees: (data.assignees ?? []).map((user) => user.login),
    };
  } catch (error) {
    const status = statusOf(error);
    if (status === 404 || status === 410) return undefined;
    throw error;
  }
}

/**
 * The issue carrying a credential's hidden marker in `repo`, if there is one: lists the repository's
 * `keywarden` issues (open and closed, oldest first, every page) and returns the first whose body has
 * the marker. How a database restored from an old backup finds the issue it forgot, instead of opening
 * a second one.
 */
export async function findIssueByMarker(
  octokit: Octokit,
  repo: RepoRef,
  fingerprint: string,
): Promise<IssueState | undefined> {
  const marker = credentialMarker(fingerprint);
  const pages = octokit.paginate.iterator(octokit.rest.issues.listForRepo, {
    ...repo,
    labels: KEYWARDEN_LABEL,
    state: 'all',
    sort: 'created',
    direction: 'asc',
    per_page: 100,
  });
  for await (const { data } of pages) {
    for (const issue of data) {
      if (issue.pull_request || !issue.body?.includes(marker)) continue;
      return {
        number: issue.number,
        state: issue.state === 'closed' ? 'closed' : 'open',
        stateReason: issue.state_reason ?? null,
        body: issue.body,
        labels: issue.labels
          .map((label) => (typeof label === 'string' ? label : (label.name ?? '')))
          .filter(Boolean),
        assignees: (issue.assignees ?? []).map((user) => user.login),
      };
    }
  }
  return undefined;
}

/** Opens an issue; resolves to its number. */
export async function createIssue(
  octokit: Octokit,
  repo: RepoRef,
  issue: { title: string; body: string; labels: string[]; assignees: string[] },
): Promise<number> {
  const { data } = await octokit.rest.issues.create({
    ...repo,
    title: issue.title,
    body: issue.body,
    labels: issue.labels,
    ...(issue.assignees.length > 0 ? { assignees: issue.assignees } : {}),
    request: { signal: AbortSignal.timeout(WRITE_TIMEOUT_MS) },
  });
  return data.number;
}

/** What may change on an existing issue; absent fields are left as they are. */
export interface IssueChange {
  body?: string;
  labels?: string[];
  assignees?: string[];
  state?: 'open' | 'closed';
  stateReason?: 'completed' | 'not_planned' | 'reopened';
}

/** Updates an issue (one request); does nothing when `change` is empty. */
export async function updateIssue(
  octokit: Octokit,
  repo: RepoRef,
  issueNumber: number,
  change: IssueChange,
): Promise<void> {
  if (Object.keys(change).length === 0) return;
  await octokit.rest.issues.update({
    ...repo,
    issue_number: issueNumber,
    ...(change.body !== undefined ? { body: change.body } : {}),
    ...(change.labels ? { labels: change.labels } : {}),
    ...(change.assignees ? { assignees: change.assignees } : {}),
    ...(change.state ? { state: change.state } : {}),
    ...(change.stateReason ? { state_reason: change.stateReason } : {}),
    request: { signal: AbortSignal.timeout(WRITE_TIMEOUT_MS) },
  });
}

/** Adds a comment to an issue. */
export async function addComment(
  octokit: Octokit,
  repo: RepoRef,
  issueNumber: number,
  body: string,
): Promise<void> {
  await octokit.rest.issues.createComment({
    ...repo,
    issue_number: issueNumber,
    body,
    request: { signal: AbortSignal.timeout(WRITE_TIMEOUT_MS) },
  });
}

/** The web address of the GitHub this Octokit talks to (github.com, or a GHE host). */
export function htmlBaseOf(octokit: Octokit): string {
  return htmlBaseFromApi(String(octokit.request.endpoint.DEFAULTS.baseUrl));
}
