import { APP_SLUG, appJson } from './shapes.js';
import {
  type Author,
  type CollaboratorState,
  type CommentState,
  findRepo,
  type IssueState,
  installationOf,
  type LabelState,
  type RepoRole,
  type RepoState,
  type StandinState,
} from './state.js';
import { accountJson, example, hostReplacements, nodeId, rewrite } from './templates.js';

/**
 * Issues, comments, labels and people of the stand-in: the state changes the routes and the test
 * helpers share, and the JSON GitHub sends for them (REST answers and webhook payloads alike).
 */

type Json = Record<string, unknown>;

/** GitHub's colour for a label it creates on first use. */
export const DEFAULT_LABEL_COLOR = 'ededed';

/** GitHub caps the assignees of an issue at 10. */
export const MAX_ASSIGNEES = 10;

/** ISO 8601 without milliseconds, as GitHub writes times. */
export function timestamp(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The login of the App's bot user, the author of what it writes through an installation. */
export function botLogin(): string {
  return `${APP_SLUG}[bot]`;
}

/** The repository's label named `name` (any case), created with GitHub's default colour if missing. */
export function ensureLabel(state: StandinState, repo: RepoState, name: string): LabelState {
  const key = name.toLowerCase();
  let label = repo.labels.get(key);
  if (!label) {
    label = { id: state.nextId(), name, color: DEFAULT_LABEL_COLOR, description: null };
    repo.labels.set(key, label);
  }
  return label;
}

/** Label names from a request body: strings or `{ name }` objects (anything else is skipped). */
export function labelNames(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  const names: string[] = [];
  for (const item of value) {
    const name = typeof item === 'string' ? item : (item as { name?: unknown } | null)?.name;
    if (typeof name === 'string' && name.trim() !== '') names.push(name.trim());
  }
  return names;
}

/** Adds labels to an issue (creating missing ones), keeping the order and skipping those it has. */
export function addLabels(state: StandinState, repo: RepoState, issue: IssueState, names: string[]): void {
  for (const name of names) {
    const key = ensureLabel(state, repo, name).name.toLowerCase();
    if (!issue.labels.includes(key)) issue.labels.push(key);
  }
}

/** Whether `login` belongs to a team of the organization `org`. */
export function isOrgMember(state: StandinState, org: string, login: string): boolean {
  for (const team of state.teams.values()) {
    if (team.org.toLowerCase() === org.toLowerCase() && team.members.has(login.toLowerCase())) return true;
  }
  return false;
}

/** The repository's collaborators with their roles; the owner of a personal repository is an admin. */
export function repoCollaborators(state: StandinState, repo: RepoState): CollaboratorState[] {
  const list = [...repo.collaborators.values()];
  const personal = installationOf(state, repo.repo.owner)?.ownerType === 'User';
  if (personal && !repo.collaborators.has(repo.repo.owner.toLowerCase()))
    list.unshift({ login: repo.repo.owner, role: 'admin' });
  return list;
}

function collaborator(state: StandinState, repo: RepoState, login: string): CollaboratorState | undefined {
  const key = login.toLowerCase();
  return repoCollaborators(state, repo).find((c) => c.login.toLowerCase() === key);
}

/**
 * The role `login` has on a repository: its collaborator role; else `read` for a member of the owning
 * organization (the base permission) or anyone on a public repository; else `undefined`.
 */
export function roleOf(state: StandinState, repo: RepoState, login: string): RepoRole | undefined {
  const found = collaborator(state, repo, login);
  if (found) return found.role;
  if (isOrgMember(state, repo.repo.owner, login)) return 'read';
  return repo.repo.private ? undefined : 'read';
}

/**
 * Whether `login` can be assigned issues of the repository: a collaborator or a member of the owning
 * organization (GitHub: people with write access, and organization members who can read the repository).
 */
export function isAssignable(state: StandinState, repo: RepoState, login: string): boolean {
  return collaborator(state, repo, login) !== undefined || isOrgMember(state, repo.repo.owner, login);
}

/** The next issue number: issues and pull requests share one sequence. */
export function nextIssueNumber(repo: RepoState): number {
  let max = 0;
  for (const number of repo.issues.keys()) max = Math.max(max, number);
  for (const number of repo.pulls.keys()) max = Math.max(max, number);
  return max + 1;
}

/** `author_association` of `login` on a repository. */
function association(state: StandinState, repo: RepoState, author: Author): string {
  if (author.appId !== null) return 'NONE';
  const login = author.login.toLowerCase();
  if (login === repo.repo.owner.toLowerCase()) return 'OWNER';
  if (isOrgMember(state, repo.repo.owner, login)) return 'MEMBER';
  if (collaborator(state, repo, login)) return 'COLLABORATOR';
  return 'NONE';
}

function authorJson(state: StandinState, author: Author): Json {
  return accountJson(state, author.login, author.appId === null ? 'User' : 'Bot');
}

function viaApp(state: StandinState, repo: RepoState, author: Author): Json | null {
  return author.appId === null ? null : appJson(state, author.appId, repo.repo.owner);
}

function reactions(url: string): Json {
  return {
    url: `${url}/reactions`,
    total_count: 0,
    '+1': 0,
    '-1': 0,
    laugh: 0,
    hooray: 0,
    confused: 0,
    heart: 0,
    rocket: 0,
    eyes: 0,
  };
}

/** A label (`label` schema). */
export function labelJson(state: StandinState, repo: RepoState, label: LabelState): Json {
  return {
    id: label.id,
    node_id: nodeId('Label', label.id),
    url: `${state.api}/repos/${repo.fullName}/labels/${encodeURIComponent(label.name)}`,
    name: label.name,
    description: label.description,
    color: label.color,
    default: false,
  };
}

/**
 * An issue (`issue` schema; also the `issue` of webhook payloads), built from GitHub's own example with
 * everything that names stand-in data replaced.
 */
export function issueJson(state: StandinState, repo: RepoState, issue: IssueState): Json {
  const template = example('issue_comment', (p) => p.action === 'created' && p.installation !== undefined)
    .issue as Json;
  const json = rewrite(template, [['Codertocat/Hello-World', repo.fullName], ...hostReplacements(state)]);
  const api = `${state.api}/repos/${repo.fullName}/issues/${issue.number}`;
  const assignees = issue.assignees.map((login) => accountJson(state, login));
  Object.assign(json, {
    url: api,
    repository_url: `${state.api}/repos/${repo.fullName}`,
    labels_url: `${api}/labels{/name}`,
    comments_url: `${api}/comments`,
    events_url: `${api}/events`,
    timeline_url: `${api}/timeline`,
    html_url: `${state.web}/${repo.fullName}/issues/${issue.number}`,
    id: issue.id,
    node_id: nodeId('Issue', issue.id),
    number: issue.number,
    title: issue.title,
    user: authorJson(state, issue.author),
    labels: issue.labels.map((key) => labelJson(state, repo, repo.labels.get(key)!)),
    state: issue.state,
    state_reason: issue.stateReason,
    locked: false,
    active_lock_reason: null,
    assignee: assignees[0] ?? null,
    assignees,
    milestone: null,
    comments: issue.comments.length,
    created_at: issue.createdAt,
    updated_at: issue.updatedAt,
    closed_at: issue.closedAt,
    closed_by: issue.closedBy === null ? null : accountJson(state, issue.closedBy),
    author_association: association(state, repo, issue.author),
    body: issue.body,
    reactions: reactions(api),
    performed_via_github_app: viaApp(state, repo, issue.author),
    draft: false,
  });
  return json;
}

/** An issue comment (`issue-comment` schema; also the `comment` of `issue_comment` payloads). */
export function commentJson(state: StandinState, repo: RepoState, comment: CommentState): Json {
  const url = `${state.api}/repos/${repo.fullName}/issues/comments/${comment.id}`;
  return {
    url,
    html_url: `${state.web}/${repo.fullName}/issues/${comment.issueNumber}#issuecomment-${comment.id}`,
    issue_url: `${state.api}/repos/${repo.fullName}/issues/${comment.issueNumber}`,
    id: comment.id,
    node_id: nodeId('IssueComment', comment.id),
    user: authorJson(state, comment.author),
    created_at: comment.createdAt,
    updated_at: comment.updatedAt,
    author_association: association(state, repo, comment.author),
    body: comment.body,
    reactions: reactions(url),
    performed_via_github_app: viaApp(state, repo, comment.author),
  };
}

/** Adds a comment to an issue; returns it. */
export function addComment(
  state: StandinState,
  repo: RepoState,
  issue: IssueState,
  author: Author,
  body: string,
): CommentState {
  const at = timestamp();
  const comment: CommentState = {
    id: state.nextId(),
    repo: repo.fullName,
    issueNumber: issue.number,
    body,
    author,
    createdAt: at,
    updatedAt: at,
  };
  state.comments.set(comment.id, comment);
  issue.comments.push(comment.id);
  issue.updatedAt = at;
  return comment;
}

/** Closes or reopens an issue as `actor`, as GitHub records it (`closed_at`, `closed_by`, `state_reason`). */
export function setIssueState(
  issue: IssueState,
  to: 'open' | 'closed',
  actor: string,
  reason?: IssueState['stateReason'],
): void {
  if (issue.state === to) {
    if (to === 'closed' && reason) issue.stateReason = reason;
    return;
  }
  const at = timestamp();
  issue.state = to;
  issue.updatedAt = at;
  if (to === 'closed') {
    issue.closedAt = at;
    issue.closedBy = actor;
    issue.stateReason = reason ?? 'completed';
  } else {
    issue.closedAt = null;
    issue.stateReason = 'reopened';
  }
}

/** The repository `owner/name` and its issue `number`, or a readable error. */
export function issueAt(
  state: StandinState,
  fullName: string,
  number: number,
): { repo: RepoState; issue: IssueState } {
  const [owner, name] = fullName.split('/');
  const repo = owner && name ? findRepo(state, owner, name) : undefined;
  if (!repo) throw new Error(`no repository ${fullName}: call addRepo first`);
  const issue = repo.issues.get(number);
  if (!issue) throw new Error(`no issue #${number} in ${fullName}`);
  return { repo, issue };
}
