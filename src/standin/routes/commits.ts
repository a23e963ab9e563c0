import type { FileChange } from '../git.js';
import {
  errorReply,
  hasPaging,
  notFound,
  paginate,
  type Reply,
  type Route,
  type RouteContext,
  wantsMedia,
} from '../http.js';
import { commitJson, diffText, fileJson } from '../shapes.js';
import type { RepoState } from '../state.js';
import { rawType } from './contents.js';

function diffReply(context: RouteContext, changes: readonly FileChange[]): Reply {
  return { status: 200, text: diffText(changes), contentType: rawType(context, 'diff') };
}

/** Splits `base...head` (or `base..head`); a `owner:` prefix must name this repository's owner. */
function splitBasehead(basehead: string, repo: RepoState): [string, string] | undefined {
  const match = /^(.{1,255}?)\.\.\.?(.{1,255})$/.exec(basehead);
  if (!match) return undefined;
  const strip = (side: string): string | undefined => {
    const colon = side.indexOf(':');
    if (colon === -1) return side;
    return side.slice(0, colon).toLowerCase() === repo.repo.owner.toLowerCase()
      ? side.slice(colon + 1)
      : undefined;
  };
  const base = strip(match[1]!);
  const head = strip(match[2]!);
  return base !== undefined && head !== undefined ? [base, head] : undefined;
}

/**
 * `GET /repos/{owner}/{repo}/compare/{basehead}`: the commits of `head` not in `base`, oldest first, and
 * the files changed from their merge base to `head`. Without paging parameters: the last 250 commits;
 * with them: pages in chronological order, the files on the first page only. At most 300 files.
 */
export const compareCommits: Route = {
  method: 'GET',
  template: '/repos/{owner}/{repo}/compare/{basehead}',
  operation: 'repos/compare-commits-with-basehead',
  access: 'repo',
  handle(context, repo) {
    const state = repo!;
    const sides = splitBasehead(context.params.basehead!, state);
    if (!sides) return notFound();
    const defaultBranch = state.repo.defaultBranch;
    const base = state.git.resolve(sides[0], defaultBranch);
    const head = state.git.resolve(sides[1], defaultBranch);
    if (!base || !head) return notFound();
    const mergeBase = state.git.mergeBase(base, head);
    if (!mergeBase) return errorReply(404, `No common ancestor between ${sides[0]} and ${sides[1]}.`);

    const limits = context.state.limits;
    const changes = state.git.diffTrees(state.git.get(mergeBase).tree, state.git.get(head).tree, limits);
    if (wantsMedia(context, 'diff')) return diffReply(context, changes);

    const ahead = state.git.between(base, head);
    const behindBy = state.git.between(head, base).length;
    const status =
      ahead.length > 0 && behindBy > 0
        ? 'diverged'
        : ahead.length > 0
          ? 'ahead'
          : behindBy > 0
            ? 'behind'
            : 'identical';
    const paging = hasPaging(context);
    const page = paging
      ? paginate(context, ahead)
      : { items: ahead.slice(-limits.compareCommits), headers: {} };
    const firstPage = !paging || Number(context.query.page ?? 1) <= 1;

    const api = `${context.state.api}/repos/${state.fullName}`;
    const web = `${context.state.web}/${state.fullName}`;
    const basehead = context.params.basehead!;
    const body: Record<string, unknown> = {
      url: `${api}/compare/${basehead}`,
      html_url: `${web}/compare/${basehead}`,
      permalink_url: `${web}/compare/${state.repo.owner}:${base.slice(0, 7)}...${state.repo.owner}:${head.slice(0, 7)}`,
      diff_url: `${web}/compare/${basehead}.diff`,
      patch_url: `${web}/compare/${basehead}.patch`,
      base_commit: commitJson(context.state, state, state.git.get(base)),
      merge_base_commit: commitJson(context.state, state, state.git.get(mergeBase)),
      status,
      ahead_by: ahead.length,
      behind_by: behindBy,
      total_commits: ahead.length,
      commits: page.items.map((commit) => commitJson(context.state, state, commit)),
    };
    if (firstPage) {
      body.files = changes
        .slice(0, limits.compareFiles)
        .map((change) => fileJson(context.state, state, change, head));
    }
    return { status: 200, body, headers: page.headers };
  },
};

/**
 * `GET /repos/{owner}/{repo}/commits/{ref}`: one commit with its files against its first parent,
 * 300 files per page (paging parameters select the page), 3000 at most.
 */
export const getCommit: Route = {
  method: 'GET',
  template: '/repos/{owner}/{repo}/commits/{ref}',
  operation: 'repos/get-commit',
  access: 'repo',
  handle(context, repo) {
    const state = repo!;
    const ref = context.params.ref!;
    const sha = state.git.resolve(ref, state.repo.defaultBranch);
    if (!sha) return errorReply(422, `No commit found for SHA: ${ref}`);
    const commit = state.git.get(sha);
    const parentTree = commit.parents[0] ? state.git.get(commit.parents[0]).tree : new Map<string, string>();
    const limits = context.state.limits;
    const changes = state.git
      .diffTrees(parentTree, commit.tree, limits)
      .slice(0, 10 * limits.commitFilesPerPage);
    if (wantsMedia(context, 'diff')) return diffReply(context, changes);

    const perPage = limits.commitFilesPerPage;
    const page = paginate(context, changes, { defaultPerPage: perPage, maxPerPage: perPage });
    let additions = 0;
    let deletions = 0;
    for (const change of changes) {
      additions += change.additions;
      deletions += change.deletions;
    }
    return {
      status: 200,
      body: {
        ...commitJson(context.state, state, commit),
        stats: { additions, deletions, total: additions + deletions },
        files: page.items.map((change) => fileJson(context.state, state, change, sha)),
      },
      headers: page.headers,
    };
  },
};
