import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type GithubMock, githubMock, installationOctokit } from '../../test/support/github.js';
import { openapiExample } from '../../test/support/openapi.js';
import type { Codeowners } from '../github/owners.js';
import type { Octokit } from '../github/types.js';
import { type AuthorizeRequest, authorize, describeWho } from './authorize.js';

const SHA1 = 'a'.repeat(40);
const SHA2 = 'b'.repeat(40);
const issueRepo = { owner: 'octo-org', repo: 'app' };

function request(actor: string, overrides: Partial<AuthorizeRequest> = {}): AuthorizeRequest {
  return {
    actor,
    issueRepo,
    exposures: [{ repo: 'octo-org/app', commitSha: SHA1, path: 'services/api/.env' }],
    ...overrides,
  };
}

function mockCodeowners(gh: GithubMock, repo: string, sha: string, text: string): void {
  gh.api.get(`/repos/${repo}/contents/.github%2FCODEOWNERS`).query({ ref: sha }).reply(200, text);
}

function mockMembership(gh: GithubMock, team: string, login: string, member: boolean): void {
  const [org, slug] = team.slice(1).split('/');
  const path = `/orgs/${org}/teams/${slug}/memberships/${login}`;
  if (member)
    gh.api
      .get(path)
      .reply(200, openapiExample('GET', '/orgs/{org}/teams/{team_slug}/memberships/{username}'));
  else gh.api.get(path).reply(404, { message: 'Not Found' });
}

function mockRole(gh: GithubMock, repo: string, login: string, role: string | 404): void {
  const path = `/repos/${repo}/collaborators/${login}/permission`;
  if (role === 404) {
    gh.api.get(path).reply(404, { message: 'Not Found' });
    return;
  }
  const example = openapiExample('GET', '/repos/{owner}/{repo}/collaborators/{username}/permission');
  const permission = role === 'maintain' ? 'write' : role === 'triage' ? 'read' : role;
  gh.api.get(path).reply(200, { ...example, permission, role_name: role });
}

describe('authorize', () => {
  let gh: GithubMock;
  let octokit: Octokit;
  let cache: Map<string, Codeowners>;

  beforeEach(async () => {
    gh = githubMock();
    octokit = await installationOctokit(gh);
    cache = new Map();
  });
  afterEach(() => gh.restore());

  it('allows a user CODEOWNER of an exposed path with no request beyond CODEOWNERS', async () => {
    mockCodeowners(gh, 'octo-org/app', SHA1, '* @someone\n/services/api/ @Alice @octo-org/api\n');

    const decision = await authorize(octokit, request('alice'), { cache });

    expect(decision).toEqual({ allowed: true, because: 'code owner of octo-org/app:services/api/.env' });
    gh.assertDone();
  });

  it('allows a member of a team that owns an exposed path', async () => {
    mockCodeowners(gh, 'octo-org/app', SHA1, '/services/ @octo-org/api\n');
    mockMembership(gh, '@octo-org/api', 'bob', true);

    const decision = await authorize(octokit, request('bob'), { cache });

    expect(decision).toEqual({
      allowed: true,
      because: 'member of @octo-org/api, code owner of octo-org/app:services/api/.env',
    });
    gh.assertDone();
  });

  it('allows a member of the configured security team', async () => {
    mockCodeowners(gh, 'octo-org/app', SHA1, '/services/ @alice\n');
    mockMembership(gh, '@octo-org/security', 'carol', true);

    const decision = await authorize(octokit, request('carol', { securityTeam: '@octo-org/security' }), {
      cache,
    });

    expect(decision).toEqual({ allowed: true, because: 'member of the security team @octo-org/security' });
    gh.assertDone();
  });

  it.each(['admin', 'maintain'])('allows a user with the %s role on the repository', async (role) => {
    gh.api.get('/repos/octo-org/app/contents/.github%2FCODEOWNERS').query({ ref: SHA1 }).reply(404, {});
    gh.api.get('/repos/octo-org/app/contents/CODEOWNERS').query({ ref: SHA1 }).reply(404, {});
    gh.api.get('/repos/octo-org/app/contents/docs%2FCODEOWNERS').query({ ref: SHA1 }).reply(404, {});
    mockRole(gh, 'octo-org/app', 'dave', role);

    const decision = await authorize(octokit, request('dave'), { cache });

    expect(decision).toEqual({ allowed: true, because: `${role} on octo-org/app` });
    gh.assertDone();
  });

  it('refuses anyone else and says who can, checking every way once', async () => {
    mockCodeowners(gh, 'octo-org/app', SHA1, '/services/ @alice @octo-org/api ops@example.com\n');
    mockMembership(gh, '@octo-org/security', 'mallory', false);
    mockMembership(gh, '@octo-org/api', 'mallory', false);
    mockRole(gh, 'octo-org/app', 'mallory', 'write');

    const decision = await authorize(octokit, request('mallory', { securityTeam: '@octo-org/security' }), {
      cache,
    });

    expect(decision).toEqual({
      allowed: false,
      who:
        'the code owners of the exposed paths (`@alice`, `@octo-org/api`), members of the security team ' +
        '`@octo-org/security` or people with the admin or maintain role on octo-org/app',
    });
    gh.assertDone();
  });

  it('reads CODEOWNERS at each exposure commit and asks every repository involved', async () => {
    mockCodeowners(gh, 'octo-org/app', SHA1, '/services/ @alice\n');
    mockCodeowners(gh, 'octo-org/lib', SHA2, '*.py @erin\n');
    mockRole(gh, 'octo-org/app', 'frank', 404);
    mockRole(gh, 'octo-org/lib', 'frank', 'triage');
    const exposures = [
      { repo: 'octo-org/app', commitSha: SHA1, path: 'services/api/.env' },
      { repo: 'octo-org/app', commitSha: SHA1, path: 'services/web/.env' },
      { repo: 'octo-org/lib', commitSha: SHA2, path: 'tools/run.py' },
    ];

    const decision = await authorize(octokit, request('frank', { exposures }), { cache });

    expect(decision).toEqual({
      allowed: false,
      who:
        'the code owners of the exposed paths (`@alice`, `@erin`) or people with the admin or maintain role ' +
        'on octo-org/app, octo-org/lib',
    });
    expect(cache.size).toBe(2);
    gh.assertDone();
  });

  it('lets a CODEOWNER of a later exposure act', async () => {
    mockCodeowners(gh, 'octo-org/app', SHA1, '/services/ @alice\n');
    mockCodeowners(gh, 'octo-org/lib', SHA2, '*.py @Erin\n');
    const exposures = [
      { repo: 'octo-org/app', commitSha: SHA1, path: 'services/api/.env' },
      { repo: 'octo-org/lib', commitSha: SHA2, path: 'tools/run.py' },
    ];

    const decision = await authorize(octokit, request('erin', { exposures }), { cache });

    expect(decision).toEqual({ allowed: true, because: 'code owner of octo-org/lib:tools/run.py' });
    gh.assertDone();
  });
});

describe('describeWho', () => {
  it('names the admins alone when nobody else can act', () => {
    expect(describeWho([], undefined, [issueRepo])).toBe(
      'people with the admin or maintain role on octo-org/app',
    );
  });
});
