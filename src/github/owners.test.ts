import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type GithubMock, githubMock, installationOctokit, useGithub } from '../../test/support/github.js';
import { openapiExample } from '../../test/support/openapi.js';
import { ownersFor } from './codeowners.js';
import {
  CODEOWNERS_CACHE_LIMIT,
  type Codeowners,
  isTeamMember,
  readCodeowners,
  resolveAssignees,
} from './owners.js';
import type { Octokit } from './types.js';

const repo = { owner: 'octo', repo: 'hello' };
const SHA = '6113728f27ae82c7b1a177c8d03f9e96e0adf246';
const NOT_FOUND = { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' };

function contents(gh: GithubMock, path: string) {
  return gh.api.get(`/repos/octo/hello/contents/${encodeURIComponent(path)}`).query({ ref: SHA });
}

function raw(text: string) {
  return [200, text, { 'content-type': 'text/plain; charset=utf-8' }] as const;
}

function user(login: string, type = 'User') {
  return {
    ...openapiExample<Array<Record<string, unknown>>>('GET', '/orgs/{org}/teams/{team_slug}/members')[0],
    login,
    type,
  };
}

function members(gh: GithubMock, team: string, logins: string[], status = 200) {
  const scope = gh.api.get(`/orgs/octo/teams/${team}/members`).query({ per_page: '100' });
  if (status !== 200) return scope.reply(status, NOT_FOUND);
  return scope.reply(
    200,
    logins.map((login) => user(login, login.endsWith('[bot]') ? 'Bot' : 'User')),
  );
}

function assignable(gh: GithubMock, login: string, yes: boolean) {
  const scope = gh.api.get(`/repos/octo/hello/assignees/${encodeURIComponent(login)}`);
  return yes ? scope.reply(204) : scope.reply(404, NOT_FOUND);
}

describe('readCodeowners', () => {
  let gh: GithubMock;
  let octokit: Octokit;
  let cache: Map<string, Codeowners>;

  beforeEach(async () => {
    gh = githubMock();
    octokit = await installationOctokit(gh);
    cache = new Map();
  });

  afterEach(() => {
    gh.assertDone();
    gh.restore();
  });

  it('reads .github/CODEOWNERS first', async () => {
    contents(gh, '.github/CODEOWNERS').reply(...raw('*.js @js-owner\n'));

    const owners = await readCodeowners(octokit, repo, SHA, { cache });

    expect(owners).toEqual({
      file: '.github/CODEOWNERS',
      rules: [{ pattern: '*.js', owners: ['@js-owner'], line: 1 }],
      errors: [],
    });
  });

  it('moves on to the root and then docs/ on 404, and reports the lines GitHub skips', async () => {
    contents(gh, '.github/CODEOWNERS').reply(404, NOT_FOUND);
    contents(gh, 'CODEOWNERS').reply(404, NOT_FOUND);
    contents(gh, 'docs/CODEOWNERS').reply(...raw('/docs/ @doctocat\n!secret @x\n'));

    const owners = await readCodeowners(octokit, repo, SHA, { cache });

    expect(owners.file).toBe('docs/CODEOWNERS');
    expect(ownersFor(owners.rules, 'docs/index.md')).toEqual(['@doctocat']);
    expect(owners.errors).toEqual([
      { line: 2, message: 'negation (!) is not supported in CODEOWNERS: !secret' },
    ]);
  });

  it('gives no rules when the commit has no CODEOWNERS, and caches that too', async () => {
    for (const path of ['.github/CODEOWNERS', 'CODEOWNERS', 'docs/CODEOWNERS'])
      contents(gh, path).reply(404, NOT_FOUND);

    const first = await readCodeowners(octokit, repo, SHA, { cache });
    const again = await readCodeowners(octokit, { owner: 'Octo', repo: 'Hello' }, SHA, { cache });

    expect(first).toEqual({ rules: [], errors: [] });
    expect(again).toBe(first);
    expect(gh.recordedRequests().filter((r) => r.path.includes('/contents/'))).toHaveLength(3);
  });

  it('reads the JSON form (base64) when the server ignores the raw media type', async () => {
    contents(gh, '.github/CODEOWNERS').reply(200, {
      ...openapiExample<Record<string, unknown>>('GET', '/repos/{owner}/{repo}/contents/{path}'),
      type: 'file',
      encoding: 'base64',
      content: Buffer.from('* @octocat\n').toString('base64'),
    });

    const owners = await readCodeowners(octokit, repo, SHA, { cache });

    expect(owners.rules).toEqual([{ pattern: '*', owners: ['@octocat'], line: 1 }]);
  });

  it('does not load a file of 3 MB or more, as GitHub does not', async () => {
    contents(gh, '.github/CODEOWNERS').reply(...raw(`* @octocat\n${'#'.repeat(3 * 1024 * 1024)}\n`));

    const owners = await readCodeowners(octokit, repo, SHA, { cache });

    expect(owners).toEqual({
      file: '.github/CODEOWNERS',
      rules: [],
      errors: [{ line: 0, message: 'CODEOWNERS is 3 MB or more: GitHub does not load it' }],
    });
  });

  it('throws what is not a 404, and caches nothing then', async () => {
    contents(gh, '.github/CODEOWNERS').reply(502, { message: 'Bad Gateway' });

    const error = await readCodeowners(octokit, repo, SHA, { cache }).catch((e: unknown) => e);

    expect((error as { status?: number }).status).toBe(502);
    expect(cache.size).toBe(0);
  });

  it('keeps the cache bounded, dropping the least recently used entry', async () => {
    for (let i = 0; i < CODEOWNERS_CACHE_LIMIT; i++) cache.set(`octo/other@${i}`, { rules: [], errors: [] });
    await readCodeowners(octokit, { owner: 'octo', repo: 'other' }, '0', { cache });
    contents(gh, '.github/CODEOWNERS').reply(...raw('* @octocat\n'));

    await readCodeowners(octokit, repo, SHA, { cache });

    expect(cache.size).toBe(CODEOWNERS_CACHE_LIMIT);
    expect(cache.has('octo/other@0')).toBe(true);
    expect(cache.has('octo/other@1')).toBe(false);
    expect(cache.has(`octo/hello@${SHA}`)).toBe(true);
  });
});

describe('resolveAssignees', () => {
  let gh: GithubMock;
  let octokit: Octokit;

  useGithub((mock, kit) => {
    gh = mock;
    octokit = kit;
  });

  it('assigns users and team members who can be assigned, mentions the team, notes the rest', async () => {
    members(gh, 'web', ['carol', 'Alice', 'deploy[bot]']);
    assignable(gh, 'alice', true);
    assignable(gh, 'carol', true);
    assignable(gh, 'bob', false);

    const result = await resolveAssignees(
      octokit,
      repo,
      ['@alice', '@octo/web', 'docs@example.com', '@bob'],
      {
        securityTeam: '@octo/security',
      },
    );

    expect(result).toEqual({
      assignees: ['alice', 'carol'],
      teams: ['@octo/web'],
      notes: [
        'docs@example.com is an email owner: a GitHub App cannot look up a user by email, so it is not assigned.',
        '@bob cannot be assigned in octo/hello (no access to it).',
      ],
    });
  });

  it('caps the assignees at 10, as GitHub does', async () => {
    const logins = Array.from({ length: 12 }, (_, i) => `dev${i}`);
    members(gh, 'big', logins);
    for (const login of logins.slice(0, 10)) assignable(gh, login, true);

    const result = await resolveAssignees(octokit, repo, ['@octo/big'], {});

    expect(result.assignees).toEqual(logins.slice(0, 10));
    expect(result.notes).toEqual(['2 more owners are not assigned: GitHub allows 10 assignees.']);
  });

  it('follows every page of a team', async () => {
    gh.api
      .get('/orgs/octo/teams/web/members')
      .query({ per_page: '100' })
      .reply(200, [user('ann')], {
        link: '<https://api.github.com/orgs/octo/teams/web/members?per_page=100&page=2>; rel="next"',
      });
    gh.api
      .get('/orgs/octo/teams/web/members')
      .query({ per_page: '100', page: '2' })
      .reply(200, [user('ben')]);
    assignable(gh, 'ann', false);
    assignable(gh, 'ben', true);

    const result = await resolveAssignees(octokit, repo, ['@octo/Web'], {});

    expect(result.assignees).toEqual(['ben']);
    expect(result.teams).toEqual(['@octo/Web']);
  });

  it('falls back to the security team when no code owner can be assigned', async () => {
    assignable(gh, 'ghost', false);
    members(gh, 'gone', [], 404);
    members(gh, 'security', ['sam', 'sue']);
    assignable(gh, 'sam', true);
    assignable(gh, 'sue', true);

    const result = await resolveAssignees(octokit, repo, ['@ghost', '@octo/gone'], {
      securityTeam: '@octo/security',
    });

    expect(result).toEqual({
      assignees: ['sam', 'sue'],
      teams: ['@octo/security'],
      fallback: 'security-team',
      notes: [
        '@octo/gone was not found, or keywarden cannot see it (it needs the members: read permission), so it is not assigned.',
        '@ghost cannot be assigned in octo/hello (no access to it).',
        'No code owner can be assigned, so the security team @octo/security is.',
      ],
    });
  });

  it('falls back to the repository admins when there is no one else', async () => {
    gh.api
      .get('/repos/octo/hello/collaborators')
      .query({ permission: 'admin', per_page: '100' })
      .reply(200, [user('root'), user('ci[bot]', 'Bot')]);

    const result = await resolveAssignees(octokit, repo, [], {});

    expect(result).toEqual({
      assignees: ['root'],
      teams: [],
      fallback: 'admins',
      notes: ['No code owner or security team member can be assigned, so the repository admins are.'],
    });
  });

  it('says so when nobody at all can be assigned', async () => {
    members(gh, 'security', []);
    gh.api
      .get('/repos/octo/hello/collaborators')
      .query({ permission: 'admin', per_page: '100' })
      .reply(200, []);

    const result = await resolveAssignees(octokit, repo, ['a@example.com'], {
      securityTeam: '@octo/security',
    });

    expect(result.assignees).toEqual([]);
    expect(result.fallback).toBeUndefined();
    expect(result.teams).toEqual(['@octo/security']);
    expect(result.notes.at(-1)).toBe('Nobody could be assigned.');
  });

  it('throws a failure that is not about access', async () => {
    gh.api.get('/repos/octo/hello/assignees/alice').reply(503, { message: 'Service Unavailable' });

    const error = await resolveAssignees(octokit, repo, ['@alice'], {}).catch((e: unknown) => e);

    expect((error as { status?: number }).status).toBe(503);
  });
});

describe('isTeamMember', () => {
  let gh: GithubMock;
  let octokit: Octokit;

  useGithub((mock, kit) => {
    gh = mock;
    octokit = kit;
  });

  function membership(login: string) {
    return gh.api.get(`/orgs/octo/teams/security/memberships/${login}`);
  }

  it('is true for an active membership only', async () => {
    const example = openapiExample<Record<string, unknown>>(
      'GET',
      '/orgs/{org}/teams/{team_slug}/memberships/{username}',
    );
    membership('sam').reply(200, { ...example, state: 'active' });
    membership('pat').reply(200, { ...example, state: 'pending' });
    membership('eve').reply(404, NOT_FOUND);

    expect(await isTeamMember(octokit, '@octo/Security', 'sam')).toBe(true);
    expect(await isTeamMember(octokit, '@octo/security', 'pat')).toBe(false);
    expect(await isTeamMember(octokit, '@octo/security', 'eve')).toBe(false);
  });

  it('throws other failures, and refuses a malformed team', async () => {
    membership('sam').reply(500, { message: 'Server Error' });

    const error = await isTeamMember(octokit, '@octo/security', 'sam').catch((e: unknown) => e);

    expect((error as { status?: number }).status).toBe(500);
    await expect(isTeamMember(octokit, 'security', 'sam')).rejects.toThrow(TypeError);
  });
});
