import { type FileChange, type GitCommit, type GitIdentity, ZERO_SHA } from './git.js';
import { githubBase64 } from './http.js';
import type { CheckRunState, RepoState, StandinState } from './state.js';
import { accountJson, nodeId } from './templates.js';

/**
 * REST answers in the shapes of GitHub's OpenAPI description (`@octokit/openapi`): every required field,
 * with the values keywarden reads taken from stand-in state.
 */

type Json = Record<string, unknown>;

function repoApi(state: StandinState, repo: RepoState): string {
  return `${state.api}/repos/${repo.fullName}`;
}

function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

function identityJson(identity: GitIdentity, date: string): Json {
  return { name: identity.name, email: identity.email, date };
}

/** A commit (`commit` schema) without its files. */
export function commitJson(state: StandinState, repo: RepoState, commit: GitCommit): Json {
  const api = repoApi(state, repo);
  const user = commit.author.login ? accountJson(state, commit.author.login) : null;
  return {
    url: `${api}/commits/${commit.sha}`,
    sha: commit.sha,
    node_id: Buffer.from(`04:Commit${repo.repo.id}:${commit.sha}`).toString('base64'),
    html_url: `${state.web}/${repo.fullName}/commit/${commit.sha}`,
    comments_url: `${api}/commits/${commit.sha}/comments`,
    commit: {
      url: `${api}/git/commits/${commit.sha}`,
      author: identityJson(commit.author, commit.date),
      committer: identityJson(commit.author, commit.date),
      message: commit.message,
      comment_count: 0,
      tree: { sha: commit.treeSha, url: `${api}/git/trees/${commit.treeSha}` },
      verification: {
        verified: false,
        reason: 'unsigned',
        signature: null,
        payload: null,
        verified_at: null,
      },
    },
    author: user,
    committer: user,
    parents: commit.parents.map((sha) => ({
      sha,
      url: `${api}/commits/${sha}`,
      html_url: `${state.web}/${repo.fullName}/commit/${sha}`,
    })),
  };
}

/** A changed file (`diff-entry` schema) at `ref` (the head commit). */
export function fileJson(state: StandinState, repo: RepoState, change: FileChange, ref: string): Json {
  const path = encodePath(change.filename);
  const json: Json = {
    sha: change.sha,
    filename: change.filename,
    status: change.status,
    additions: change.additions,
    deletions: change.deletions,
    changes: change.additions + change.deletions,
    blob_url: `${state.web}/${repo.fullName}/blob/${ref}/${path}`,
    raw_url: `${state.web}/${repo.fullName}/raw/${ref}/${path}`,
    contents_url: `${repoApi(state, repo)}/contents/${path}?ref=${ref}`,
  };
  if (change.patch !== undefined) json.patch = change.patch;
  if (change.previousFilename !== undefined) json.previous_filename = change.previousFilename;
  return json;
}

/**
 * The `application/vnd.github.diff` rendering of a list of changes: `diff --git` headers, then each
 * file's hunks. Files without a patch (binary, or past the size limit) show as binary.
 */
export function diffText(changes: readonly FileChange[]): string {
  const out: string[] = [];
  for (const change of changes) {
    const from = change.previousFilename ?? change.filename;
    out.push(`diff --git a/${from} b/${change.filename}`);
    if (change.status === 'added') out.push('new file mode 100644');
    if (change.status === 'removed') out.push('deleted file mode 100644');
    if (change.status === 'renamed') {
      out.push('similarity index 100%', `rename from ${from}`, `rename to ${change.filename}`);
      continue;
    }
    const oldSha = (change.oldSha ?? ZERO_SHA).slice(0, 7);
    const newSha = (change.status === 'removed' ? ZERO_SHA : change.sha).slice(0, 7);
    out.push(`index ${oldSha}..${newSha}${change.status === 'modified' ? ' 100644' : ''}`);
    const a = change.status === 'added' ? '/dev/null' : `a/${from}`;
    const b = change.status === 'removed' ? '/dev/null' : `b/${change.filename}`;
    if (change.patch === undefined) {
      if (change.additions + change.deletions > 0 || change.status !== 'modified')
        out.push(`Binary files ${a} and ${b} differ`);
      continue;
    }
    out.push(`--- ${a}`, `+++ ${b}`, change.patch);
  }
  return out.length > 0 ? `${out.join('\n')}\n` : '';
}

/** A check run (`check-run` schema). */
export function checkRunJson(state: StandinState, repo: RepoState, run: CheckRunState): Json {
  const api = repoApi(state, repo);
  const pulls = [...repo.pulls.values()].filter((pull) => repo.git.branches.get(pull.head) === run.headSha);
  return {
    id: run.id,
    head_sha: run.headSha,
    node_id: nodeId('CheckRun', run.id),
    external_id: run.externalId,
    url: `${api}/check-runs/${run.id}`,
    html_url: `${state.web}/${repo.fullName}/runs/${run.id}`,
    details_url: run.detailsUrl,
    status: run.status,
    conclusion: run.conclusion,
    started_at: run.startedAt,
    completed_at: run.completedAt,
    output: {
      title: run.output.title,
      summary: run.output.summary,
      text: run.output.text,
      annotations_count: run.output.annotations.length,
      annotations_url: `${api}/check-runs/${run.id}/annotations`,
    },
    name: run.name,
    check_suite: { id: run.suiteId },
    app: run.appId === null ? null : appJson(state, run.appId, repo.repo.owner),
    pull_requests: pulls.map((pull) => ({
      id: pull.id,
      number: pull.number,
      url: `${api}/pulls/${pull.number}`,
      head: {
        ref: pull.head,
        sha: repo.git.branches.get(pull.head) ?? ZERO_SHA,
        repo: miniRepo(state, repo),
      },
      base: {
        ref: pull.base,
        sha: repo.git.branches.get(pull.base) ?? ZERO_SHA,
        repo: miniRepo(state, repo),
      },
    })),
  };
}

function miniRepo(state: StandinState, repo: RepoState): Json {
  return { id: repo.repo.id, url: repoApi(state, repo), name: repo.repo.name };
}

/** The stand-in's App slug: its bot user is `keywarden[bot]`. */
export const APP_SLUG = 'keywarden';

/** What the App may do in an installation: its installations, its tokens and the App itself say the same. */
export const APP_PERMISSIONS = {
  checks: 'write',
  contents: 'read',
  issues: 'write',
  members: 'read',
  metadata: 'read',
  pull_requests: 'read',
  secret_scanning_alerts: 'write',
};

/** The webhooks the App subscribes to. */
export const APP_EVENTS = [
  'push',
  'pull_request',
  'check_run',
  'check_suite',
  'issues',
  'issue_comment',
  'secret_scanning_alert',
  'secret_scanning_alert_location',
];

/** The GitHub App that made a check run, an issue or a comment (`integration` schema). */
export function appJson(state: StandinState, appId: number, owner: string): Json {
  return {
    id: appId,
    slug: APP_SLUG,
    node_id: nodeId('App', appId),
    client_id: `Iv1.${appId.toString(16).padStart(16, '0')}`,
    owner: accountJson(state, owner, 'Organization'),
    name: 'keywarden',
    description: 'Finds, inventories and remediates leaked AI credentials',
    external_url: state.web,
    html_url: `${state.web}/apps/keywarden`,
    created_at: '2024-01-01T00:00:00Z',
    updated_at: '2024-01-01T00:00:00Z',
    permissions: APP_PERMISSIONS,
    events: APP_EVENTS,
  };
}

/** A file from the contents API (`content-file` schema). */
export function contentFileJson(
  state: StandinState,
  repo: RepoState,
  path: string,
  sha: string,
  content: string,
  ref: string,
): Json {
  const api = repoApi(state, repo);
  const size = Buffer.byteLength(content);
  const tooLarge = size > state.limits.contentsBytes;
  const self = `${api}/contents/${encodePath(path)}?ref=${encodeURIComponent(ref)}`;
  const html = `${state.web}/${repo.fullName}/blob/${ref}/${encodePath(path)}`;
  return {
    type: 'file',
    encoding: tooLarge ? 'none' : 'base64',
    size,
    name: path.split('/').pop() ?? path,
    path,
    content: tooLarge ? '' : githubBase64(content),
    sha,
    url: self,
    git_url: `${api}/git/blobs/${sha}`,
    html_url: html,
    download_url: `${state.web}/${repo.fullName}/raw/${ref}/${encodePath(path)}`,
    _links: { self, git: `${api}/git/blobs/${sha}`, html },
  };
}

/** An entry of a directory listing (`content-directory` schema). */
export function contentEntryJson(
  state: StandinState,
  repo: RepoState,
  entry: { path: string; type: 'file' | 'dir'; sha: string; size: number },
  ref: string,
): Json {
  const api = repoApi(state, repo);
  const self = `${api}/contents/${encodePath(entry.path)}?ref=${encodeURIComponent(ref)}`;
  const html = `${state.web}/${repo.fullName}/${entry.type === 'dir' ? 'tree' : 'blob'}/${ref}/${encodePath(entry.path)}`;
  const git = `${api}/git/${entry.type === 'dir' ? 'trees' : 'blobs'}/${entry.sha}`;
  return {
    type: entry.type,
    size: entry.size,
    name: entry.path.split('/').pop() ?? entry.path,
    path: entry.path,
    sha: entry.sha,
    url: self,
    git_url: git,
    html_url: html,
    download_url:
      entry.type === 'file' ? `${state.web}/${repo.fullName}/raw/${ref}/${encodePath(entry.path)}` : null,
    _links: { self, git, html },
  };
}
