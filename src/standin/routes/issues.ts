import { errorReply, notFound, paginate, type Reply, type Route, type RouteContext } from '../http.js';
import {
  addLabels,
  botLogin,
  isAssignable,
  issueJson,
  labelNames,
  MAX_ASSIGNEES,
  nextIssueNumber,
  setIssueState,
  timestamp,
} from '../issues.js';
import type { Author, IssueState, RepoState } from '../state.js';

type Body = Record<string, unknown>;

const STATE_REASONS = ['completed', 'not_planned', 'duplicate', 'reopened'];

/** The author of a write: the App's bot user for an installation token; anonymous writes are refused. */
export function writer(context: RouteContext): Author | Reply {
  const { caller } = context;
  if (caller.kind !== 'installation') return errorReply(401, 'Requires authentication');
  return { login: botLogin(), appId: caller.appId };
}

/** The issue of `{issue_number}`, or `undefined`. */
export function findIssue(context: RouteContext, repo: RepoState): IssueState | undefined {
  return repo.issues.get(Number(context.params.issue_number));
}

/** GitHub's 422 for a field it refuses. */
export function invalidField(field: string, value: unknown, resource = 'Issue'): Reply {
  return errorReply(422, 'Validation Failed', { errors: [{ value, resource, field, code: 'invalid' }] });
}

/** Assignees from `assignees` (or the older `assignee`), checked as GitHub checks them. */
function assigneesOf(
  context: RouteContext,
  repo: RepoState,
  body: Body,
): { logins: string[] | undefined } | Reply {
  let logins: string[] | undefined;
  if (Array.isArray(body.assignees))
    logins = body.assignees.filter((a): a is string => typeof a === 'string');
  else if (typeof body.assignee === 'string') logins = [body.assignee];
  else if (body.assignee === null) logins = [];
  if (logins === undefined) return { logins };
  const unique = [...new Map(logins.map((login) => [login.toLowerCase(), login])).values()];
  if (unique.length > MAX_ASSIGNEES) return invalidField('assignees', unique);
  for (const login of unique) {
    if (!isAssignable(context.state, repo, login)) return invalidField('assignees', login);
  }
  return { logins: unique };
}

/** `POST /repos/{owner}/{repo}/issues`: title, body, labels (created on first use), assignees. */
export const createIssue: Route = {
  method: 'POST',
  template: '/repos/{owner}/{repo}/issues',
  operation: 'issues/create',
  access: 'repo',
  handle(context, repo) {
    const author = writer(context);
    if ('status' in author) return author;
    const body = (context.body ?? {}) as Body;
    const title = typeof body.title === 'number' ? String(body.title) : body.title;
    if (typeof title !== 'string' || title.trim() === '') return invalidField('title', title ?? null);
    const assignees = assigneesOf(context, repo!, body);
    if ('status' in assignees) return assignees;
    const at = timestamp();
    const issue: IssueState = {
      number: nextIssueNumber(repo!),
      id: context.state.nextId(),
      title,
      body: typeof body.body === 'string' ? body.body : null,
      state: 'open',
      stateReason: null,
      labels: [],
      assignees: assignees.logins ?? [],
      author,
      createdAt: at,
      updatedAt: at,
      closedAt: null,
      closedBy: null,
      comments: [],
    };
    addLabels(context.state, repo!, issue, labelNames(body.labels));
    repo!.issues.set(issue.number, issue);
    return { status: 201, body: issueJson(context.state, repo!, issue) };
  },
};

/** `GET /repos/{owner}/{repo}/issues/{issue_number}`. */
export const getIssue: Route = {
  method: 'GET',
  template: '/repos/{owner}/{repo}/issues/{issue_number}',
  operation: 'issues/get',
  access: 'repo',
  handle(context, repo) {
    const issue = findIssue(context, repo!);
    return issue ? { status: 200, body: issueJson(context.state, repo!, issue) } : notFound();
  },
};

/**
 * `PATCH /repos/{owner}/{repo}/issues/{issue_number}`: title, body, state and state_reason, labels and
 * assignees (both replace the current sets).
 */
export const updateIssue: Route = {
  method: 'PATCH',
  template: '/repos/{owner}/{repo}/issues/{issue_number}',
  operation: 'issues/update',
  access: 'repo',
  handle(context, repo) {
    const author = writer(context);
    if ('status' in author) return author;
    const issue = findIssue(context, repo!);
    if (!issue) return notFound();
    const body = (context.body ?? {}) as Body;
    if (body.state !== undefined && body.state !== 'open' && body.state !== 'closed')
      return invalidField('state', body.state);
    if (body.state_reason != null && !STATE_REASONS.includes(String(body.state_reason)))
      return invalidField('state_reason', body.state_reason);
    const assignees = assigneesOf(context, repo!, body);
    if ('status' in assignees) return assignees;

    if (typeof body.title === 'string' && body.title.trim() !== '') issue.title = body.title;
    if (typeof body.body === 'string' || body.body === null) issue.body = body.body;
    if (assignees.logins !== undefined) issue.assignees = assignees.logins;
    if (Array.isArray(body.labels)) {
      issue.labels = [];
      addLabels(context.state, repo!, issue, labelNames(body.labels));
    }
    if (body.state === 'open' || body.state === 'closed') {
      const reason = (body.state_reason ?? undefined) as IssueState['stateReason'] | undefined;
      setIssueState(issue, body.state, author.login, reason);
    }
    issue.updatedAt = timestamp();
    return { status: 200, body: issueJson(context.state, repo!, issue) };
  },
};

function compareIssues(sort: string, direction: string): (a: IssueState, b: IssueState) => number {
  const key = (issue: IssueState): string | number =>
    sort === 'updated' ? issue.updatedAt : sort === 'comments' ? issue.comments.length : issue.createdAt;
  const sign = direction === 'asc' ? 1 : -1;
  return (a, b) => {
    const ka = key(a);
    const kb = key(b);
    if (ka !== kb) return (ka < kb ? -1 : 1) * sign;
    return (a.number - b.number) * sign;
  };
}

/**
 * `GET /repos/{owner}/{repo}/issues`: open issues by default; `state`, `labels` (every one must be on the
 * issue, any case), `assignee` (`none`, `*` or a login), `creator`, `since`, `sort`, `direction`; 30 per
 * page by default.
 */
export const listIssues: Route = {
  method: 'GET',
  template: '/repos/{owner}/{repo}/issues',
  operation: 'issues/list-for-repo',
  access: 'repo',
  handle(context, repo) {
    const { state = 'open', labels, assignee, creator, since } = context.query;
    const wanted = (labels ?? '')
      .split(',')
      .map((name) => name.trim().toLowerCase())
      .filter((name) => name !== '');
    const issues = [...repo!.issues.values()]
      .filter((issue) => state === 'all' || issue.state === state)
      .filter((issue) => wanted.every((name) => issue.labels.includes(name)))
      .filter((issue) => {
        if (assignee === undefined) return true;
        if (assignee === 'none') return issue.assignees.length === 0;
        if (assignee === '*') return issue.assignees.length > 0;
        return issue.assignees.some((login) => login.toLowerCase() === assignee.toLowerCase());
      })
      .filter((issue) => creator === undefined || issue.author.login.toLowerCase() === creator.toLowerCase())
      .filter((issue) => since === undefined || Date.parse(issue.updatedAt) >= Date.parse(since))
      .sort(compareIssues(context.query.sort ?? 'created', context.query.direction ?? 'desc'));
    const page = paginate(context, issues);
    return {
      status: 200,
      body: page.items.map((issue) => issueJson(context.state, repo!, issue)),
      headers: page.headers,
    };
  },
};
