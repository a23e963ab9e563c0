import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  API_PREFIX,
  type Dispatcher,
  dispatch,
  type Injection,
  type RequestValidator,
  type StandinRequest,
} from './dispatch.js';
import { type GitIdentity, GitStore } from './git.js';
import { JSON_TYPE } from './http.js';
import { addComment, addLabels, issueAt, nextIssueNumber, setIssueState, timestamp } from './issues.js';
import {
  type IssueCommentPayload,
  type IssuesAction,
  type IssuesPayload,
  issueCommentPayload,
  issuesPayload,
  type PullRequestAction,
  type PullRequestOptions,
  type PullRequestPayload,
  type PushOptions,
  type PushPayload,
  pullRequestPayload,
  pushPayload,
} from './payloads.js';
import {
  addSecretScanningAlert,
  type NewSecretScanningAlert,
  type SecretScanningAction,
  secretScanningAlertPayload,
} from './routes/secret-scanning.js';
import {
  type AccountType,
  findRepo,
  GITHUB_LIMITS,
  type IssueState,
  type RepoRole,
  type RepoState,
  type SecretScanningAlertState,
  type StandinLimits,
  type StandinRepo,
  type StandinState,
} from './state.js';

export interface StandinOptions {
  /** Default: a free port. The server listens on 127.0.0.1 only. */
  port?: number;
  /** GitHub's limits, smaller for tests that want to reach them cheaply. */
  limits?: Partial<StandinLimits>;
  /** Checks each request (path with query, without `/api/v3`; raw body) before it is routed. */
  validateRequest?: RequestValidator;
}

/** A check run as the stand-in holds it, annotations included. */
export interface StandinCheckRun {
  id: number;
  head_sha: string;
  name: string;
  status: string;
  conclusion: string | null;
  output: { title: string | null; summary: string | null; text: string | null; annotations: unknown[] };
}

/** An issue as the stand-in holds it. */
export interface StandinIssue {
  number: number;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  stateReason: string | null;
  /** Label names, in the order they were added. */
  labels: string[];
  assignees: string[];
  /** The author's login (`keywarden[bot]` for what the App wrote). */
  author: string;
  comments: number;
}

/** An issue comment as the stand-in holds it. */
export interface StandinComment {
  id: number;
  /** The author's login (`keywarden[bot]` for what the App wrote). */
  author: string;
  /** Whether an App wrote it through an installation. */
  byApp: boolean;
  body: string;
}

const DEFAULT_AUTHOR: GitIdentity = {
  name: 'Codertocat',
  email: '21031067+Codertocat@users.noreply.github.com',
  login: 'Codertocat',
};

/**
 * A local stand-in for the GitHub REST API, for running keywarden end to end without GitHub:
 * `GHE_HOST=<standin.host> GHE_PROTOCOL=http` makes Probot use `<standin.url>/api/v3`. It keeps real
 * git-like history (blobs, commits, branches), computes diffs and patches, stores check runs, records
 * every request, and injects failures on demand.
 *
 * @example
 * ```ts
 * const github = await GitHubStandin.start();
 * github.addInstallation(1, 'acme');
 * github.addRepo({ owner: 'acme', name: 'app', id: 42, defaultBranch: 'main' });
 * github.commit('acme/app', 'main', { 'README.md': '# app\n' });
 * github.commit('acme/app', 'main', { '.env': 'KEY=...\n' });
 * const payload = github.payloads.push('acme/app', 'main');
 * // … deliver it to keywarden, then:
 * github.checkRuns('acme/app'); github.requests;
 * await github.stop();
 * ```
 */
export class GitHubStandin {
  readonly url: string;
  readonly host: string;
  readonly #server: Server;
  readonly #state: StandinState;
  readonly #requests: StandinRequest[] = [];
  readonly #injections: Injection[] = [];
  readonly #dispatcher: Dispatcher;

  /** Webhook payloads built from GitHub's examples and the stand-in's state. */
  readonly payloads: {
    push(repo: string, branch: string, options?: PushOptions): PushPayload;
    pullRequest(
      repo: string,
      number: number,
      action: PullRequestAction,
      options?: PullRequestOptions,
    ): PullRequestPayload;
    /** Adds a comment by `login` to an issue (as a person on GitHub would) and returns its `issue_comment.created` payload. */
    issueComment(
      repo: string,
      issueNumber: number,
      comment: { login: string; body: string },
    ): IssueCommentPayload;
    /** Closes or reopens an issue as `login` and returns the `issues` payload GitHub would send. */
    issues(
      repo: string,
      issueNumber: number,
      action: IssuesAction,
      options: { login: string; stateReason?: 'completed' | 'not_planned' },
    ): IssuesPayload;
    /** The `secret_scanning_alert` payload of `action` for an alert (never its secret), sent by `sender`. */
    secretScanningAlert(
      repo: string,
      alertNumber: number,
      action: SecretScanningAction,
      options?: { sender?: string },
    ): Record<string, unknown>;
  };

  private constructor(server: Server, port: number, options: StandinOptions) {
    this.#server = server;
    this.host = `127.0.0.1:${port}`;
    this.url = `http://${this.host}`;
    let id = 1000;
    this.#state = {
      web: this.url,
      api: `${this.url}${API_PREFIX}`,
      installations: new Map(),
      repos: new Map(),
      tokens: new Map(),
      checkRuns: new Map(),
      suites: new Map(),
      comments: new Map(),
      teams: new Map(),
      limits: { ...GITHUB_LIMITS, ...options.limits },
      nextId: () => ++id,
    };
    this.#dispatcher = {
      state: this.#state,
      requests: this.#requests,
      injections: this.#injections,
      validate: options.validateRequest,
    };
    this.payloads = {
      push: (repo, branch, opts) => pushPayload(this.#state, this.#repo(repo), branch, opts),
      pullRequest: (repo, number, action, opts) =>
        pullRequestPayload(this.#state, this.#repo(repo), number, action, opts),
      issueComment: (repo, issueNumber, { login, body }) => {
        const { repo: state, issue } = issueAt(this.#state, repo, issueNumber);
        const comment = addComment(this.#state, state, issue, { login, appId: null }, body);
        return issueCommentPayload(this.#state, state, issue, comment);
      },
      issues: (repo, issueNumber, action, { login, stateReason }) => {
        const { repo: state, issue } = issueAt(this.#state, repo, issueNumber);
        setIssueState(issue, action === 'closed' ? 'closed' : 'open', login, stateReason);
        return issuesPayload(this.#state, state, issue, action, login);
      },
      secretScanningAlert: (repo, alertNumber, action, options = {}) =>
        secretScanningAlertPayload(
          this.#state,
          this.#repo(repo),
          alertNumber,
          action,
          options.sender ?? 'Codertocat',
        ),
    };
  }

  /** Starts a stand-in on 127.0.0.1 (a free port unless `port` is given). */
  static async start(options: StandinOptions = {}): Promise<GitHubStandin> {
    let standin: GitHubStandin | undefined;
    const server = createServer((req, res) => {
      if (!standin) {
        res.writeHead(503, { 'content-type': JSON_TYPE }).end('{"message":"starting"}');
        return;
      }
      dispatch(standin.#dispatcher, req, res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': JSON_TYPE });
        res.end(JSON.stringify({ message: `stand-in error: ${(error as Error).message}` }));
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
    });
    standin = new GitHubStandin(server, (server.address() as AddressInfo).port, options);
    return standin;
  }

  /** Every request received, in order of arrival. */
  get requests(): ReadonlyArray<StandinRequest> {
    return this.#requests;
  }

  /** Forgets the requests received so far (e.g. between the phases of a benchmark). */
  clearRequests(): void {
    this.#requests.length = 0;
  }

  /** Installs the App on an account (an organization unless `type` says otherwise). */
  addInstallation(id: number, owner: string, options: { type?: AccountType } = {}): void {
    this.#state.installations.set(id, { id, owner, ownerType: options.type ?? 'Organization' });
  }

  /** Adds an empty repository. Its first `commit` creates the default branch. */
  addRepo(repo: StandinRepo): void {
    const fullName = `${repo.owner}/${repo.name}`;
    this.#state.repos.set(fullName.toLowerCase(), {
      repo: { ...repo },
      fullName,
      git: new GitStore(),
      pulls: new Map(),
      pushed: new Map(),
      issues: new Map(),
      labels: new Map(),
      collaborators: new Map(),
    });
  }

  /**
   * Gives `login` a role on a repository: they can then be assigned its issues, and the collaborator
   * APIs report the role (`role_name`; `permission` maps `maintain` to `write` and `triage` to `read`).
   */
  addCollaborator(repo: string, login: string, role: RepoRole): void {
    this.#repo(repo).collaborators.set(login.toLowerCase(), { login, role });
  }

  /**
   * Creates the team `@org/slug` (or replaces its members). Members are organization members: they can
   * be assigned the organization's issues and read its repositories.
   */
  addTeam(
    org: string,
    slug: string,
    members: ReadonlyArray<string | { login: string; role: 'member' | 'maintainer' }>,
  ): void {
    const key = `${org}/${slug}`.toLowerCase();
    const id = this.#state.teams.get(key)?.id ?? this.#state.nextId();
    const byLogin = new Map<string, { login: string; role: 'member' | 'maintainer' }>();
    for (const member of members) {
      const entry = typeof member === 'string' ? { login: member, role: 'member' as const } : { ...member };
      byLogin.set(entry.login.toLowerCase(), entry);
    }
    this.#state.teams.set(key, { id, org, slug, members: byLogin });
  }

  /** Opens an issue as a person (`author`); returns its number. Labels are created on first use. */
  openIssue(
    repo: string,
    issue: { title: string; body?: string; author: string; labels?: string[] },
  ): number {
    const state = this.#repo(repo);
    const at = timestamp();
    const created: IssueState = {
      number: nextIssueNumber(state),
      id: this.#state.nextId(),
      title: issue.title,
      body: issue.body ?? null,
      state: 'open',
      stateReason: null,
      labels: [],
      assignees: [],
      author: { login: issue.author, appId: null },
      createdAt: at,
      updatedAt: at,
      closedAt: null,
      closedBy: null,
      comments: [],
    };
    addLabels(this.#state, state, created, issue.labels ?? []);
    state.issues.set(created.number, created);
    return created.number;
  }

  /** The issues of a repository, by number. */
  issues(repo: string): StandinIssue[] {
    const state = this.#repo(repo);
    return [...state.issues.values()]
      .sort((a, b) => a.number - b.number)
      .map((issue) => ({
        number: issue.number,
        title: issue.title,
        body: issue.body,
        state: issue.state,
        stateReason: issue.stateReason,
        labels: issue.labels.map((key) => state.labels.get(key)?.name ?? key),
        assignees: [...issue.assignees],
        author: issue.author.login,
        comments: issue.comments.length,
      }));
  }

  /** The comments of an issue, oldest first. */
  comments(repo: string, issueNumber: number): StandinComment[] {
    const { issue } = issueAt(this.#state, repo, issueNumber);
    return issue.comments.map((id) => {
      const comment = this.#state.comments.get(id)!;
      return { id, author: comment.author.login, byApp: comment.author.appId !== null, body: comment.body };
    });
  }

  /**
   * Commits file changes (`null` deletes) on `branch`; returns the new sha. A new branch starts from the
   * default branch's head (or from nothing in an empty repository); `parents` overrides that (a merge,
   * or history rewritten for a forced push).
   */
  commit(
    repo: string,
    branch: string,
    files: Record<string, string | null>,
    message = 'Update files',
    options: { author?: GitIdentity; parents?: string[] } = {},
  ): string {
    const state = this.#repo(repo);
    const head = state.git.branches.get(branch) ?? state.git.branches.get(state.repo.defaultBranch);
    const parents = options.parents ?? (head ? [head] : []);
    for (const parent of parents) state.git.get(parent);
    const commit = state.git.commit(parents, files, message, options.author ?? DEFAULT_AUTHOR);
    state.git.branches.set(branch, commit.sha);
    return commit.sha;
  }

  /** Commits one file on the default branch (or `branch`); returns the new sha. */
  setFile(repo: string, path: string, content: string | null, options: { branch?: string } = {}): string {
    const branch = options.branch ?? this.#repo(repo).repo.defaultBranch;
    return this.commit(repo, branch, { [path]: content }, `Update ${path}`);
  }

  /** Moves a branch to any commit (a reset before a forced push), or deletes it with `null`. */
  setBranch(repo: string, branch: string, sha: string | null): void {
    const state = this.#repo(repo);
    if (sha === null) {
      state.git.branches.delete(branch);
      return;
    }
    state.git.get(sha);
    state.git.branches.set(branch, sha);
  }

  /** The head of a branch, or `undefined`. */
  branchHead(repo: string, branch: string): string | undefined {
    return this.#repo(repo).git.branches.get(branch);
  }

  /** Opens a pull request from `head` into `base`; its head follows the branch as commits land. */
  openPullRequest(
    repo: string,
    pull: { number: number; head: string; base: string; title?: string; author?: string },
  ): { number: number; headSha: string } {
    const state = this.#repo(repo);
    const headSha = state.git.branches.get(pull.head);
    if (!headSha) throw new Error(`no branch ${pull.head} in ${repo}`);
    if (!state.git.branches.has(pull.base)) throw new Error(`no branch ${pull.base} in ${repo}`);
    state.pulls.set(pull.number, {
      number: pull.number,
      id: this.#state.nextId(),
      head: pull.head,
      base: pull.base,
      title: pull.title ?? `Update ${pull.head}`,
      author: pull.author ?? DEFAULT_AUTHOR.login!,
      createdAt: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      announcedHead: headSha,
    });
    return { number: pull.number, headSha };
  }

  /** Adds an open secret scanning alert (its secret, its locations) to a repository; returns its number. */
  addSecretScanningAlert(repo: string, alert: NewSecretScanningAlert): number {
    return addSecretScanningAlert(this.#repo(repo), alert);
  }

  /** The secret scanning alerts of a repository as they are now (copies), by number. */
  secretScanningAlerts(repo: string): SecretScanningAlertState[] {
    return [...(this.#repo(repo).secretScanningAlerts?.values() ?? [])]
      .sort((a, b) => a.number - b.number)
      .map((alert) => structuredClone(alert));
  }

  /** The check runs of a repository, oldest first, with every annotation they accumulated. */
  checkRuns(repo: string): StandinCheckRun[] {
    const state = this.#repo(repo);
    return [...this.#state.checkRuns.values()]
      .filter((run) => run.repo === state.fullName)
      .map((run) => ({
        id: run.id,
        head_sha: run.headSha,
        name: run.name,
        status: run.status,
        conclusion: run.conclusion,
        output: { ...run.output, annotations: [...run.output.annotations] },
      }));
  }

  /**
   * Makes the next `times` requests matching `matcher` (method, and a pattern tested on the recorded,
   * decoded path without `/api/v3`) fail with `status` (GitHub's message for it, and
   * `headers`, e.g. `{ 'retry-after': '1' }` for a secondary rate limit).
   */
  failNext(
    matcher: { method?: string; path: RegExp },
    status: number,
    times = 1,
    headers: Record<string, string> = {},
  ): void {
    this.#injections.push({
      ...matcher,
      method: matcher.method?.toUpperCase(),
      status,
      remaining: times,
      headers,
    });
  }

  /** Closes the server and every open connection. */
  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.#server.close(() => resolve());
      this.#server.closeAllConnections();
    });
  }

  #repo(fullName: string): RepoState {
    const [owner, name] = fullName.split('/');
    const state = owner && name ? findRepo(this.#state, owner, name) : undefined;
    if (!state) throw new Error(`no repository ${fullName}: call addRepo first`);
    return state;
  }
}
