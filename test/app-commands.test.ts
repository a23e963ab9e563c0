import { createHash } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { scanText } from '../src/engine/scan.js';
import { saveIssue } from '../src/inventory/issues.js';
import { recordFindings } from '../src/inventory/store.js';
import { testBackends } from '../src/inventory/testing.js';
import { credentialMarker } from '../src/remediation/issue-body.js';
import { transition } from '../src/remediation/lifecycle.js';
import { allRules } from '../src/rules/registry.js';
import { databaseDump, startTestApp, TEST_FINGERPRINT_KEY, type TestApp } from './support/app.js';
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

const rule = allRules.find((candidate) => candidate.id === 'anthropic.api-key')!;
const example = webhookExample('issue_comment', (p) => p.action === 'created' && 'installation' in p);
const owner = example.repository.owner.login;
const name = example.repository.name;
const FULL_NAME = `${owner}/${name}`;
const REPO = `/repos/${FULL_NAME}`;
const REPO_ID = example.repository.id;
const installationId = example.installation!.id;
const PATH = 'services/api/.env';
const SECURITY_TEAM = `@${owner}/security`;

interface Seeded {
  id: number;
  fingerprint: string;
  secret: string;
  commitSha: string;
  issueNumber: number;
}

let nextIssue = 100;
let nextComment = 9_000_000;

function shaOf(label: string): string {
  return createHash('sha1').update(label).digest('hex');
}

/**
 * A credential as an earlier scan and the issue job left it: found at `PATH` in one commit, its issue
 * open, state `notified`. Built through the real engine with the app's fingerprint key.
 */
async function seed(app: TestApp, label: string, options: { withIssue?: boolean } = {}): Promise<Seeded> {
  const secret = rule.sample(`commands-${label}`);
  const commitSha = shaOf(label);
  const findings = scanText(`ANTHROPIC_API_KEY=${secret}\n`, [rule], {
    path: PATH,
    fingerprintKey: TEST_FINGERPRINT_KEY,
  });
  expect(findings).toHaveLength(1);
  await recordFindings(
    app.db,
    findings,
    { repoId: REPO_ID, repo: FULL_NAME, commitSha, source: 'push', ref: 'refs/heads/master' },
    'Codertocat',
  );
  const fingerprint = findings[0]!.fingerprint;
  const { rows } = await app.db.query<{ id: unknown }>('SELECT id FROM credentials WHERE fingerprint = $1', [
    fingerprint,
  ]);
  const id = Number(rows[0]!.id);
  const issueNumber = nextIssue++;
  if (options.withIssue !== false) await saveIssue(app.db, id, FULL_NAME, issueNumber);
  await transition(app.db, id, 'notified', { actor: 'keywarden' });
  return { id, fingerprint, secret, commitSha, issueNumber };
}

type CommentPayload = ReturnType<typeof commentPayload>;

/** The documented `issue_comment.created` example, as `login` commenting `body` on the seeded issue. */
function commentPayload(seeded: Seeded, body: string, login: string) {
  const payload = structuredClone(example);
  payload.issue.number = seeded.issueNumber;
  payload.issue.labels = [{ ...payload.issue.labels![0]!, name: 'keywarden' }];
  payload.issue.body = `Leaked key\n\n${credentialMarker(seeded.fingerprint)}\n`;
  payload.comment.id = nextComment++;
  payload.comment.body = body;
  payload.comment.user!.login = login;
  payload.sender.login = login;
  return payload;
}

let nextDelivery = 1;
function deliveryId(): string {
  return `delivery-command-${nextDelivery++}`;
}

/** The config of the issue's repository: none (defaults), or one naming the security team. */
function mockConfig(gh: GithubMock, options: { securityTeam?: boolean; times?: number } = {}): void {
  const times = options.times ?? 1;
  const file = gh.api.get(`${REPO}/contents/.github%2Fkeywarden.yml`).times(times);
  if (options.securityTeam) {
    file.reply(200, `issues:\n  securityTeam: "${SECURITY_TEAM}"\n`);
    return;
  }
  file.reply(404, { message: 'Not Found' });
  gh.api
    .get(`/repos/${owner}/.github/contents/.github%2Fkeywarden.yml`)
    .times(times)
    .reply(404, { message: 'Not Found' });
}

function mockCodeowners(gh: GithubMock, sha: string, text: string | undefined): void {
  if (text !== undefined) {
    gh.api.get(`${REPO}/contents/.github%2FCODEOWNERS`).query({ ref: sha }).reply(200, text);
    return;
  }
  for (const path of ['.github%2FCODEOWNERS', 'CODEOWNERS', 'docs%2FCODEOWNERS']) {
    gh.api.get(`${REPO}/contents/${path}`).query({ ref: sha }).reply(404, { message: 'Not Found' });
  }
}

function mockMembership(gh: GithubMock, team: string, login: string, member: boolean, times = 1): void {
  const [org, slug] = team.slice(1).split('/');
  const path = `/orgs/${org}/teams/${slug}/memberships/${login}`;
  if (member) {
    gh.api
      .get(path)
      .times(times)
      .reply(200, openapiExample('GET', '/orgs/{org}/teams/{team_slug}/memberships/{username}'));
  } else gh.api.get(path).times(times).reply(404, { message: 'Not Found' });
}

function mockRole(gh: GithubMock, login: string, role: 'admin' | 'write', times = 1): void {
  const example = openapiExample('GET', '/repos/{owner}/{repo}/collaborators/{username}/permission');
  gh.api
    .get(`${REPO}/collaborators/${login}/permission`)
    .times(times)
    .reply(200, { ...example, permission: role, role_name: role });
}

interface Sent {
  patches: Array<Record<string, unknown>>;
  comments: string[];
}

/** `refreshIssue`: reads the issue and the repository, updates the issue, adds the comment. */
function mockRefresh(gh: GithubMock, seeded: Seeded, sent: Sent, state = 'notified'): void {
  mockRefreshUpdate(gh, seeded, sent, state);
  mockComment(gh, seeded, sent);
}

/** The part of `refreshIssue` before its comment, `times` over. */
function mockRefreshUpdate(gh: GithubMock, seeded: Seeded, sent: Sent, state: string, times = 1): void {
  const issue = openapiExample<Record<string, unknown>>('GET', '/repos/{owner}/{repo}/issues/{issue_number}');
  gh.api
    .get(`${REPO}/issues/${seeded.issueNumber}`)
    .times(times)
    .reply(200, {
      ...issue,
      number: seeded.issueNumber,
      state: 'open',
      state_reason: null,
      body: `old body\n${credentialMarker(seeded.fingerprint)}`,
      labels: [
        'keywarden',
        'provider:anthropic',
        `severity:${rule.severity}`,
        `state:${state}`,
        'team-label',
      ].map((label, i) => ({
        id: i + 1,
        node_id: `L${i}`,
        url: '',
        name: label,
        color: 'ffffff',
        default: false,
      })),
    });
  gh.api.get(REPO).times(times).reply(200, openapiExample('GET', '/repos/{owner}/{repo}'));
  gh.api
    .patch(`${REPO}/issues/${seeded.issueNumber}`, (body) => {
      sent.patches.push(body);
      return true;
    })
    .times(times)
    .reply(200, { ...issue, number: seeded.issueNumber });
}

function mockComment(gh: GithubMock, seeded: Seeded, sent: Sent, times = 1): void {
  gh.api
    .post(`${REPO}/issues/${seeded.issueNumber}/comments`, (body: { body: string }) => {
      sent.comments.push(body.body);
      return true;
    })
    .times(times)
    .reply(201, openapiExample('POST', '/repos/{owner}/{repo}/issues/{issue_number}/comments', '201'));
}

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
