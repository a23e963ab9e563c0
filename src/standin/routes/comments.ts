import { notFound, paginate, type Route, type RouteContext } from '../http.js';
import { addComment, commentJson, timestamp } from '../issues.js';
import type { CommentState, RepoState } from '../state.js';
import { findIssue, invalidField, writer } from './issues.js';

type Body = Record<string, unknown>;

/** GitHub's limit on a comment body. */
const BODY_LIMIT = 65_536;

function findComment(context: RouteContext, repo: RepoState): CommentState | undefined {
  const comment = context.state.comments.get(Number(context.params.comment_id));
  return comment && comment.repo === repo.fullName ? comment : undefined;
}

function bodyOf(context: RouteContext): string | undefined {
  const body = ((context.body ?? {}) as Body).body;
  return typeof body === 'string' && body.length > 0 && body.length <= BODY_LIMIT ? body : undefined;
}

/** `POST /repos/{owner}/{repo}/issues/{issue_number}/comments`. */
export const createIssueComment: Route = {
  method: 'POST',
  template: '/repos/{owner}/{repo}/issues/{issue_number}/comments',
  operation: 'issues/create-comment',
  access: 'repo',
  handle(context, repo) {
    const author = writer(context);
    if ('status' in author) return author;
    const issue = findIssue(context, repo!);
    if (!issue) return notFound();
    const body = bodyOf(context);
    if (body === undefined)
      return invalidField('body', (context.body as Body | undefined)?.body ?? null, 'IssueComment');
    const comment = addComment(context.state, repo!, issue, author, body);
    return { status: 201, body: commentJson(context.state, repo!, comment) };
  },
};

/** `GET /repos/{owner}/{repo}/issues/{issue_number}/comments`: oldest first, `since`, 30 per page by default. */
export const listIssueComments: Route = {
  method: 'GET',
  template: '/repos/{owner}/{repo}/issues/{issue_number}/comments',
  operation: 'issues/list-comments',
  access: 'repo',
  handle(context, repo) {
    const issue = findIssue(context, repo!);
    if (!issue) return notFound();
    const since = context.query.since;
    const comments = issue.comments
      .map((id) => context.state.comments.get(id)!)
      .filter((comment) => since === undefined || Date.parse(comment.updatedAt) >= Date.parse(since));
    const page = paginate(context, comments);
    return {
      status: 200,
      body: page.items.map((comment) => commentJson(context.state, repo!, comment)),
      headers: page.headers,
    };
  },
};

/** `GET /repos/{owner}/{repo}/issues/comments/{comment_id}`. */
export const getIssueComment: Route = {
  method: 'GET',
  template: '/repos/{owner}/{repo}/issues/comments/{comment_id}',
  operation: 'issues/get-comment',
  access: 'repo',
  handle(context, repo) {
    const comment = findComment(context, repo!);
    return comment ? { status: 200, body: commentJson(context.state, repo!, comment) } : notFound();
  },
};

/** `PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}`: a new body. */
export const updateIssueComment: Route = {
  method: 'PATCH',
  template: '/repos/{owner}/{repo}/issues/comments/{comment_id}',
  operation: 'issues/update-comment',
  access: 'repo',
  handle(context, repo) {
    const author = writer(context);
    if ('status' in author) return author;
    const comment = findComment(context, repo!);
    if (!comment) return notFound();
    const body = bodyOf(context);
    if (body === undefined)
      return invalidField('body', (context.body as Body | undefined)?.body ?? null, 'IssueComment');
    comment.body = body;
    comment.updatedAt = timestamp();
    return { status: 200, body: commentJson(context.state, repo!, comment) };
  },
};
