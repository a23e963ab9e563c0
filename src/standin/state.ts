import type { GitStore } from './git.js';

/** What the stand-in keeps between requests: plain records, mutated by the server and by routes. */

/** A repository as a test declares it. */
export interface StandinRepo {
  owner: string;
  name: string;
  id: number;
  defaultBranch: string;
  private?: boolean;
}

export type AccountType = 'Organization' | 'User';

export interface InstallationState {
  id: number;
  owner: string;
  ownerType: AccountType;
}

export interface PullState {
  number: number;
  id: number;
  head: string;
  base: string;
  title: string;
  author: string;
  createdAt: string;
  /** The head sha the last `pull_request` payload announced (`before` of the next `synchronize`). */
  announcedHead: string;
}

export interface RepoState {
  repo: StandinRepo;
  fullName: string;
  git: GitStore;
  pulls: Map<number, PullState>;
  /** Branch → the head the last `push` payload announced; absent until a branch is first pushed. */
  pushed: Map<string, string>;
  /** Issues by number (numbers are shared with pull requests, as on GitHub). */
  issues: Map<number, IssueState>;
  /** The repository's labels, by lower-case name. */
  labels: Map<string, LabelState>;
  /** Collaborators by lower-case login. */
  collaborators: Map<string, CollaboratorState>;
  /** Secret scanning alerts by number; created on first use (`routes/secret-scanning.ts`). */
  secretScanningAlerts?: Map<number, SecretScanningAlertState>;
}

/**
 * A secret scanning alert. Its `secret` is test data the stand-in hands to whoever may read the alert,
 * as GitHub does; `locations` are GitHub's location objects (`{ type, details }`).
 */
export interface SecretScanningAlertState {
  number: number;
  secretType: string;
  secret: string;
  state: 'open' | 'resolved';
  resolution: string | null;
  resolutionComment: string | null;
  resolvedBy: string | null;
  resolvedAt: string | null;
  createdAt: string;
  updatedAt: string;
  pushProtectionBypassedBy: string | null;
  publiclyLeaked: boolean;
  validity: 'active' | 'inactive' | 'unknown';
  locations: Array<{ type: string; details: Record<string, unknown> }>;
  /** Delegated alert dismissal: resolving it needs a reviewer, so the App's `PATCH` is refused (403). */
  dismissalNeedsReview: boolean;
}

/** A repository role, as `role_name` shows it. */
export type RepoRole = 'read' | 'triage' | 'write' | 'maintain' | 'admin';

export interface CollaboratorState {
  login: string;
  role: RepoRole;
}

export interface LabelState {
  id: number;
  name: string;
  color: string;
  description: string | null;
}

/** Who wrote an issue or a comment: a person, or an App's bot user (`<slug>[bot]`) through its installation. */
export interface Author {
  login: string;
  /** The App that wrote it through an installation token; `null` for a person. */
  appId: number | null;
}

export interface IssueState {
  number: number;
  id: number;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  stateReason: 'completed' | 'not_planned' | 'duplicate' | 'reopened' | null;
  /** Lower-case label names, in the order they were added (each in `RepoState.labels`). */
  labels: string[];
  /** Logins, in the order they were assigned. */
  assignees: string[];
  author: Author;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  closedBy: string | null;
  /** Comment ids, oldest first. */
  comments: number[];
}

export interface CommentState {
  id: number;
  repo: string;
  issueNumber: number;
  body: string;
  author: Author;
  createdAt: string;
  updatedAt: string;
}

export interface TeamState {
  id: number;
  org: string;
  slug: string;
  /** Lower-case login → the member's login and role in the team. */
  members: Map<string, { login: string; role: 'member' | 'maintainer' }>;
}

export interface Annotation {
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: string;
  message: string;
  [field: string]: unknown;
}

export interface CheckRunState {
  id: number;
  repo: string;
  headSha: string;
  name: string;
  status: 'queued' | 'in_progress' | 'completed';
  conclusion: string | null;
  startedAt: string | null;
  completedAt: string | null;
  detailsUrl: string | null;
  externalId: string | null;
  suiteId: number;
  appId: number | null;
  output: { title: string | null; summary: string | null; text: string | null; annotations: Annotation[] };
}

export interface TokenState {
  installationId: number;
  appId: number | null;
}

/** Everything the server knows. */
export interface StandinState {
  /** `http://127.0.0.1:PORT`: web URLs. */
  web: string;
  /** `http://127.0.0.1:PORT/api/v3`: API URLs. */
  api: string;
  installations: Map<number, InstallationState>;
  /** By `owner/name`, case-insensitively (keys are lower case). */
  repos: Map<string, RepoState>;
  tokens: Map<string, TokenState>;
  checkRuns: Map<number, CheckRunState>;
  /** `repo@sha` → check suite id. */
  suites: Map<string, number>;
  /** Issue comments of every repository, by id (GitHub's comment ids are global). */
  comments: Map<number, CommentState>;
  /** Teams by lower-case `org/slug`. */
  teams: Map<string, TeamState>;
  limits: StandinLimits;
  nextId: () => number;
}

/** GitHub's documented limits, adjustable for tests that want to reach them with small data. */
export interface StandinLimits {
  /** A file's `patch` is omitted past this size (GitHub: 1 MB of raw diff per file). */
  patchBytes: number;
  /** Files listed by a compare (GitHub: 300). */
  compareFiles: number;
  /** Commits of a compare without paging parameters, the most recent ones (GitHub: 250). */
  compareCommits: number;
  /** Files per page of a single commit (GitHub: 300) and in all (GitHub: 3000). */
  commitFilesPerPage: number;
  /** Files of a pull request in all (GitHub: 3000). */
  pullFiles: number;
  /** Annotations per check run request (GitHub: 50). */
  annotationsPerRequest: number;
  /** Contents API: a file larger than this comes back with `encoding: none` and no content (GitHub: 1 MB). */
  contentsBytes: number;
}

export const GITHUB_LIMITS: StandinLimits = {
  patchBytes: 1024 * 1024,
  compareFiles: 300,
  compareCommits: 250,
  commitFilesPerPage: 300,
  pullFiles: 3000,
  annotationsPerRequest: 50,
  contentsBytes: 1024 * 1024,
};

/** The repository `owner/name`, or `undefined`. */
export function findRepo(state: StandinState, owner: string, name: string): RepoState | undefined {
  return state.repos.get(`${owner}/${name}`.toLowerCase());
}

/** A team, or `undefined`. */
export function findTeam(state: StandinState, org: string, slug: string): TeamState | undefined {
  return state.teams.get(`${org}/${slug}`.toLowerCase());
}

/** The installation of an account, or `undefined`. */
export function installationOf(state: StandinState, owner: string): InstallationState | undefined {
  for (const installation of state.installations.values()) {
    if (installation.owner.toLowerCase() === owner.toLowerCase()) return installation;
  }
  return undefined;
}
