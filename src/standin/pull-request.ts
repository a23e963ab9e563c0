import { type FileChange, ZERO_SHA } from './git.js';
import { installationOf, type PullState, type RepoState, type StandinState } from './state.js';
import { accountJson, example, hostReplacements, nodeId, repositoryJson, rewrite } from './templates.js';

type Json = Record<string, unknown>;

/** The head and base shas of a pull request now, and the changes GitHub would show (merge base → head). */
export function pullChanges(
  state: StandinState,
  repo: RepoState,
  pull: PullState,
): { headSha: string; baseSha: string; commits: number; changes: FileChange[] } {
  const headSha = repo.git.branches.get(pull.head) ?? ZERO_SHA;
  const baseSha = repo.git.branches.get(pull.base) ?? ZERO_SHA;
  if (headSha === ZERO_SHA || baseSha === ZERO_SHA) return { headSha, baseSha, commits: 0, changes: [] };
  const mergeBase = repo.git.mergeBase(baseSha, headSha);
  const before = mergeBase ? repo.git.get(mergeBase).tree : new Map<string, string>();
  const changes = repo.git
    .diffTrees(before, repo.git.get(headSha).tree, state.limits)
    .slice(0, state.limits.pullFiles);
  return { headSha, baseSha, commits: repo.git.between(baseSha, headSha).length, changes };
}

/**
 * A pull request in GitHub's shape (`pull-request` schema, also the `pull_request` of webhook payloads),
 * built from GitHub's example with its identity, branches, shas and counts taken from the stand-in.
 */
export function pullRequestJson(state: StandinState, repo: RepoState, pull: PullState): Json {
  const ownerType = installationOf(state, repo.repo.owner)?.ownerType ?? 'User';
  const template = example('pull_request', (p) => p.action === 'opened' && p.installation !== undefined)
    .pull_request as Json;
  const json = rewrite(template, [['Codertocat/Hello-World', repo.fullName], ...hostReplacements(state)]);
  const { headSha, baseSha, commits, changes } = pullChanges(state, repo, pull);
  const api = `${state.api}/repos/${repo.fullName}`;
  const web = `${state.web}/${repo.fullName}`;
  const n = pull.number;
  const owner = accountJson(state, repo.repo.owner, ownerType);
  const repository = repositoryJson(state, repo, ownerType, 'default');
  let additions = 0;
  let deletions = 0;
  for (const change of changes) {
    additions += change.additions;
    deletions += change.deletions;
  }
  Object.assign(json, {
    url: `${api}/pulls/${n}`,
    id: pull.id,
    node_id: nodeId('PullRequest', pull.id),
    html_url: `${web}/pull/${n}`,
    diff_url: `${web}/pull/${n}.diff`,
    patch_url: `${web}/pull/${n}.patch`,
    issue_url: `${api}/issues/${n}`,
    number: n,
    state: 'open',
    title: pull.title,
    user: accountJson(state, pull.author),
    body: null,
    created_at: pull.createdAt,
    updated_at: pull.createdAt,
    commits_url: `${api}/pulls/${n}/commits`,
    review_comments_url: `${api}/pulls/${n}/comments`,
    review_comment_url: `${api}/pulls/comments{/number}`,
    comments_url: `${api}/issues/${n}/comments`,
    statuses_url: `${api}/statuses/${headSha}`,
    head: {
      label: `${repo.repo.owner}:${pull.head}`,
      ref: pull.head,
      sha: headSha,
      user: owner,
      repo: repository,
    },
    base: {
      label: `${repo.repo.owner}:${pull.base}`,
      ref: pull.base,
      sha: baseSha,
      user: owner,
      repo: repository,
    },
    _links: {
      self: { href: `${api}/pulls/${n}` },
      html: { href: `${web}/pull/${n}` },
      issue: { href: `${api}/issues/${n}` },
      comments: { href: `${api}/issues/${n}/comments` },
      review_comments: { href: `${api}/pulls/${n}/comments` },
      review_comment: { href: `${api}/pulls/comments{/number}` },
      commits: { href: `${api}/pulls/${n}/commits` },
      statuses: { href: `${api}/statuses/${headSha}` },
    },
    author_association: pull.author.toLowerCase() === repo.repo.owner.toLowerCase() ? 'OWNER' : 'CONTRIBUTOR',
    commits,
    additions,
    deletions,
    changed_files: changes.length,
  });
  return json;
}
