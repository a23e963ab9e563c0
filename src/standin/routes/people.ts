import { notFound, paginate, type Route, type RouteContext } from '../http.js';
import { isAssignable, issueJson, MAX_ASSIGNEES, repoCollaborators, roleOf, timestamp } from '../issues.js';
import { findTeam, type RepoRole, type TeamState } from '../state.js';
import { accountJson } from '../templates.js';
import { findIssue, writer } from './issues.js';

/** Who may be assigned, who may do what on a repository, and who is in a team. */

const ROLE_RANK: Record<RepoRole, number> = { read: 1, triage: 2, write: 3, maintain: 4, admin: 5 };
const PERMISSION_RANK: Record<string, number> = { pull: 1, triage: 2, push: 3, maintain: 4, admin: 5 };

/** The legacy `permission` of a role: `maintain` shows as `write`, `triage` as `read`. */
function legacyPermission(role: RepoRole | undefined): string {
  if (role === undefined) return 'none';
  if (role === 'maintain') return 'write';
  if (role === 'triage') return 'read';
  return role;
}

/** A collaborator (`collaborator` schema): the account, its permissions and its role. */
function collaboratorJson(context: RouteContext, login: string, role: RepoRole): Record<string, unknown> {
  const rank = ROLE_RANK[role];
  return {
    ...accountJson(context.state, login),
    permissions: { pull: true, triage: rank >= 2, push: rank >= 3, maintain: rank >= 4, admin: rank >= 5 },
    role_name: role,
  };
}

/** `GET /repos/{owner}/{repo}/assignees/{assignee}`: 204 when the user can be assigned, else 404. */
export const checkAssignee: Route = {
  method: 'GET',
  template: '/repos/{owner}/{repo}/assignees/{assignee}',
  operation: 'issues/check-user-can-be-assigned',
  access: 'repo',
  handle(context, repo) {
    return isAssignable(context.state, repo!, context.params.assignee!) ? { status: 204 } : notFound();
  },
};

function assigneesBody(context: RouteContext): string[] {
  const value = (context.body as { assignees?: unknown } | undefined)?.assignees;
  return Array.isArray(value) ? value.filter((a): a is string => typeof a === 'string') : [];
}

/** `POST /repos/{owner}/{repo}/issues/{issue_number}/assignees`: adds those who can be assigned (at most 10 in all). */
export const addAssignees: Route = {
  method: 'POST',
  template: '/repos/{owner}/{repo}/issues/{issue_number}/assignees',
  operation: 'issues/add-assignees',
  access: 'repo',
  handle(context, repo) {
    const author = writer(context);
    if ('status' in author) return author;
    const issue = findIssue(context, repo!);
    if (!issue) return notFound();
    for (const login of assigneesBody(context)) {
      const known = issue.assignees.some((a) => a.toLowerCase() === login.toLowerCase());
      if (known || issue.assignees.length >= MAX_ASSIGNEES) continue;
      if (isAssignable(context.state, repo!, login)) issue.assignees.push(login);
    }
    issue.updatedAt = timestamp();
    return { status: 201, body: issueJson(context.state, repo!, issue) };
  },
};

/** `DELETE /repos/{owner}/{repo}/issues/{issue_number}/assignees`. */
export const removeAssignees: Route = {
  method: 'DELETE',
  template: '/repos/{owner}/{repo}/issues/{issue_number}/assignees',
  operation: 'issues/remove-assignees',
  access: 'repo',
  handle(context, repo) {
    const author = writer(context);
    if ('status' in author) return author;
    const issue = findIssue(context, repo!);
    if (!issue) return notFound();
    const gone = new Set(assigneesBody(context).map((login) => login.toLowerCase()));
    issue.assignees = issue.assignees.filter((login) => !gone.has(login.toLowerCase()));
    issue.updatedAt = timestamp();
    return { status: 200, body: issueJson(context.state, repo!, issue) };
  },
};

/**
 * `GET /repos/{owner}/{repo}/collaborators/{username}/permission`: the user's role (`role_name`) and
 * legacy permission; `read` for organization members and on public repositories, `none` otherwise.
 */
export const getCollaboratorPermission: Route = {
  method: 'GET',
  template: '/repos/{owner}/{repo}/collaborators/{username}/permission',
  operation: 'repos/get-collaborator-permission-level',
  access: 'repo',
  handle(context, repo) {
    const login = context.params.username!;
    const role = roleOf(context.state, repo!, login);
    return {
      status: 200,
      body: {
        permission: legacyPermission(role),
        role_name: role ?? 'none',
        user: collaboratorJson(context, login, role ?? 'read'),
      },
    };
  },
};

/** `GET /repos/{owner}/{repo}/collaborators`: `permission` keeps those with at least that role. */
export const listCollaborators: Route = {
  method: 'GET',
  template: '/repos/{owner}/{repo}/collaborators',
  operation: 'repos/list-collaborators',
  access: 'repo',
  handle(context, repo) {
    const least = PERMISSION_RANK[context.query.permission ?? 'pull'] ?? 1;
    const found = repoCollaborators(context.state, repo!).filter((c) => ROLE_RANK[c.role] >= least);
    const page = paginate(context, found);
    return {
      status: 200,
      body: page.items.map((c) => collaboratorJson(context, c.login, c.role)),
      headers: page.headers,
    };
  },
};

/** `GET /repos/{owner}/{repo}/collaborators/{username}`: 204 for a collaborator, else 404. */
export const checkCollaborator: Route = {
  method: 'GET',
  template: '/repos/{owner}/{repo}/collaborators/{username}',
  operation: 'repos/check-collaborator',
  access: 'repo',
  handle(context, repo) {
    const login = context.params.username!.toLowerCase();
    const found = repoCollaborators(context.state, repo!).some((c) => c.login.toLowerCase() === login);
    return found ? { status: 204 } : notFound();
  },
};

function team(context: RouteContext): TeamState | undefined {
  return findTeam(context.state, context.params.org!, context.params.team_slug!);
}

/** `GET /orgs/{org}/teams/{team_slug}/members`: `role` (`all`, `member`, `maintainer`), 30 per page by default. */
export const listTeamMembers: Route = {
  method: 'GET',
  template: '/orgs/{org}/teams/{team_slug}/members',
  operation: 'teams/list-members-in-org',
  access: 'org',
  handle(context) {
    const found = team(context);
    if (!found) return notFound();
    const role = context.query.role ?? 'all';
    const members = [...found.members.values()].filter((m) => role === 'all' || m.role === role);
    const page = paginate(context, members);
    return {
      status: 200,
      body: page.items.map((member) => accountJson(context.state, member.login)),
      headers: page.headers,
    };
  },
};

/** `GET /orgs/{org}/teams/{team_slug}/memberships/{username}`: role and state, or 404 for a non-member. */
export const getTeamMembership: Route = {
  method: 'GET',
  template: '/orgs/{org}/teams/{team_slug}/memberships/{username}',
  operation: 'teams/get-membership-for-user-in-org',
  access: 'org',
  handle(context) {
    const found = team(context);
    const login = context.params.username!;
    const member = found?.members.get(login.toLowerCase());
    if (!found || !member) return notFound();
    return {
      status: 200,
      body: {
        url: `${context.state.api}/teams/${found.id}/memberships/${member.login}`,
        role: member.role,
        state: 'active',
      },
    };
  },
};
