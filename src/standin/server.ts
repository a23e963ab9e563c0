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
import {
  type PullRequestAction,
  type PullRequestOptions,
  type PullRequestPayload,
  type PushOptions,
  type PushPayload,
  pullRequestPayload,
  pushPayload,
} from './payloads.js';
import {
  type AccountType,
  findRepo,
  GITHUB_LIMITS,
  type RepoState,
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
