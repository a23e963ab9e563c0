import { paginate, type Route, unprocessable } from '../http.js';
import { commitJson } from '../shapes.js';
import { installationOf } from '../state.js';
import { repositoryJson } from '../templates.js';

/** `GET /repos/{owner}/{repo}`: the repository (`full-repository` schema). */
export const getRepo: Route = {
  method: 'GET',
  template: '/repos/{owner}/{repo}',
  operation: 'repos/get',
  access: 'repo',
  handle(context, repo) {
    const ownerType = installationOf(context.state, repo!.repo.owner)?.ownerType ?? 'User';
    const json = repositoryJson(context.state, repo!, ownerType, 'default');
    Object.assign(json, { has_discussions: false, network_count: 0, subscribers_count: 0 });
    return { status: 200, body: json };
  },
};

/**
 * `GET /repos/{owner}/{repo}/commits`: commits reachable from `sha` (default branch by default), newest
 * first, optionally only those touching `path`; 30 per page by default.
 */
export const listCommits: Route = {
  method: 'GET',
  template: '/repos/{owner}/{repo}/commits',
  operation: 'repos/list-commits',
  access: 'repo',
  handle(context, repo) {
    const { git } = repo!;
    const ref = context.query.sha ?? repo!.repo.defaultBranch;
    const head = git.resolve(ref, repo!.repo.defaultBranch);
    if (!head) return unprocessable(`No commit found for SHA: ${ref}`);
    const path = context.query.path;
    const touches = (sha: string): boolean => {
      if (path === undefined) return true;
      const commit = git.get(sha);
      const parent = commit.parents[0] ? git.get(commit.parents[0]).tree.get(path) : undefined;
      return commit.tree.get(path) !== parent;
    };
    const commits = git
      .between(undefined, head)
      .reverse()
      .filter((commit) => touches(commit.sha));
    const page = paginate(context, commits);
    return {
      status: 200,
      body: page.items.map((commit) => commitJson(context.state, repo!, commit)),
      headers: page.headers,
    };
  },
};
