import type { Context } from 'probot';
import { type GitCommit, ZERO_SHA } from './git.js';
import { commentJson, issueJson } from './issues.js';
import { pullRequestJson } from './pull-request.js';
import {
  type AccountType,
  type CommentState,
  type InstallationState,
  type IssueState,
  installationOf,
  type RepoState,
  type StandinState,
} from './state.js';
import {
  accountId,
  accountJson,
  example,
  hostReplacements,
  nodeId,
  repositoryJson,
  rewrite,
} from './templates.js';

/**
 * Webhook payloads built from GitHub's own examples (`@octokit/webhooks-examples`), with only the
 * fields that must point at stand-in data replaced: repository, installation, accounts, ref, shas,
 * commits, pull request numbers and counts, and URLs (moved to the stand-in's host).
 */

export type PushPayload = Context<'push'>['payload'];
export type PullRequestAction = 'opened' | 'reopened' | 'synchronize';
export type PullRequestPayload = Context<
  'pull_request.opened' | 'pull_request.reopened' | 'pull_request.synchronize'
>['payload'];

export type IssueCommentPayload = Context<'issue_comment.created'>['payload'];
export type IssuesAction = 'closed' | 'reopened';
export type IssuesPayload = Context<'issues.closed' | 'issues.reopened'>['payload'];

type Json = Record<string, unknown>;

/** GitHub caps the commits of a push payload. */
const PUSH_COMMITS = 2048;

export interface PushOptions {
  /** Default: the head the previous push payload of this branch announced; all zeros for a new branch. */
  before?: string;
  /** Default: the branch's head now; all zeros when the branch was deleted. */
  after?: string;
  /** Default: the author of the head commit. */
  sender?: string;
}

export interface PullRequestOptions {
  /** `synchronize` only. Default: the head the previous payload of this pull request announced. */
  before?: string;
  /** Default: the pull request's author. */
  sender?: string;
}

function installationFor(state: StandinState, repo: RepoState): InstallationState {
  const installation = installationOf(state, repo.repo.owner);
  if (!installation) throw new Error(`no installation for ${repo.repo.owner}: call addInstallation first`);
  return installation;
}

function installationJson(installation: InstallationState): Json {
  return { id: installation.id, node_id: nodeId('IntegrationInstallation', installation.id) };
}

function organizationJson(state: StandinState, login: string): Json {
  const template = example('pull_request', (p) => p.organization !== undefined).organization as Json;
  const id = accountId(login);
  const json = rewrite(template, [
    ['https://avatars1.githubusercontent.com/u/38302899', `https://avatars.githubusercontent.com/u/${id}`],
    ['Octocoders', login],
    ...hostReplacements(state),
  ]);
  json.id = id;
  json.node_id = nodeId('Organization', id);
  return json;
}

/** Adds `organization` when the owner is one, as GitHub does. */
function withOrganization(state: StandinState, payload: Json, owner: string, type: AccountType): void {
  if (type === 'Organization') payload.organization = organizationJson(state, owner);
  else delete payload.organization;
}

function pushCommitJson(state: StandinState, repo: RepoState, commit: GitCommit): Json {
  const parentTree = commit.parents[0] ? repo.git.get(commit.parents[0]).tree : new Map<string, string>();
  const added: string[] = [];
  const removed: string[] = [];
  const modified: string[] = [];
  for (const [path, sha] of commit.tree) {
    const old = parentTree.get(path);
    if (old === undefined) added.push(path);
    else if (old !== sha) modified.push(path);
  }
  for (const path of parentTree.keys()) if (!commit.tree.has(path)) removed.push(path);
  const person: Json = { name: commit.author.name, email: commit.author.email };
  if (commit.author.login) person.username = commit.author.login;
  return {
    id: commit.sha,
    tree_id: commit.treeSha,
    distinct: true,
    message: commit.message,
    timestamp: commit.date,
    url: `${state.web}/${repo.fullName}/commit/${commit.sha}`,
    author: person,
    committer: { ...person },
    added: added.sort(),
    removed: removed.sort(),
    modified: modified.sort(),
  };
}

/**
 * A `push` payload for `branch`: everything committed since the previous push payload of that branch
 * (`created` for its first push). `forced` when `before` is not an ancestor of `after`; `deleted` when
 * the branch no longer exists. Records `after` as the branch's pushed head.
 */
export function pushPayload(
  state: StandinState,
  repo: RepoState,
  branch: string,
  options: PushOptions = {},
): PushPayload {
  const installation = installationFor(state, repo);
  const before = options.before ?? repo.pushed.get(branch) ?? ZERO_SHA;
  const after = options.after ?? repo.git.branches.get(branch) ?? ZERO_SHA;
  if (before === ZERO_SHA && after === ZERO_SHA)
    throw new Error(`branch ${branch} of ${repo.fullName} has nothing to push`);
  const created = before === ZERO_SHA;
  const deleted = after === ZERO_SHA;
  const forced = !created && !deleted && !repo.git.ancestors(after).has(before);

  let commits: GitCommit[] = [];
  if (!deleted) {
    const defaultHead = repo.git.branches.get(repo.repo.defaultBranch);
    const exclude = created ? (branch === repo.repo.defaultBranch ? undefined : defaultHead) : before;
    commits = repo.git.between(exclude, after).slice(-PUSH_COMMITS);
  }
  const head = deleted ? undefined : repo.git.get(after);
  const sender = options.sender ?? head?.author.login ?? 'Codertocat';

  const payload = example('push', (p) => p.ref === 'refs/heads/master' && p.installation !== undefined);
  const web = `${state.web}/${repo.fullName}`;
  Object.assign(payload, {
    ref: `refs/heads/${branch}`,
    before,
    after,
    repository: repositoryJson(state, repo, installation.ownerType, 'push'),
    pusher: { name: sender, email: `${accountId(sender)}+${sender}@users.noreply.github.com` },
    sender: accountJson(state, sender),
    installation: installationJson(installation),
    created,
    deleted,
    forced,
    base_ref: null,
    compare: created
      ? `${web}/commit/${after}`
      : `${web}/compare/${before.slice(0, 12)}...${after.slice(0, 12)}`,
    commits: commits.map((commit) => pushCommitJson(state, repo, commit)),
    head_commit: head ? pushCommitJson(state, repo, head) : null,
  });
  const repository = payload.repository as Json;
  repository.pushed_at = Math.floor(Date.now() / 1000);
  withOrganization(state, payload, repo.repo.owner, installation.ownerType);

  if (deleted) repo.pushed.delete(branch);
  else repo.pushed.set(branch, after);
  return payload as unknown as PushPayload;
}

/**
 * A `pull_request` payload (`opened`, `reopened` or `synchronize`) for a pull request of the stand-in,
 * with its head and base as they are now. Records the head as announced (the next `synchronize` starts
 * from it).
 */
export function pullRequestPayload(
  state: StandinState,
  repo: RepoState,
  number: number,
  action: PullRequestAction,
  options: PullRequestOptions = {},
): PullRequestPayload {
  const installation = installationFor(state, repo);
  const pull = repo.pulls.get(number);
  if (!pull) throw new Error(`no pull request #${number} in ${repo.fullName}`);
  const payload = example('pull_request', (p) => p.action === action && p.installation !== undefined);
  const pullRequest = pullRequestJson(state, repo, pull);
  const headSha = (pullRequest.head as Json).sha as string;
  Object.assign(payload, {
    action,
    number,
    pull_request: pullRequest,
    repository: repositoryJson(state, repo, installation.ownerType, 'default'),
    installation: installationJson(installation),
    sender: accountJson(state, options.sender ?? pull.author),
  });
  if (action === 'synchronize') {
    payload.before = options.before ?? pull.announcedHead;
    payload.after = headSha;
  }
  withOrganization(state, payload, repo.repo.owner, installation.ownerType);
  pull.announcedHead = headSha;
  return payload as unknown as PullRequestPayload;
}

/** An `issue_comment.created` payload for a comment the stand-in holds, with the issue as it is now. */
export function issueCommentPayload(
  state: StandinState,
  repo: RepoState,
  issue: IssueState,
  comment: CommentState,
): IssueCommentPayload {
  const installation = installationFor(state, repo);
  const payload = example('issue_comment', (p) => p.action === 'created' && p.installation !== undefined);
  Object.assign(payload, {
    action: 'created',
    issue: issueJson(state, repo, issue),
    comment: commentJson(state, repo, comment),
    repository: repositoryJson(state, repo, installation.ownerType, 'default'),
    installation: installationJson(installation),
    sender: (commentJson(state, repo, comment) as Json).user,
  });
  withOrganization(state, payload, repo.repo.owner, installation.ownerType);
  return payload as unknown as IssueCommentPayload;
}

/** An `issues.closed` or `issues.reopened` payload for an issue the stand-in holds, sent by `sender`. */
export function issuesPayload(
  state: StandinState,
  repo: RepoState,
  issue: IssueState,
  action: IssuesAction,
  sender: string,
): IssuesPayload {
  const installation = installationFor(state, repo);
  // GitHub's examples have no `closed` action: both start from `reopened`, which has an installation.
  const payload = example('issues', (p) => p.action === 'reopened' && p.installation !== undefined);
  Object.assign(payload, {
    action,
    issue: issueJson(state, repo, issue),
    repository: repositoryJson(state, repo, installation.ownerType, 'default'),
    installation: installationJson(installation),
    sender: accountJson(state, sender),
  });
  withOrganization(state, payload, repo.repo.owner, installation.ownerType);
  return payload as unknown as IssuesPayload;
}
