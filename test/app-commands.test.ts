import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { testBackends } from '../src/inventory/testing.js';
import { credentialMarker } from '../src/remediation/issue-body.js';
import { databaseDump, startTestApp, type TestApp } from './support/app.js';
import {
  type CommentPayload,
  commentPayload,
  DEFAULT_RULE,
  deliveryId,
  FULL_NAME,
  installationId,
  mockCodeowners,
  mockComment,
  mockConfig,
  mockMembership,
  mockRefresh,
  mockRefreshUpdate,
  mockRole,
  owner,
  REPO,
  REPO_ID,
  SECURITY_TEAM,
  type Sent,
  seed,
  shaOf,
} from './support/commands.js';
import {
  type GithubMock,
  githubMock,
  mockInstallationToken,
  requestsContaining,
  webhookExample,
} from './support/github.js';
import { openapiExample } from './support/openapi.js';

/**
 * Remediation commands end to end: real `issue_comment` and `issues` payloads from
 * `@octokit/webhooks-examples` (pointed at credentials seeded in the inventory), Probot, the queue and the
 * database for real, GitHub mocked with nock (network sealed, every request checked against the OpenAPI
 * description).
 */

const rule = DEFAULT_RULE;

describe.each(testBackends())('commands on %s', (backend) => {
  let app: TestApp;
  let gh: GithubMock;
  let sent: Sent;

  beforeAll(async () => {
    app = await startTestApp(backend);
  });
  afterAll(() => app.close());
  beforeEach(() => {
    gh = githubMock();
    mockInstallationToken(gh, installationId);
    sent = { patches: [], comments: [] };
  });
  afterEach(() => gh.restore());

  async function state(id: number): Promise<string> {
    const { rows } = await app.db.query<{ state: string }>('SELECT state FROM credentials WHERE id = $1', [
      id,
    ]);
    return rows[0]!.state;
  }

  async function events(id: number) {
    const { rows } = await app.db.query<{ kind: string; actor: string; reason: string | null }>(
      "SELECT kind, actor, reason FROM events WHERE credential_id = $1 AND kind <> 'detected' ORDER BY id",
      [id],
    );
    return rows;
  }

  async function suppressions(fingerprint: string) {
    const { rows } = await app.db.query<{ repo_id: string | number; reason: string; actor: string }>(
      'SELECT repo_id, reason, actor FROM suppressions WHERE fingerprint = $1',
      [fingerprint],
    );
    return rows.map((row) => ({ ...row, repo_id: Number(row.repo_id) }));
  }

  async function deliver(payload: CommentPayload) {
    return app.deliver('issue_comment', payload, deliveryId());
  }

  it('lets a CODEOWNER confirm: state, audit event, labels and a comment', async () => {
    const seeded = await seed(app, 'confirm');
    mockConfig(gh);
    mockCodeowners(gh, seeded.commitSha, '* @someone-else\n/services/ @alice\n');
    mockRefresh(gh, seeded, sent);

    const result = await deliver(
      commentPayload(seeded, 'Looked at it.\n/keywarden confirm rotating today', 'alice'),
    );

    expect(result).toEqual({ completed: 1, failed: 0 });
    gh.assertDone();
    expect(await state(seeded.id)).toBe('confirmed');
    expect(await events(seeded.id)).toEqual([
      { kind: 'state:notified', actor: 'keywarden', reason: null },
      { kind: 'state:confirmed', actor: 'alice', reason: 'rotating today' },
      { kind: 'command:confirm', actor: 'alice', reason: null },
    ]);
    expect(sent.patches).toHaveLength(1);
    expect(sent.patches[0]!['labels']).toEqual([
      'team-label',
      'keywarden',
      'provider:anthropic',
      `severity:${rule.severity}`,
      'state:confirmed',
    ]);
    expect(sent.patches[0]!['state']).toBeUndefined();
    expect(sent.comments).toEqual([expect.stringContaining('**notified** → **confirmed**')]);
    expect(requestsContaining(gh, seeded.secret)).toEqual([]);
  });

  it('lets a security team member mark a false positive: closed, suppressed', async () => {
    const seeded = await seed(app, 'false-positive');
    mockConfig(gh, { securityTeam: true });
    mockCodeowners(gh, seeded.commitSha, '/docs/ @alice\n');
    mockMembership(gh, SECURITY_TEAM, 'carol', true);
    mockRefresh(gh, seeded, sent);

    const result = await deliver(
      commentPayload(seeded, '/keywarden false-positive sample from the API docs', 'carol'),
    );

    expect(result).toEqual({ completed: 1, failed: 0 });
    gh.assertDone();
    expect(await state(seeded.id)).toBe('false-positive');
    expect(await suppressions(seeded.fingerprint)).toEqual([
      { repo_id: REPO_ID, reason: 'sample from the API docs', actor: 'carol' },
    ]);
    expect(sent.patches[0]).toMatchObject({ state: 'closed', state_reason: 'not_planned' });
    expect(sent.comments[0]).toContain('no longer reports this value in the 1 repository');
  });

  it('lets an admin (collaborator permission API) mark a test credential', async () => {
    const seeded = await seed(app, 'test-credential');
    mockConfig(gh);
    mockCodeowners(gh, seeded.commitSha, undefined);
    mockRole(gh, 'dave', 'admin');
    mockRefresh(gh, seeded, sent);

    const result = await deliver(commentPayload(seeded, '/keywarden TEST-CREDENTIAL sandbox key', 'dave'));

    expect(result).toEqual({ completed: 1, failed: 0 });
    gh.assertDone();
    expect(await state(seeded.id)).toBe('test-credential');
    expect(await suppressions(seeded.fingerprint)).toEqual([
      { repo_id: REPO_ID, reason: 'sandbox key', actor: 'dave' },
    ]);
    expect(sent.patches[0]).toMatchObject({ state: 'closed', state_reason: 'not_planned' });
  });

  it('walks confirm, revoke (manual steps, no state change) and rotated (closes the issue)', async () => {
    const seeded = await seed(app, 'rotate');
    mockConfig(gh, { times: 4 });
    mockCodeowners(gh, seeded.commitSha, '/services/ @alice\n');
    mockComment(gh, seeded, sent);
    await deliver(commentPayload(seeded, '/keywarden rotated', 'alice'));
    mockRefresh(gh, seeded, sent);
    await deliver(commentPayload(seeded, '/keywarden confirm', 'alice'));
    expect(await state(seeded.id)).toBe('confirmed');
    mockComment(gh, seeded, sent);
    await deliver(commentPayload(seeded, '/keywarden revoke', 'alice'));
    expect(await state(seeded.id)).toBe('confirmed');
    mockRefresh(gh, seeded, sent, 'confirmed');
    const result = await deliver(commentPayload(seeded, '/keywarden rotated new key deployed', 'alice'));

    expect(result).toEqual({ completed: 1, failed: 0 });
    gh.assertDone();
    expect(await state(seeded.id)).toBe('closed');
    expect((await events(seeded.id)).map((e) => e.kind)).toEqual([
      'state:notified',
      'command:rotated',
      'state:confirmed',
      'command:confirm',
      'revoke:manual',
      'command:revoke',
      'state:revoked',
      'state:rotated',
      'state:closed',
      'command:rotated',
    ]);
    const [refusedRotation, , manual, closed] = sent.comments;
    expect(refusedRotation).toContain(
      'changed nothing: the credential is notified: it must be confirmed and revoked first',
    );
    expect(manual).toContain(`(${rule.revokeUrl})`);
    expect(manual).toContain('`/keywarden rotated`');
    expect(closed).toContain('**confirmed** → **revoked** → **rotated** → **closed**');
    expect(sent.patches.at(-1)).toMatchObject({ state: 'closed', state_reason: 'completed' });
  });

  it('answers status, help, an unknown command and a command missing its reason', async () => {
    const seeded = await seed(app, 'status');
    mockConfig(gh, { times: 4 });
    mockCodeowners(gh, seeded.commitSha, '/services/ @alice\n');
    mockComment(gh, seeded, sent, 4);

    await deliver(commentPayload(seeded, '/keywarden status', 'alice'));
    await deliver(commentPayload(seeded, '/keywarden help', 'alice'));
    await deliver(commentPayload(seeded, '/keywarden close-it', 'alice'));
    await deliver(commentPayload(seeded, '/keywarden false-positive', 'alice'));

    gh.assertDone();
    const [status, help, unknown, noReason] = sent.comments;
    expect(status).toContain('- **State:** notified');
    expect(status).toContain('- **Seen:** 1 place in 1 repository');
    expect(rule.severity).toBe('high');
    expect(status).toMatch(
      /- \*\*Deadline:\*\* \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC \(\d{1,2}h \d{1,2}m left; high severity, 24h from first/,
    );
    expect(status).not.toContain('Who can act');
    expect(help).toContain('`/keywarden false-positive <reason>`');
    expect(unknown).toContain('keywarden does not know `close-it`');
    expect(unknown).toContain('`/keywarden rotated`');
    expect(noReason).toContain('`/keywarden false-positive` needs a reason, so nothing changed');
    expect(await state(seeded.id)).toBe('notified');
    expect(await suppressions(seeded.fingerprint)).toEqual([]);
    expect((await events(seeded.id)).map((e) => e.kind)).toEqual([
      'state:notified',
      'command:status',
      'command:help',
      'command:invalid',
      'command:invalid',
    ]);
  });

  it('refuses every command from anyone else: nothing changes, each reply says who may act', async () => {
    const seeded = await seed(app, 'unauthorised');
    const commands = [
      'confirm',
      'false-positive it is fake',
      'test-credential it is a test',
      'revoke',
      'rotated',
      'status',
      'help',
    ];
    const n = commands.length;
    mockConfig(gh, { securityTeam: true, times: n });
    mockCodeowners(gh, seeded.commitSha, `/services/ @alice @${owner}/api\n`);
    mockMembership(gh, SECURITY_TEAM, 'mallory', false, n);
    mockMembership(gh, `@${owner}/api`, 'mallory', false, n);
    mockRole(gh, 'mallory', 'write', n);
    mockComment(gh, seeded, sent, n);

    for (const command of commands) {
      expect(await deliver(commentPayload(seeded, `/keywarden ${command}`, 'mallory'))).toEqual({
        completed: 1,
        failed: 0,
      });
    }

    gh.assertDone();
    expect(await state(seeded.id)).toBe('notified');
    expect(await suppressions(seeded.fingerprint)).toEqual([]);
    expect(gh.recordedRequests().filter((r) => r.method === 'PATCH')).toEqual([]);
    expect((await events(seeded.id)).map((e) => e.kind)).toEqual([
      'state:notified',
      'command:refused',
      'command:refused',
      'command:refused',
      'command:refused',
      'command:refused',
      'command:status',
      'command:help',
    ]);
    const who =
      `the code owners of the exposed paths (\`@alice\`, \`@${owner}/api\`), members of the security team ` +
      `\`${SECURITY_TEAM}\` or people with the admin or maintain role on ${FULL_NAME}`;
    expect(sent.comments).toHaveLength(n);
    for (const [i, reply] of sent.comments.entries()) {
      expect(reply).toContain(`**Who can act:** ${who}.`);
      if (i < 5) expect(reply).toContain('you cannot run `/keywarden');
    }
  });

  it('acts once on a comment delivered twice', async () => {
    const seeded = await seed(app, 'twice');
    mockConfig(gh);
    mockCodeowners(gh, seeded.commitSha, '/services/ @alice\n');
    mockRefresh(gh, seeded, sent);
    const payload = commentPayload(seeded, '/keywarden confirm', 'alice');
    const id = deliveryId();

    await app.deliver('issue_comment', payload, id);
    const sameDelivery = await app.deliver('issue_comment', payload, id);
    const newDelivery = await app.deliver('issue_comment', payload, deliveryId());

    expect(sameDelivery).toEqual({ completed: 0, failed: 0 });
    expect(newDelivery).toEqual({ completed: 1, failed: 0 });
    gh.assertDone();
    expect(sent.comments).toHaveLength(1);
    expect((await events(seeded.id)).map((e) => e.kind)).toEqual([
      'state:notified',
      'state:confirmed',
      'command:confirm',
    ]);
  });

  it('posts the reply on the retry without carrying the command out twice', async () => {
    const seeded = await seed(app, 'retry');
    mockConfig(gh);
    mockCodeowners(gh, seeded.commitSha, '/services/ @alice\n');
    mockRefreshUpdate(gh, seeded, sent, 'notified', 2);
    gh.api.post(`${REPO}/issues/${seeded.issueNumber}/comments`).reply(502, { message: 'Bad Gateway' });
    mockComment(gh, seeded, sent);

    const result = await deliver(commentPayload(seeded, '/keywarden confirm', 'alice'));

    expect(result).toEqual({ completed: 1, failed: 0 });
    gh.assertDone();
    expect(await state(seeded.id)).toBe('confirmed');
    expect((await events(seeded.id)).map((e) => e.kind)).toEqual([
      'state:notified',
      'state:confirmed',
      'command:confirm',
    ]);
    expect(sent.comments).toEqual([expect.stringContaining('**notified** → **confirmed**')]);
  });

  it('leaves a comment another job is carrying out to that job', async () => {
    const seeded = await seed(app, 'other-job');
    const payload = commentPayload(seeded, '/keywarden confirm', 'alice');
    await app.db.query(
      `INSERT INTO events (credential_id, kind, actor, data) VALUES ($1, 'command:confirm', 'alice', $2::jsonb)`,
      [seeded.id, JSON.stringify({ commentId: payload.comment.id, jobId: 'another-job', done: false })],
    );

    const result = await deliver(payload);

    expect(result).toEqual({ completed: 1, failed: 0 });
    gh.assertDone();
    expect(gh.recordedRequests().filter((r) => !r.path.includes('access_tokens'))).toEqual([]);
    expect(await state(seeded.id)).toBe('notified');
  });

  it('finds the credential by the issue marker when the inventory forgot its issue', async () => {
    const seeded = await seed(app, 'marker', { withIssue: false });
    const issue = openapiExample<Record<string, unknown>>(
      'GET',
      '/repos/{owner}/{repo}/issues/{issue_number}',
    );
    gh.api
      .get(`${REPO}/issues/${seeded.issueNumber}`)
      .reply(200, { ...issue, number: seeded.issueNumber, body: credentialMarker(seeded.fingerprint) });
    mockConfig(gh);
    mockCodeowners(gh, seeded.commitSha, '/services/ @alice\n');
    mockComment(gh, seeded, sent);

    const result = await deliver(commentPayload(seeded, '/keywarden status', 'alice'));

    expect(result).toEqual({ completed: 1, failed: 0 });
    gh.assertDone();
    const { rows } = await app.db.query('SELECT issue_repo, issue_number FROM credentials WHERE id = $1', [
      seeded.id,
    ]);
    expect(rows).toEqual([{ issue_repo: FULL_NAME, issue_number: seeded.issueNumber }]);
  });

  it('ignores bots, keywarden itself, apps, pull requests, other issues and comments without a command', async () => {
    const seeded = await seed(app, 'ignored');
    const bot = commentPayload(seeded, '/keywarden confirm', 'renovate[bot]');
    bot.comment.user!.type = 'Bot';
    const ours = commentPayload(seeded, '/keywarden help', 'keywarden[bot]');
    const viaApp = commentPayload(seeded, '/keywarden confirm', 'alice');
    viaApp.comment.performed_via_github_app = {
      ...openapiExample<{ performed_via_github_app: object }>(
        'GET',
        '/repos/{owner}/{repo}/issues/comments/{comment_id}',
      ).performed_via_github_app,
    } as typeof viaApp.comment.performed_via_github_app;
    const onPullRequest = commentPayload(seeded, '/keywarden confirm', 'alice');
    onPullRequest.issue.pull_request = { url: `https://api.github.com${REPO}/pulls/1` } as never;
    const otherIssue = commentPayload(seeded, '/keywarden confirm', 'alice');
    otherIssue.issue.labels = [];
    otherIssue.issue.body = 'an ordinary bug report';
    const chat = commentPayload(seeded, 'Thanks! Will /keywarden confirm later.', 'alice');

    for (const payload of [bot, ours, viaApp, onPullRequest, otherIssue, chat]) {
      expect(await deliver(payload)).toEqual({ completed: 0, failed: 0 });
    }

    gh.assertDone();
    expect(gh.recordedRequests()).toEqual([]);
    expect(await state(seeded.id)).toBe('notified');
    expect((await events(seeded.id)).map((e) => e.kind)).toEqual(['state:notified']);
  });

  it('records an issue closed or reopened by a person, and nothing for keywarden itself', async () => {
    const seeded = await seed(app, 'closed');
    const reopened = webhookExample('issues', (p) => p.action === 'reopened' && 'installation' in p);
    reopened.issue.number = seeded.issueNumber;
    reopened.issue.body = credentialMarker(seeded.fingerprint);
    reopened.sender.login = 'alice';
    const closed = structuredClone(reopened) as unknown as typeof reopened & { action: string };
    closed.action = 'closed';
    closed.issue.state = 'closed';
    const byBot = structuredClone(closed);
    byBot.sender = { ...byBot.sender, login: 'keywarden[bot]', type: 'Bot' };

    await app.deliver('issues', closed, deliveryId());
    await app.deliver('issues', reopened, deliveryId());
    await app.deliver('issues', byBot, deliveryId());

    gh.assertDone();
    expect(await state(seeded.id)).toBe('notified');
    expect(await events(seeded.id)).toEqual([
      { kind: 'state:notified', actor: 'keywarden', reason: null },
      { kind: 'issue:closed', actor: 'alice', reason: null },
      { kind: 'issue:reopened', actor: 'alice', reason: null },
    ]);
  });

  it('passes the pull request check once the key is marked a false positive', async () => {
    const seeded = await seed(app, 'end-to-end');
    mockConfig(gh);
    mockCodeowners(gh, seeded.commitSha, '/services/ @alice\n');
    mockRefresh(gh, seeded, sent);
    await deliver(commentPayload(seeded, '/keywarden false-positive fixture for the parser tests', 'alice'));
    expect(await state(seeded.id)).toBe('false-positive');
    const pr = webhookExample('pull_request', (p) => p.action === 'synchronize' && 'installation' in p);
    pr.pull_request.head.sha = shaOf('end-to-end-pr-head');
    gh.api
      .get(`${REPO}/contents/.github%2Fkeywarden.yml`)
      .query({ ref: pr.repository.default_branch })
      .reply(404, { message: 'Not Found' });
    gh.api
      .get(`/repos/${owner}/.github/contents/.github%2Fkeywarden.yml`)
      .reply(404, { message: 'Not Found' });
    const file = openapiExample<Array<Record<string, unknown>>>(
      'GET',
      '/repos/{owner}/{repo}/pulls/{pull_number}/files',
    );
    gh.api
      .get(`${REPO}/pulls/${pr.pull_request.number}/files`)
      .query({ per_page: 100 })
      .reply(200, [
        {
          ...file[0],
          filename: 'tests/parser/.env',
          status: 'added',
          additions: 2,
          deletions: 0,
          changes: 2,
          patch: `@@ -0,0 +1,2 @@\n+# parser fixture\n+ANTHROPIC_API_KEY=${seeded.secret}`,
        },
      ]);
    gh.api.post(`${REPO}/check-runs`).reply(201, {
      ...openapiExample('POST', '/repos/{owner}/{repo}/check-runs', '201'),
      id: 77,
    });
    let completed: Record<string, unknown> = {};
    gh.api
      .patch(`${REPO}/check-runs/77`, (body) => {
        completed = body;
        return true;
      })
      .reply(200, openapiExample('PATCH', '/repos/{owner}/{repo}/check-runs/{check_run_id}'));

    const result = await app.deliver('pull_request', pr, deliveryId());

    expect(result).toEqual({ completed: 1, failed: 0 });
    gh.assertDone();
    expect(completed).toMatchObject({ status: 'completed', conclusion: 'success' });
    const { rows } = await app.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM exposures WHERE credential_id = $1',
      [seeded.id],
    );
    expect(rows[0]!.n).toBe(1);
    expect(app.logs().some((line) => line.includes('"reason":"baseline"'))).toBe(true);
    const dump = await databaseDump(app.db);
    expect(dump.includes(seeded.secret)).toBe(false);
    expect(app.logs().join('\n').includes(seeded.secret)).toBe(false);
    expect(requestsContaining(gh, seeded.secret)).toEqual([]);
  });
});
