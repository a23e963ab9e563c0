import { generateKeyPairSync } from 'node:crypto';
import { pino } from 'pino';
import { Probot, ProbotOctokit } from 'probot';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { validateRequest, validateResponse } from '../../test/support/openapi.js';
import { GitHubStandin } from './index.js';

/** The stand-in's issues, comments, labels, collaborators and teams, through Probot's Octokit. */

const TestOctokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
  ...options,
  retry: { enabled: false },
  throttle: { enabled: false },
}));
type Octokit = InstanceType<typeof ProbotOctokit>;

const repo = { owner: 'acme', repo: 'app' };

let privateKey: string;
beforeAll(() => {
  privateKey = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  }).privateKey;
});

function expectDocumented(method: string, path: string, status: number, data: unknown): void {
  expect(validateResponse(method, path, status, data), `${method} ${path} ${status}`).toEqual([]);
}

let github: GitHubStandin;
let octokit: Octokit;

beforeEach(async () => {
  github = await GitHubStandin.start({ validateRequest });
  github.addInstallation(7, 'acme');
  github.addRepo({ owner: 'acme', name: 'app', id: 4242, defaultBranch: 'main' });
  github.commit('acme/app', 'main', { 'README.md': '# app\n' }, 'Initial commit');
  github.addCollaborator('acme/app', 'alice', 'write');
  github.addCollaborator('acme/app', 'root', 'admin');
  github.addCollaborator('acme/app', 'mia', 'maintain');
  github.addTeam('acme', 'platform', ['bob', { login: 'carol', role: 'maintainer' }]);
  const probot = new Probot({
    appId: 12,
    privateKey,
    baseUrl: `${github.url}/api/v3`,
    Octokit: TestOctokit,
    log: pino({ level: 'silent' }),
  });
  octokit = await probot.auth(7);
});

afterEach(async () => {
  await github.stop();
});

describe('issues', () => {
  it('opens an issue as the App bot, with labels created on first use and assignees', async () => {
    const { data, status } = await octokit.rest.issues.create({
      ...repo,
      title: 'Leaked OpenAI key',
      body: 'details\n<!-- marker -->',
      labels: ['keywarden', 'severity: critical'],
      assignees: ['alice', 'bob'],
    });

    expect(status).toBe(201);
    expect(data).toMatchObject({
      number: 1,
      title: 'Leaked OpenAI key',
      body: 'details\n<!-- marker -->',
      state: 'open',
      user: { login: 'keywarden[bot]', type: 'Bot' },
      performed_via_github_app: { slug: 'keywarden', id: 12 },
      html_url: `${github.url}/acme/app/issues/1`,
    });
    expect(data.labels.map((l) => (typeof l === 'string' ? l : [l.name, l.color]))).toEqual([
      ['keywarden', 'ededed'],
      ['severity: critical', 'ededed'],
    ]);
    expect(data.assignees?.map((a) => a.login)).toEqual(['alice', 'bob']);
    expect(data.assignee?.login).toBe('alice');
    expectDocumented('POST', '/repos/acme/app/issues', 201, data);
    expect(github.issues('acme/app')).toEqual([
      {
        number: 1,
        title: 'Leaked OpenAI key',
        body: 'details\n<!-- marker -->',
        state: 'open',
        stateReason: null,
        labels: ['keywarden', 'severity: critical'],
        assignees: ['alice', 'bob'],
        author: 'keywarden[bot]',
        comments: 0,
      },
    ]);
  });

  it('refuses assignees who cannot be assigned, and more than ten, as GitHub does (422)', async () => {
    const stranger = await octokit.rest.issues
      .create({ ...repo, title: 't', assignees: ['alice', 'mallory'] })
      .catch((e) => e);
    const many = await octokit.rest.issues
      .create({ ...repo, title: 't', assignees: Array.from({ length: 11 }, (_, i) => `u${i}`) })
      .catch((e) => e);

    expect(stranger.status).toBe(422);
    expect(stranger.response.data).toMatchObject({
      message: 'Validation Failed',
      errors: [{ resource: 'Issue', field: 'assignees', code: 'invalid', value: 'mallory' }],
    });
    expect(many.status).toBe(422);
    expect(github.issues('acme/app')).toEqual([]);
  });

  it('numbers issues after pull requests, and 404s an unknown issue', async () => {
    github.commit('acme/app', 'feature', { 'a.txt': 'a\n' });
    github.openPullRequest('acme/app', { number: 4, head: 'feature', base: 'main' });

    const { data } = await octokit.rest.issues.create({ ...repo, title: 'after the pull request' });
    const missing = await octokit.rest.issues.get({ ...repo, issue_number: 99 }).catch((e) => e);

    expect(data.number).toBe(5);
    expect(missing.status).toBe(404);
  });

  it('updates body, labels, assignees and state; closing records who, when and why', async () => {
    const { data: created } = await octokit.rest.issues.create({ ...repo, title: 't', labels: ['a', 'b'] });

    const { data: closed } = await octokit.rest.issues.update({
      ...repo,
      issue_number: created.number,
      body: 'new body',
      labels: ['b', 'state: revoked'],
      assignees: ['root'],
      state: 'closed',
      state_reason: 'not_planned',
    });
    const { data: reopened } = await octokit.rest.issues.update({
      ...repo,
      issue_number: created.number,
      state: 'open',
    });

    expect(closed).toMatchObject({
      body: 'new body',
      state: 'closed',
      state_reason: 'not_planned',
      closed_by: { login: 'keywarden[bot]' },
    });
    expect(closed.closed_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(closed.labels.map((l) => (typeof l === 'string' ? l : l.name))).toEqual(['b', 'state: revoked']);
    expect(closed.assignees?.map((a) => a.login)).toEqual(['root']);
    expectDocumented('PATCH', '/repos/acme/app/issues/1', 200, closed);
    expect(reopened).toMatchObject({ state: 'open', state_reason: 'reopened', closed_at: null });
  });

  it('lists issues by state and labels (all of them, any case), newest first, page by page', async () => {
    for (const [title, labels] of [
      ['one', ['keywarden', 'provider: openai']],
      ['two', ['keywarden']],
      ['three', ['other']],
      ['four', ['Keywarden', 'provider: openai']],
    ] as const) {
      await octokit.rest.issues.create({ ...repo, title, labels: [...labels] });
    }
    await octokit.rest.issues.update({ ...repo, issue_number: 1, state: 'closed' });

    const open = await octokit.rest.issues.listForRepo({ ...repo, labels: 'KEYWARDEN,provider: openai' });
    const all = await octokit.rest.issues.listForRepo({
      ...repo,
      labels: 'keywarden',
      state: 'all',
      per_page: 2,
    });
    const paged = await octokit.paginate(octokit.rest.issues.listForRepo, {
      ...repo,
      state: 'all',
      per_page: 1,
    });

    expect(open.data.map((i) => i.title)).toEqual(['four']);
    expect(all.data.map((i) => i.title)).toEqual(['four', 'two']);
    expect(all.headers.link).toContain('rel="next"');
    expect(paged.map((i) => i.number)).toEqual([4, 3, 2, 1]);
    expectDocumented('GET', '/repos/acme/app/issues', 200, all.data);
  });

  it('rejects anonymous writes', async () => {
    const response = await fetch(`${github.url}/api/v3/repos/acme/app/issues`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'anonymous' }),
    });

    expect(response.status).toBe(401);
    expect(github.issues('acme/app')).toEqual([]);
  });
});

describe('comments', () => {
  it('adds comments as the App bot and lists them oldest first, page by page', async () => {
    const { data: issue } = await octokit.rest.issues.create({ ...repo, title: 't' });
    const payload = github.payloads.issueComment('acme/app', issue.number, {
      login: 'alice',
      body: '/keywarden confirm',
    });

    const { data: reply, status } = await octokit.rest.issues.createComment({
      ...repo,
      issue_number: issue.number,
      body: 'Confirmed by @alice.',
    });
    const listed = await octokit.paginate(octokit.rest.issues.listComments, {
      ...repo,
      issue_number: issue.number,
      per_page: 1,
    });
    const { data: again } = await octokit.rest.issues.get({ ...repo, issue_number: issue.number });

    expect(status).toBe(201);
    expect(reply).toMatchObject({
      body: 'Confirmed by @alice.',
      user: { login: 'keywarden[bot]', type: 'Bot' },
      performed_via_github_app: { slug: 'keywarden' },
      issue_url: `${github.url}/api/v3/repos/acme/app/issues/1`,
    });
    expectDocumented('POST', '/repos/acme/app/issues/1/comments', 201, reply);
    expect(listed.map((c) => [c.id, c.user?.login, c.body, c.author_association])).toEqual([
      [payload.comment.id, 'alice', '/keywarden confirm', 'COLLABORATOR'],
      [reply.id, 'keywarden[bot]', 'Confirmed by @alice.', 'NONE'],
    ]);
    expect(again.comments).toBe(2);
    expect(github.comments('acme/app', 1)).toEqual([
      { id: payload.comment.id, author: 'alice', byApp: false, body: '/keywarden confirm' },
      { id: reply.id, author: 'keywarden[bot]', byApp: true, body: 'Confirmed by @alice.' },
    ]);
  });

  it('gets and edits one comment; 404 for a comment of another repository', async () => {
    const { data: issue } = await octokit.rest.issues.create({ ...repo, title: 't' });
    const { data: comment } = await octokit.rest.issues.createComment({
      ...repo,
      issue_number: issue.number,
      body: 'first',
    });

    const { data: edited } = await octokit.rest.issues.updateComment({
      ...repo,
      comment_id: comment.id,
      body: 'second',
    });
    const { data: got } = await octokit.rest.issues.getComment({ ...repo, comment_id: comment.id });
    github.addRepo({ owner: 'acme', name: 'other', id: 4243, defaultBranch: 'main' });
    const elsewhere = await octokit.rest.issues
      .getComment({ owner: 'acme', repo: 'other', comment_id: comment.id })
      .catch((e) => e);

    expect([edited.body, got.body]).toEqual(['second', 'second']);
    expect(elsewhere.status).toBe(404);
  });
});

describe('labels', () => {
  it('adds (creating missing labels), replaces, removes one and removes all', async () => {
    const { data: issue } = await octokit.rest.issues.create({ ...repo, title: 't', labels: ['keep'] });
    const n = { ...repo, issue_number: issue.number };

    const added = await octokit.rest.issues.addLabels({ ...n, labels: ['state: detected', 'keep'] });
    const set = await octokit.rest.issues.setLabels({ ...n, labels: ['keep', 'state: notified'] });
    const removed = await octokit.rest.issues.removeLabel({ ...n, name: 'state: notified' });
    const absent = await octokit.rest.issues.removeLabel({ ...n, name: 'nope' }).catch((e) => e);
    const cleared = await octokit.rest.issues.removeAllLabels(n);
    const listed = await octokit.rest.issues.listLabelsOnIssue(n);

    expect(added.data.map((l) => l.name)).toEqual(['keep', 'state: detected']);
    expectDocumented('POST', '/repos/acme/app/issues/1/labels', 200, added.data);
    expect(set.data.map((l) => l.name)).toEqual(['keep', 'state: notified']);
    expect(removed.data.map((l) => l.name)).toEqual(['keep']);
    expect(absent.status).toBe(404);
    expect(cleared.status).toBe(204);
    expect(listed.data).toEqual([]);
  });

  it('creates, reads, recolours and renames repository labels; a taken name is 422', async () => {
    const { data: created } = await octokit.rest.issues.createLabel({
      ...repo,
      name: 'severity: critical',
      color: 'b60205',
      description: 'Act within 4 hours',
    });
    const taken = await octokit.rest.issues
      .createLabel({ ...repo, name: 'Severity: Critical' })
      .catch((e) => e);
    await octokit.rest.issues.create({ ...repo, title: 't', labels: ['severity: critical'] });

    await octokit.rest.issues.updateLabel({
      ...repo,
      name: 'severity: critical',
      new_name: 'sev: critical',
      color: 'd93f0b',
    });
    const { data: got } = await octokit.rest.issues.getLabel({ ...repo, name: 'SEV: CRITICAL' });

    expect(created).toMatchObject({ name: 'severity: critical', color: 'b60205', default: false });
    expectDocumented('POST', '/repos/acme/app/labels', 201, created);
    expect(taken.status).toBe(422);
    expect(taken.response.data.errors).toEqual([
      { resource: 'Label', code: 'already_exists', field: 'name' },
    ]);
    expect(got).toMatchObject({ name: 'sev: critical', color: 'd93f0b', description: 'Act within 4 hours' });
    expect(github.issues('acme/app')[0]!.labels).toEqual(['sev: critical']);
  });
});

describe('people', () => {
  it('says who can be assigned: collaborators and organization members (204), nobody else (404)', async () => {
    const check = (assignee: string) =>
      octokit.rest.issues.checkUserCanBeAssigned({ ...repo, assignee }).then(
        (r) => r.status,
        (e) => e.status,
      );

    expect([await check('alice'), await check('bob'), await check('mallory')]).toEqual([204, 204, 404]);
  });

  it('adds and removes assignees, skipping those who cannot be assigned', async () => {
    const { data: issue } = await octokit.rest.issues.create({ ...repo, title: 't' });
    const n = { ...repo, issue_number: issue.number };

    const added = await octokit.rest.issues.addAssignees({ ...n, assignees: ['alice', 'mallory', 'carol'] });
    const removed = await octokit.rest.issues.removeAssignees({ ...n, assignees: ['alice'] });

    expect(added.data.assignees?.map((a) => a.login)).toEqual(['alice', 'carol']);
    expect(removed.data.assignees?.map((a) => a.login)).toEqual(['carol']);
  });

  it("reports a user's role and legacy permission", async () => {
    const permission = async (username: string) => {
      const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({ ...repo, username });
      return [data.role_name, data.permission];
    };

    expect(await permission('root')).toEqual(['admin', 'admin']);
    expect(await permission('mia')).toEqual(['maintain', 'write']);
    expect(await permission('alice')).toEqual(['write', 'write']);
    expect(await permission('bob')).toEqual(['read', 'read']);
    const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({ ...repo, username: 'mia' });
    expectDocumented('GET', '/repos/acme/app/collaborators/mia/permission', 200, data);
  });

  it('answers none for strangers on a private repository', async () => {
    github.addRepo({ owner: 'acme', name: 'secret', id: 4244, defaultBranch: 'main', private: true });

    const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({
      owner: 'acme',
      repo: 'secret',
      username: 'mallory',
    });

    expect([data.role_name, data.permission]).toEqual(['none', 'none']);
  });

  it('lists collaborators with at least a permission (the admins)', async () => {
    const admins = await octokit.rest.repos.listCollaborators({ ...repo, permission: 'admin' });
    const maintainers = await octokit.rest.repos.listCollaborators({ ...repo, permission: 'maintain' });
    const collaborator = await octokit.rest.repos
      .checkCollaborator({ ...repo, username: 'alice' })
      .then((r) => r.status);

    expect(admins.data.map((c) => [c.login, c.role_name, c.permissions?.admin])).toEqual([
      ['root', 'admin', true],
    ]);
    expect(maintainers.data.map((c) => c.login)).toEqual(['root', 'mia']);
    expectDocumented('GET', '/repos/acme/app/collaborators', 200, admins.data);
    expect(collaborator).toBe(204);
  });

  it('makes the owner of a personal repository its admin', async () => {
    github.addInstallation(8, 'dana', { type: 'User' });
    github.addRepo({ owner: 'dana', name: 'tools', id: 4245, defaultBranch: 'main' });
    const probot = new Probot({
      appId: 12,
      privateKey,
      baseUrl: `${github.url}/api/v3`,
      Octokit: TestOctokit,
      log: pino({ level: 'silent' }),
    });
    const dana = await probot.auth(8);

    const { data } = await dana.rest.repos.listCollaborators({
      owner: 'dana',
      repo: 'tools',
      permission: 'admin',
    });

    expect(data.map((c) => c.login)).toEqual(['dana']);
  });

  it('lists team members (by role) and answers memberships; 404 for strangers and unknown teams', async () => {
    const all = await octokit.rest.teams.listMembersInOrg({ org: 'acme', team_slug: 'platform' });
    const maintainers = await octokit.rest.teams.listMembersInOrg({
      org: 'acme',
      team_slug: 'platform',
      role: 'maintainer',
    });
    const membership = await octokit.rest.teams.getMembershipForUserInOrg({
      org: 'acme',
      team_slug: 'platform',
      username: 'carol',
    });
    const status = (promise: Promise<{ status: number }>) =>
      promise.then(
        (r) => r.status,
        (e) => e.status,
      );

    expect(all.data.map((m) => m.login)).toEqual(['bob', 'carol']);
    expectDocumented('GET', '/orgs/acme/teams/platform/members', 200, all.data);
    expect(maintainers.data.map((m) => m.login)).toEqual(['carol']);
    expect(membership.data).toMatchObject({ role: 'maintainer', state: 'active' });
    expectDocumented('GET', '/orgs/acme/teams/platform/memberships/carol', 200, membership.data);
    expect(
      await status(
        octokit.rest.teams.getMembershipForUserInOrg({
          org: 'acme',
          team_slug: 'platform',
          username: 'alice',
        }),
      ),
    ).toBe(404);
    expect(await status(octokit.rest.teams.listMembersInOrg({ org: 'acme', team_slug: 'nope' }))).toBe(404);
    expect(await status(octokit.rest.teams.listMembersInOrg({ org: 'other', team_slug: 'platform' }))).toBe(
      404,
    );
  });
});

describe('webhook payloads', () => {
  it('builds issue_comment.created from GitHub’s example, with the issue and the comment as they are', async () => {
    const { data: issue } = await octokit.rest.issues.create({
      ...repo,
      title: 'Leaked key',
      body: '<!-- keywarden:credential abc -->',
      labels: ['keywarden'],
      assignees: ['alice'],
    });

    const payload = github.payloads.issueComment('acme/app', issue.number, {
      login: 'bob',
      body: '/keywarden revoke',
    });

    expect(payload).toMatchObject({
      action: 'created',
      installation: { id: 7 },
      repository: { id: 4242, full_name: 'acme/app' },
      organization: { login: 'acme' },
      sender: { login: 'bob', type: 'User' },
      comment: {
        body: '/keywarden revoke',
        user: { login: 'bob', type: 'User' },
        author_association: 'MEMBER',
        performed_via_github_app: null,
      },
      issue: {
        number: issue.number,
        title: 'Leaked key',
        body: '<!-- keywarden:credential abc -->',
        user: { login: 'keywarden[bot]', type: 'Bot' },
        comments: 1,
        state: 'open',
      },
    });
    expect(payload.issue.labels?.map((l) => l.name)).toEqual(['keywarden']);
    expect(payload.issue.assignees.map((a) => a?.login)).toEqual(['alice']);
    expect(github.comments('acme/app', issue.number).map((c) => c.id)).toEqual([payload.comment.id]);
  });

  it('builds issues.closed and issues.reopened, closing and reopening the issue as the sender', async () => {
    const number = github.openIssue('acme/app', { title: 'by a person', author: 'alice', labels: ['bug'] });

    const closed = github.payloads.issues('acme/app', number, 'closed', {
      login: 'root',
      stateReason: 'not_planned',
    });
    const reopened = github.payloads.issues('acme/app', number, 'reopened', { login: 'root' });

    expect(closed).toMatchObject({
      action: 'closed',
      sender: { login: 'root' },
      issue: { number, state: 'closed', state_reason: 'not_planned', user: { login: 'alice' } },
    });
    expect(reopened).toMatchObject({
      action: 'reopened',
      issue: { state: 'open', state_reason: 'reopened' },
    });
    expect(github.issues('acme/app')[0]).toMatchObject({ state: 'open', author: 'alice', labels: ['bug'] });
  });
});
