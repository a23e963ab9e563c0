import { errorReply, notFound, paginate, type Reply, type Route, type RouteContext } from '../http.js';
import { addLabels, ensureLabel, labelJson, labelNames, timestamp } from '../issues.js';
import type { IssueState, LabelState, RepoState } from '../state.js';
import { findIssue, invalidField, writer } from './issues.js';

type Body = Record<string, unknown>;

const COLOR = /^[0-9a-fA-F]{6}$/;

/** Label names of an add/set body: `{ labels: [...] }`, or the array itself (names or `{ name }`). */
function requestedLabels(body: unknown): string[] {
  if (Array.isArray(body)) return labelNames(body);
  return labelNames((body as Body | undefined)?.labels);
}

function issueLabels(context: RouteContext, repo: RepoState, issue: IssueState): Reply {
  const labels = issue.labels.map((key) => labelJson(context.state, repo, repo.labels.get(key)!));
  return { status: 200, body: labels };
}

/** The issue of a labels route, written by an installation. */
function writableIssue(context: RouteContext, repo: RepoState): IssueState | Reply {
  const author = writer(context);
  if ('status' in author) return author;
  const issue = findIssue(context, repo);
  return issue ?? notFound();
}

/** `POST /repos/{owner}/{repo}/issues/{issue_number}/labels`: adds labels, creating missing ones. */
export const addIssueLabels: Route = {
  method: 'POST',
  template: '/repos/{owner}/{repo}/issues/{issue_number}/labels',
  operation: 'issues/add-labels',
  access: 'repo',
  handle(context, repo) {
    const issue = writableIssue(context, repo!);
    if ('status' in issue) return issue;
    addLabels(context.state, repo!, issue, requestedLabels(context.body));
    issue.updatedAt = timestamp();
    return issueLabels(context, repo!, issue);
  },
};

/** `PUT /repos/{owner}/{repo}/issues/{issue_number}/labels`: replaces the issue's labels. */
export const setIssueLabels: Route = {
  method: 'PUT',
  template: '/repos/{owner}/{repo}/issues/{issue_number}/labels',
  operation: 'issues/set-labels',
  access: 'repo',
  handle(context, repo) {
    const issue = writableIssue(context, repo!);
    if ('status' in issue) return issue;
    issue.labels = [];
    addLabels(context.state, repo!, issue, requestedLabels(context.body));
    issue.updatedAt = timestamp();
    return issueLabels(context, repo!, issue);
  },
};

/** `DELETE /repos/{owner}/{repo}/issues/{issue_number}/labels/{name}`: 404 when the issue lacks it. */
export const removeIssueLabel: Route = {
  method: 'DELETE',
  template: '/repos/{owner}/{repo}/issues/{issue_number}/labels/{name}',
  operation: 'issues/remove-label',
  access: 'repo',
  handle(context, repo) {
    const issue = writableIssue(context, repo!);
    if ('status' in issue) return issue;
    const key = context.params.name!.toLowerCase();
    if (!issue.labels.includes(key)) return errorReply(404, 'Label does not exist');
    issue.labels = issue.labels.filter((name) => name !== key);
    issue.updatedAt = timestamp();
    return issueLabels(context, repo!, issue);
  },
};

/** `DELETE /repos/{owner}/{repo}/issues/{issue_number}/labels`: 204. */
export const removeAllIssueLabels: Route = {
  method: 'DELETE',
  template: '/repos/{owner}/{repo}/issues/{issue_number}/labels',
  operation: 'issues/remove-all-labels',
  access: 'repo',
  handle(context, repo) {
    const issue = writableIssue(context, repo!);
    if ('status' in issue) return issue;
    issue.labels = [];
    issue.updatedAt = timestamp();
    return { status: 204 };
  },
};

/** `GET /repos/{owner}/{repo}/issues/{issue_number}/labels`. */
export const listIssueLabels: Route = {
  method: 'GET',
  template: '/repos/{owner}/{repo}/issues/{issue_number}/labels',
  operation: 'issues/list-labels-on-issue',
  access: 'repo',
  handle(context, repo) {
    const issue = findIssue(context, repo!);
    return issue ? issueLabels(context, repo!, issue) : notFound();
  },
};

function findLabel(context: RouteContext, repo: RepoState): LabelState | undefined {
  return repo.labels.get(context.params.name!.toLowerCase());
}

function applyLabelFields(label: LabelState, body: Body): Reply | undefined {
  if (body.color !== undefined) {
    const color = String(body.color).replace(/^#/, '');
    if (!COLOR.test(color)) return invalidField('color', body.color, 'Label');
    label.color = color.toLowerCase();
  }
  if (typeof body.description === 'string' || body.description === null) label.description = body.description;
  return undefined;
}

/** `POST /repos/{owner}/{repo}/labels`: 422 `already_exists` for a name taken (any case). */
export const createLabel: Route = {
  method: 'POST',
  template: '/repos/{owner}/{repo}/labels',
  operation: 'issues/create-label',
  access: 'repo',
  handle(context, repo) {
    const author = writer(context);
    if ('status' in author) return author;
    const body = (context.body ?? {}) as Body;
    const name = typeof body.name === 'string' ? body.name.trim() : '';
    if (name === '') return invalidField('name', body.name ?? null, 'Label');
    if (repo!.labels.has(name.toLowerCase())) {
      return errorReply(422, 'Validation Failed', {
        errors: [{ resource: 'Label', code: 'already_exists', field: 'name' }],
      });
    }
    const label = ensureLabel(context.state, repo!, name);
    const problem = applyLabelFields(label, body);
    if (problem) {
      repo!.labels.delete(name.toLowerCase());
      return problem;
    }
    return { status: 201, body: labelJson(context.state, repo!, label) };
  },
};

/** `GET /repos/{owner}/{repo}/labels/{name}` (any case). */
export const getLabel: Route = {
  method: 'GET',
  template: '/repos/{owner}/{repo}/labels/{name}',
  operation: 'issues/get-label',
  access: 'repo',
  handle(context, repo) {
    const label = findLabel(context, repo!);
    return label ? { status: 200, body: labelJson(context.state, repo!, label) } : notFound();
  },
};

/** `PATCH /repos/{owner}/{repo}/labels/{name}`: `new_name` (issues keep the label), colour, description. */
export const updateLabel: Route = {
  method: 'PATCH',
  template: '/repos/{owner}/{repo}/labels/{name}',
  operation: 'issues/update-label',
  access: 'repo',
  handle(context, repo) {
    const author = writer(context);
    if ('status' in author) return author;
    const label = findLabel(context, repo!);
    if (!label) return notFound();
    const body = (context.body ?? {}) as Body;
    const problem = applyLabelFields(label, body);
    if (problem) return problem;
    const newName = typeof body.new_name === 'string' ? body.new_name.trim() : '';
    if (newName !== '' && newName !== label.name) {
      const from = label.name.toLowerCase();
      const to = newName.toLowerCase();
      if (to !== from && repo!.labels.has(to)) {
        return errorReply(422, 'Validation Failed', {
          errors: [{ resource: 'Label', code: 'already_exists', field: 'name' }],
        });
      }
      repo!.labels.delete(from);
      label.name = newName;
      repo!.labels.set(to, label);
      for (const issue of repo!.issues.values())
        issue.labels = issue.labels.map((key) => (key === from ? to : key));
    }
    return { status: 200, body: labelJson(context.state, repo!, label) };
  },
};

/** `GET /repos/{owner}/{repo}/labels`: in order of creation, 30 per page by default. */
export const listLabels: Route = {
  method: 'GET',
  template: '/repos/{owner}/{repo}/labels',
  operation: 'issues/list-labels-for-repo',
  access: 'repo',
  handle(context, repo) {
    const page = paginate(context, [...repo!.labels.values()]);
    return {
      status: 200,
      body: page.items.map((label) => labelJson(context.state, repo!, label)),
      headers: page.headers,
    };
  },
};
