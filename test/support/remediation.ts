import type { GithubMock } from './github.js';
import { openapiExample } from './openapi.js';

/**
 * Mocks of the GitHub requests a remediation issue makes (see `ensureIssue`), in the order it makes
 * them, for tests that drive scans or remediation: each helper adds interceptors to the validated
 * `gh.api` scope. Replies start from GitHub's documented examples.
 */

export interface MockRepo {
  owner: string;
  repo: string;
}

function base(repo: MockRepo): string {
  return `/repos/${repo.owner}/${repo.repo}`;
}

/** An issue as GitHub returns it (the documented example, not a pull request), with `overrides`. */
export function issueReply(number: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const { pull_request: _pullRequest, ...example } = openapiExample<Record<string, unknown>>(
    'POST',
    '/repos/{owner}/{repo}/issues',
    '201',
  );
  return {
    ...example,
    number,
    state: 'open',
    state_reason: null,
    closed_at: null,
    labels: [],
    assignees: [],
    assignee: null,
    ...overrides,
  };
}

/** `GET /repos/{owner}/{repo}`: its default branch and visibility. */
export function mockRepository(
  gh: GithubMock,
  repo: MockRepo,
  options: { defaultBranch?: string; visibility?: 'public' | 'private'; times?: number } = {},
): void {
  const visibility = options.visibility ?? 'private';
  gh.api
    .get(base(repo))
    .times(options.times ?? 1)
    .reply(200, {
      ...openapiExample('GET', '/repos/{owner}/{repo}'),
      name: repo.repo,
      full_name: `${repo.owner}/${repo.repo}`,
      default_branch: options.defaultBranch ?? 'main',
      visibility,
      private: visibility !== 'public',
    });
}

/** No `.github/keywarden.yml` in the repository (at `ref`) nor in the org's `.github` repository. */
export function mockNoRepoConfig(gh: GithubMock, repo: MockRepo, ref: string, times = 1): void {
  gh.api
    .get(`${base(repo)}/contents/.github%2Fkeywarden.yml`)
    .query({ ref })
    .times(times)
    .reply(404, { message: 'Not Found' });
  gh.api
    .get(`/repos/${repo.owner}/.github/contents/.github%2Fkeywarden.yml`)
    .times(times)
    .reply(404, { message: 'Not Found' });
}

/** A `.github/keywarden.yml` (raw YAML) in the repository at `ref`. */
export function mockRepoConfig(gh: GithubMock, repo: MockRepo, ref: string, yaml: string): void {
  gh.api
    .get(`${base(repo)}/contents/.github%2Fkeywarden.yml`)
    .query({ ref })
    .reply(200, yaml, { 'content-type': 'application/vnd.github.raw; charset=utf-8' });
}

/** The marker search: the repository's `keywarden` issues (one page). */
export function mockIssueSearch(gh: GithubMock, repo: MockRepo, issues: object[] = [], times = 1): void {
  gh.api
    .get(`${base(repo)}/issues`)
    .query({ labels: 'keywarden', state: 'all', sort: 'created', direction: 'asc', per_page: 100 })
    .times(times)
    .reply(200, issues);
}

/**
 * CODEOWNERS at `sha`: `.github/CODEOWNERS` holds `text`; without `text` none of the three places has one.
 */
export function mockCodeowners(gh: GithubMock, repo: MockRepo, sha: string, text?: string): void {
  const raw = { 'content-type': 'application/vnd.github.raw; charset=utf-8' };
  if (text !== undefined) {
    gh.api
      .get(`${base(repo)}/contents/.github%2FCODEOWNERS`)
      .query({ ref: sha })
      .reply(200, text, raw);
    return;
  }
  for (const path of ['.github%2FCODEOWNERS', 'CODEOWNERS', 'docs%2FCODEOWNERS']) {
    gh.api
      .get(`${base(repo)}/contents/${path}`)
      .query({ ref: sha })
      .reply(404, { message: 'Not Found' });
  }
}

/** `GET /repos/{owner}/{repo}/assignees/{login}`: 204 for each of `logins`. */
export function mockAssignable(gh: GithubMock, repo: MockRepo, logins: readonly string[]): void {
  for (const login of logins) gh.api.get(`${base(repo)}/assignees/${login}`).reply(204);
}

/** The repository's admins (the fallback when no code owner can be assigned). */
export function mockAdmins(gh: GithubMock, repo: MockRepo, logins: readonly string[], times = 1): void {
  const user = openapiExample<Array<Record<string, unknown>>>(
    'GET',
    '/repos/{owner}/{repo}/collaborators',
  )[0];
  gh.api
    .get(`${base(repo)}/collaborators`)
    .query({ permission: 'admin', per_page: 100 })
    .times(times)
    .reply(
      200,
      logins.map((login) => ({ ...user, login, type: 'User' })),
    );
}

/** What a mocked write received. */
export interface Captured {
  bodies: Array<Record<string, unknown>>;
}

/** `POST /repos/{owner}/{repo}/issues` answering issue `number`; the request bodies land in `captured`. */
export function mockCreateIssue(gh: GithubMock, repo: MockRepo, number: number, captured: Captured): void {
  gh.api
    .post(`${base(repo)}/issues`, (body) => {
      captured.bodies.push(body);
      return true;
    })
    .reply(201, (_uri, body) => issueReply(number, { body: (body as { body?: string }).body ?? null }));
}

/** `GET` of an existing issue. */
export function mockGetIssue(
  gh: GithubMock,
  repo: MockRepo,
  issue: Record<string, unknown>,
  times = 1,
): void {
  gh.api
    .get(`${base(repo)}/issues/${issue['number']}`)
    .times(times)
    .reply(200, issue);
}

/** `PATCH` of an issue; the request bodies land in `captured`. */
export function mockUpdateIssue(gh: GithubMock, repo: MockRepo, number: number, captured: Captured): void {
  gh.api
    .patch(`${base(repo)}/issues/${number}`, (body) => {
      captured.bodies.push(body);
      return true;
    })
    .reply(200, (_uri, body) => {
      const change = body as { body?: string; state?: string };
      return issueReply(number, { body: change.body ?? null, state: change.state ?? 'open' });
    });
}

/** `POST` of a comment; the request bodies land in `captured`. */
export function mockComment(gh: GithubMock, repo: MockRepo, number: number, captured: Captured): void {
  gh.api
    .post(`${base(repo)}/issues/${number}/comments`, (body) => {
      captured.bodies.push(body);
      return true;
    })
    .reply(201, openapiExample('POST', '/repos/{owner}/{repo}/issues/{issue_number}/comments', '201'));
}

/**
 * Everything the remediation jobs of a scan cost when each of `count` new credentials found at `sha`
 * gets a new issue: repository, config (none), marker search (none), CODEOWNERS (none, read once and
 * cached), the repository admins as assignees, and the issue (numbered from `firstNumber`). For tests
 * of scans that are not about remediation; the created issues land in the returned `bodies`.
 *
 * @example
 * const issues = mockIssueOpenings(gh, { owner, repo: name }, { defaultBranch: 'master', sha: payload.after });
 */
export function mockIssueOpenings(
  gh: GithubMock,
  repo: MockRepo,
  options: { defaultBranch: string; sha: string; count?: number; firstNumber?: number; admins?: string[] },
): Captured {
  const count = options.count ?? 1;
  const captured: Captured = { bodies: [] };
  mockRepository(gh, repo, { defaultBranch: options.defaultBranch, times: count });
  mockNoRepoConfig(gh, repo, options.defaultBranch, count);
  mockIssueSearch(gh, repo, [], count);
  for (const path of ['.github%2FCODEOWNERS', 'CODEOWNERS', 'docs%2FCODEOWNERS']) {
    // Concurrent jobs may each read CODEOWNERS before the first one caches it.
    gh.api
      .get(`${base(repo)}/contents/${path}`)
      .query({ ref: options.sha })
      .times(count)
      .optionally()
      .reply(404, { message: 'Not Found' });
  }
  mockAdmins(gh, repo, options.admins ?? [], count);
  let next = options.firstNumber ?? 1;
  gh.api
    .post(`${base(repo)}/issues`, (body) => {
      captured.bodies.push(body);
      return true;
    })
    .times(count)
    .reply(201, (_uri, body) => issueReply(next++, { body: (body as { body?: string }).body ?? null }));
  return captured;
}
