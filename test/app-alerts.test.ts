import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sweepSecretTypes } from '../src/alerts/secret-types.js';
import { saveAlert } from '../src/alerts/store.js';
import { fingerprint } from '../src/engine/fingerprint.js';
import { parseAlert } from '../src/github/secret-scanning.js';
import { testBackends } from '../src/inventory/testing.js';
import { allRules } from '../src/rules/registry.js';
import {
  type AlertFacts,
  alertLocationWebhook,
  alertResponse,
  alertWebhook,
  commitLocation,
  issueCommentLocation,
  locationsResponse,
  orgAlertItem,
  updatedAlertResponse,
} from './support/alert-payloads.js';
import { databaseDump, startTestApp, TEST_FINGERPRINT_KEY, type TestApp } from './support/app.js';
import {
  commentPayload,
  mockConfig,
  mockMembership,
  mockRefresh,
  SECURITY_TEAM,
  type Sent,
} from './support/commands.js';
import {
  type GithubMock,
  githubMock,
  mockInstallationToken,
  requestsContaining,
  webhookExample,
} from './support/github.js';
import { openapiExample } from './support/openapi.js';
import {
  type Captured,
  issueReply,
  mockCodeowners,
  mockComment,
  mockGetIssue,
  mockIssueOpenings,
  mockNoRepoConfig,
  mockRepository,
  mockUpdateIssue,
} from './support/remediation.js';

/**
 * GitHub secret scanning alerts end to end: `secret_scanning_alert` and `secret_scanning_alert_location`
 * payloads built from GitHub's webhook description (validated against it) in through Probot, the
 * `sync-alert` job reading the alert and its locations from the (mocked, OpenAPI-checked) REST API, the
 * credential, exposures and alert in the inventory, the one issue per credential opened or updated; the
 * scheduled sweep paging an organisation's alerts by cursor and then getting a 304. The planted keys are
 * searched for in every request, the logs and a full database dump: only GitHub's own alert responses
 * hold them.
 */

const rule = allRules.find((candidate) => candidate.id === 'openai.project-key')!;
/** Found by an alert first, then pushed. */
const alertFirst = rule.sample('app-alerts-alert-first');
/** Pushed first, then reported by an alert. */
const pushFirst = rule.sample('app-alerts-push-first');
/** Found by the sweep. */
const swept = rule.sample('app-alerts-swept');
/** Met first as an alert already resolved on GitHub. */
const resolvedFirst = rule.sample('app-alerts-resolved-first');
/** Seen by GitHub only in an issue comment, never in a commit. */
const outsideOnly = rule.sample('app-alerts-outside-only');
const KEYS = [alertFirst, pushFirst, swept, outsideOnly, resolvedFirst];

const push = webhookExample('push', (p) => 'installation' in p && p.ref === 'refs/heads/master');
const REPO = { owner: push.repository.owner!.login, name: push.repository.name, id: push.repository.id };
const repo = { owner: REPO.owner, repo: REPO.name };
const FULL = `${REPO.owner}/${REPO.name}`;
const API = `/repos/${FULL}`;
const BRANCH = push.repository.default_branch ?? 'master';
const BEFORE = 'a10867b14bb761a232cd80139fbd4c0d33264240';
const C1 = '1f0c9b0e7a4d2c3b5a6f7e8d9c0b1a2f3e4d5c6b';
const C2 = '2f0c9b0e7a4d2c3b5a6f7e8d9c0b1a2f3e4d5c6c';
const PUSH_1 = 'b50867b14bb761a232cd80139fbd4c0d33264245';
const PUSH_2 = 'c60867b14bb761a232cd80139fbd4c0d33264246';
const BLOB = '3f6a1b2c4d5e6f708192a3b4c5d6e7f8091a2b3c';

/** The facts of the alerts as GitHub first has them (each backend's run moves its own copies along). */
const FIRST: AlertFacts = {
  number: 3,
  secretType: 'openai_api_key',
  pushProtectionBypassedBy: 'mallory',
  validity: 'active',
  createdAt: '2025-03-01T10:00:00Z',
};
const SECOND: AlertFacts = {
  number: 5,
  secretType: 'openai_api_key',
  createdAt: '2025-03-02T10:00:00Z',
};
/** A second open alert of the pushed-first key. */
const sixth: AlertFacts = { number: 6, secretType: 'openai_api_key', createdAt: '2025-03-07T10:00:00Z' };

function mockAlert(gh: GithubMock, facts: AlertFacts, secret: string): void {
  gh.api.get(`${API}/secret-scanning/alerts/${facts.number}`).reply(200, alertResponse(REPO, facts, secret));
}

/** `refreshIssue` with a comment: the issue read, the repository, the update and the comment (captured). */
function mockIssueRefresh(gh: GithubMock, number: number, body: string) {
  mockGetIssue(gh, repo, issueReply(number, { body }));
  mockRepository(gh, repo, { defaultBranch: BRANCH });
  const updated: Captured = { bodies: [] };
  const comments: Captured = { bodies: [] };
  mockUpdateIssue(gh, repo, number, updated);
  mockComment(gh, repo, number, comments);
  return { updated, comments };
}

function mockLocations(gh: GithubMock, number: number, locations: Array<Record<string, unknown>>): void {
  gh.api
    .get(`${API}/secret-scanning/alerts/${number}/locations`)
    .query({ per_page: 100 })
    .reply(200, locationsResponse(REPO, number, locations));
}

function comparison(after: string, filename: string, line: string) {
  const example = openapiExample<{ files: Array<Record<string, unknown>> }>(
    'GET',
    '/repos/{owner}/{repo}/compare/{basehead}',
  );
  return {
    ...example,
    total_commits: 1,
    ahead_by: 1,
    commits: [{ ...(example as unknown as { commits: object[] }).commits[0], sha: after }],
    files: [
      {
        ...example.files[0],
        filename,
        status: 'added',
        sha: BLOB,
        patch: `@@ -0,0 +1,2 @@\n+# settings\n+${line}`,
      },
    ],
  };
}

/** A push of `key` to `app/settings.py` line 2 at `after`: config, compare, the check run. */
function mockPushScan(gh: GithubMock, after: string, key: string, checkRunId: number): void {
  mockNoRepoConfig(gh, repo, BRANCH);
  gh.api
    .get(`${API}/compare/${BEFORE}...${after}`)
    .reply(200, comparison(after, 'app/settings.py', `OPENAI_API_KEY = "${key}"`));
  gh.api
    .post(`${API}/check-runs`)
    .reply(201, { ...openapiExample('POST', '/repos/{owner}/{repo}/check-runs', '201'), id: checkRunId });
}

function pushPayload(after: string) {
  return { ...structuredClone(push), before: BEFORE, after, created: false };
}

describe.each(testBackends())('secret scanning alerts on %s', (backend) => {
  let app: TestApp;
  let gh: GithubMock;
  let issueBody = '';
  const first: AlertFacts = { ...FIRST };
  const second: AlertFacts = { ...SECOND };

  beforeAll(async () => {
    app = await startTestApp(backend);
  });
  afterAll(() => app.close());
  beforeEach(() => {
    gh = githubMock();
    mockInstallationToken(gh, 1);
  });
  afterEach(() => gh.restore());

  async function count(table: string): Promise<number> {
    const { rows } = await app.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
    return rows[0]!.n;
  }

  async function credentialOf(key: string) {
    const { rows } = await app.db.query<{
      id: unknown;
      rule_id: string;
      state: string;
      issue_number: unknown;
    }>('SELECT id, rule_id, state, issue_number FROM credentials WHERE fingerprint = $1', [
      fingerprint(key, TEST_FINGERPRINT_KEY),
    ]);
    return rows[0];
  }

  it('an alert created on GitHub becomes a credential, its exposures and one issue that flags the bypass', async () => {
    mockAlert(gh, first, alertFirst);
    mockLocations(gh, 3, [
      commitLocation({ path: '/config/.env', line: 4, column: 16, commitSha: C1, blobSha: BLOB }),
      issueCommentLocation(REPO, 1081119451, 12),
    ]);
    const issues = mockIssueOpenings(gh, repo, { defaultBranch: BRANCH, sha: C1 });

    const result = await app.deliver(
      'secret_scanning_alert',
      alertWebhook('created', REPO, first),
      'alert-1',
    );

    expect(result).toEqual({ completed: 2, failed: 0 });
    gh.assertDone();
    expect(await credentialOf(alertFirst)).toMatchObject({
      rule_id: 'openai.project-key',
      state: 'notified',
      issue_number: 1,
    });
    const { rows: exposures } = await app.db.query(
      'SELECT repo, commit_sha, path, line, col, blob_sha, source FROM exposures',
    );
    expect(exposures).toEqual([
      { repo: FULL, commit_sha: C1, path: 'config/.env', line: 4, col: 16, blob_sha: BLOB, source: 'alert' },
    ]);
    const { rows: alerts } = await app.db.query(
      `SELECT repo, number, secret_type, state, push_protection_bypassed, push_protection_bypassed_by, validity
         FROM alerts`,
    );
    expect(alerts).toEqual([
      {
        repo: FULL,
        number: 3,
        secret_type: 'openai_api_key',
        state: 'open',
        push_protection_bypassed: true,
        push_protection_bypassed_by: 'mallory',
        validity: 'active',
      },
    ]);
    expect(await count('alert_locations')).toBe(1);
    const { rows: detected } = await app.db.query<{ data: Record<string, unknown> }>(
      `SELECT data FROM events WHERE kind = 'detected'`,
    );
    expect(detected[0]!.data).toMatchObject({ source: 'alert', repo: FULL, alert: 3 });
    expect(issues.bodies).toHaveLength(1);
    issueBody = (issues.bodies[0] as { body: string }).body;
    expect(issueBody).toContain('### GitHub secret scanning');
    expect(issueBody).toContain('**Push protection was bypassed** by @mallory');
    expect(issueBody).toContain(`[#3](https://github.com/${FULL}/security/secret-scanning/3)`);
    expect(issueBody).toContain(
      `issue comment: <https://github.com/${FULL}/issues/12#issuecomment-1081119451>`,
    );
    expect(issueBody).toContain(`/blob/${C1}/config/.env#L4`);
    expect(requestsContaining(gh, alertFirst)).toEqual([]);
  });

  it('a redelivered alert webhook changes nothing and asks GitHub nothing', async () => {
    const result = await app.deliver(
      'secret_scanning_alert',
      alertWebhook('created', REPO, first),
      'alert-1',
    );

    expect(result).toEqual({ completed: 0, failed: 0 });
    expect(gh.recordedRequests()).toEqual([]);
  });

  it('an alert of a secret type keywarden does not govern is ignored, with no job', async () => {
    const payload = alertWebhook('created', REPO, { number: 9, secretType: 'adafruit_io_key' });

    const result = await app.deliver('secret_scanning_alert', payload, 'alert-not-ai');

    expect(result).toEqual({ completed: 0, failed: 0 });
    expect(gh.recordedRequests()).toEqual([]);
    expect(await count('alerts')).toBe(1);
  });

  it('the key of an alert pushed later is the same credential: its one issue gets the push location', async () => {
    mockPushScan(gh, PUSH_1, alertFirst, 61);
    mockCodeowners(gh, repo, PUSH_1);
    const { updated, comments } = mockIssueRefresh(gh, 1, issueBody);

    const result = await app.deliver('push', pushPayload(PUSH_1), 'alert-push-1');

    expect(result).toEqual({ completed: 2, failed: 0 });
    gh.assertDone();
    expect(await count('credentials')).toBe(1);
    expect(gh.recordedRequests().filter((r) => r.method === 'POST' && r.path === `${API}/issues`)).toEqual(
      [],
    );
    expect((comments.bodies[0] as { body: string }).body).toContain('app/settings.py:2');
    expect((updated.bodies[0] as { body: string }).body).toContain('### GitHub secret scanning');
    expect(requestsContaining(gh, alertFirst)).toEqual([]);
  });

  it('an alert about a key already pushed joins its credential: one issue, told of the alert', async () => {
    const issues = mockIssueOpenings(gh, repo, { defaultBranch: BRANCH, sha: PUSH_2, firstNumber: 2 });
    mockPushScan(gh, PUSH_2, pushFirst, 62);
    await app.deliver('push', pushPayload(PUSH_2), 'alert-push-2');
    gh.assertDone();
    expect(issues.bodies).toHaveLength(1);
    gh.restore();
    gh = githubMock();
    mockInstallationToken(gh, 1);
    mockAlert(gh, second, pushFirst);
    mockLocations(gh, 5, [
      commitLocation({ path: 'app/settings.py', line: 2, commitSha: PUSH_2, blobSha: BLOB }),
    ]);
    const { updated, comments } = mockIssueRefresh(gh, 2, (issues.bodies[0] as { body: string }).body);

    const result = await app.deliver(
      'secret_scanning_alert',
      alertWebhook('created', REPO, second),
      'alert-2',
    );

    expect(result).toEqual({ completed: 1, failed: 0 });
    gh.assertDone();
    expect(await credentialOf(pushFirst)).toMatchObject({ issue_number: 2, state: 'notified' });
    expect(await count('credentials')).toBe(2);
    const { rows } = await app.db.query(
      `SELECT e.source FROM exposures e JOIN credentials c ON c.id = e.credential_id WHERE c.fingerprint = $1`,
      [fingerprint(pushFirst, TEST_FINGERPRINT_KEY)],
    );
    expect(rows).toEqual([{ source: 'push' }]);
    expect((updated.bodies[0] as { body: string }).body).toContain(
      `[#5](https://github.com/${FULL}/security/secret-scanning/5)`,
    );
    expect((comments.bodies[0] as { body: string }).body).toContain(
      'GitHub secret scanning also reported this credential: alert [#5]',
    );
    expect(requestsContaining(gh, pushFirst)).toEqual([]);
  });

  it('a new location of an alert adds an exposure, announced on the issue', async () => {
    const located: AlertFacts = { ...first, updatedAt: '2025-03-03T10:00:00Z' };
    mockAlert(gh, located, alertFirst);
    mockLocations(gh, 3, [
      commitLocation({ path: '/config/.env', line: 4, column: 16, commitSha: C1, blobSha: BLOB }),
      issueCommentLocation(REPO, 1081119451, 12),
      commitLocation({ path: 'docs/setup.md', line: 9, commitSha: C2, blobSha: BLOB }),
    ]);
    mockCodeowners(gh, repo, C2);
    const { comments } = mockIssueRefresh(gh, 1, issueBody);
    const payload = alertLocationWebhook(
      REPO,
      located,
      commitLocation({ path: 'docs/setup.md', line: 9, commitSha: C2, blobSha: BLOB }),
    );

    const result = await app.deliver('secret_scanning_alert_location', payload, 'alert-location-1');

    expect(result).toEqual({ completed: 2, failed: 0 });
    gh.assertDone();
    const { rows } = await app.db.query(`SELECT path, line, source FROM exposures WHERE commit_sha = $1`, [
      C2,
    ]);
    expect(rows).toEqual([{ path: 'docs/setup.md', line: 9, source: 'alert' }]);
    expect((comments.bodies[0] as { body: string }).body).toContain('docs/setup.md:9');
    Object.assign(first, located);
  });

  it('an alert resolved on GitHub is recorded and told on the issue, without moving the credential', async () => {
    const resolved: AlertFacts = {
      ...first,
      state: 'resolved',
      resolution: 'wont_fix',
      resolvedBy: 'octocat',
      updatedAt: '2025-03-04T10:00:00Z',
    };
    mockAlert(gh, resolved, alertFirst);
    const { updated, comments } = mockIssueRefresh(gh, 1, issueBody);

    const result = await app.deliver(
      'secret_scanning_alert',
      alertWebhook('resolved', REPO, resolved, { sender: 'octocat' }),
      'alert-resolved-1',
    );

    expect(result).toEqual({ completed: 1, failed: 0 });
    gh.assertDone();
    const comment = (comments.bodies[0] as { body: string }).body;
    expect(comment).toContain(
      `alert [#3](https://github.com/${FULL}/security/secret-scanning/3) in \`${FULL}\` was resolved as **won't fix** by @octocat`,
    );
    expect(comment).toContain("does not change the credential's state (`notified`)");
    expect((updated.bodies[0] as { body: string }).body).toContain('resolved as wont fix by @octocat');
    const { rows } = await app.db.query<{ actor: string; data: Record<string, unknown> }>(
      `SELECT actor, data FROM events WHERE kind = 'alert:resolved'`,
    );
    expect(rows).toEqual([
      {
        actor: 'octocat',
        data: expect.objectContaining({ number: 3, resolution: 'wont_fix', by: 'octocat', notice: 'posted' }),
      },
    ]);
    expect((await credentialOf(alertFirst))?.state).toBe('notified');
    Object.assign(first, resolved);
  });

  it('a notice whose comment failed is posted once, on the retry', async () => {
    const reopened: AlertFacts = {
      ...first,
      state: 'open',
      resolution: null,
      resolvedBy: null,
      updatedAt: '2025-03-04T12:00:00Z',
    };
    for (let attempt = 0; attempt < 2; attempt++) {
      mockAlert(gh, reopened, alertFirst);
      mockLocations(gh, 3, [
        commitLocation({ path: '/config/.env', line: 4, column: 16, commitSha: C1, blobSha: BLOB }),
      ]);
      mockGetIssue(gh, repo, issueReply(1, { body: issueBody }));
      mockRepository(gh, repo, { defaultBranch: BRANCH });
      mockUpdateIssue(gh, repo, 1, { bodies: [] });
    }
    gh.api.post(`${API}/issues/1/comments`).reply(502, { message: 'Bad Gateway' });
    const comments: Captured = { bodies: [] };
    mockComment(gh, repo, 1, comments);

    const result = await app.deliver(
      'secret_scanning_alert',
      alertWebhook('reopened', REPO, reopened),
      'alert-reopened-1',
    );

    expect(result).toEqual({ completed: 1, failed: 0 });
    gh.assertDone();
    expect(comments.bodies).toEqual([
      expect.objectContaining({ body: expect.stringContaining('alert [#3]') }),
    ]);
    expect((comments.bodies[0] as { body: string }).body).toContain('was reopened');
    const { rows } = await app.db.query<{ data: Record<string, unknown> }>(
      `SELECT data FROM events WHERE kind = 'alert:reopened'`,
    );
    expect(rows.map((row) => row.data['notice'])).toEqual(['posted']);
    Object.assign(first, reopened);
  });

  it('an alert GitHub found publicly leaked is recorded, told, and flagged in the issue', async () => {
    const leaked: AlertFacts = { ...second, publiclyLeaked: true, updatedAt: '2025-03-05T10:00:00Z' };
    mockAlert(gh, leaked, pushFirst);
    const { updated, comments } = mockIssueRefresh(gh, 2, 'old');

    const result = await app.deliver(
      'secret_scanning_alert',
      alertWebhook('publicly_leaked', REPO, leaked),
      'alert-leaked-1',
    );

    expect(result).toEqual({ completed: 1, failed: 0 });
    gh.assertDone();
    expect((comments.bodies[0] as { body: string }).body).toContain(
      '**GitHub found this secret leaked in public**',
    );
    expect((updated.bodies[0] as { body: string }).body).toContain('> [!CAUTION]');
    expect(await count(`events WHERE kind = 'alert:publicly-leaked'`)).toBe(1);
    Object.assign(second, leaked);
  });

  it('the sweep pages an organisation by cursor, syncs what changed, then gets a 304', async () => {
    const third: AlertFacts = { number: 11, secretType: 'openai_api_key', createdAt: '2025-03-06T10:00:00Z' };
    const installation = openapiExample<Array<Record<string, unknown>>>('GET', '/app/installations')[0]!;
    const orgInstallation = {
      ...installation,
      id: 1,
      target_type: 'Organization',
      suspended_at: null,
      account: { ...(installation['account'] as object), login: REPO.owner },
    };
    gh.api
      .get('/app/installations')
      .query({ per_page: 100 })
      .reply(200, [orgInstallation, { ...installation, id: 2, target_type: 'User', suspended_at: null }]);
    const query = { secret_type: sweepSecretTypes(), sort: 'updated', direction: 'desc', per_page: 100 };
    const orgAlerts = `/orgs/${REPO.owner}/secret-scanning/alerts`;
    const link = (after: string) =>
      `<https://api.github.com${orgAlerts}?per_page=100&after=${after}>; rel="next"`;
    gh.api
      .get(orgAlerts)
      .query({ ...query, after: '' })
      .reply(200, [orgAlertItem(REPO, third, swept)], { etag: 'W/"page-one"', link: link('cursor-2') });
    gh.api
      .get(orgAlerts)
      .query({ ...query, after: 'cursor-2' })
      .reply(200, [orgAlertItem(REPO, first, alertFirst)], { link: link('cursor-3') });
    gh.api
      .get(orgAlerts)
      .query({ ...query, after: 'cursor-3' })
      .reply(200, [orgAlertItem(REPO, second, pushFirst)]);
    mockLocations(gh, 11, [commitLocation({ path: 'ml/train.py', line: 7, commitSha: C2, blobSha: BLOB })]);
    const issues = mockIssueOpenings(gh, repo, { defaultBranch: BRANCH, sha: C2, firstNumber: 3 });
    await app.queue.send('sweep-alerts', {});

    const done = await app.queue.drain({ timeoutSeconds: 60 });

    gh.assertDone();
    expect(done.failed).toBe(0);
    expect(issues.bodies).toHaveLength(1);
    expect(await credentialOf(swept)).toMatchObject({ issue_number: 3 });
    const { rows: sweeps } = await app.db.query('SELECT org, etag FROM alert_sweeps');
    expect(sweeps).toEqual([{ org: REPO.owner.toLowerCase(), etag: 'W/"page-one"' }]);
    expect(requestsContaining(gh, swept)).toEqual([]);

    gh.restore();
    gh = githubMock();
    mockInstallationToken(gh, 1);
    gh.api.get('/app/installations').query({ per_page: 100 }).reply(200, [orgInstallation]);
    gh.api
      .get(orgAlerts)
      .query({ ...query, after: '' })
      .matchHeader('if-none-match', 'W/"page-one"')
      .reply(304);
    const before = await app.queue.drain();
    await app.queue.send('sweep-alerts', {});

    const again = await app.queue.drain({ timeoutSeconds: 60 });

    gh.assertDone();
    expect(again.completed - before.completed).toBe(2);
    expect(again.failed - before.failed).toBe(0);
    expect(app.logs().join('\n')).toContain('alert sweep: nothing changed since the last one');
  });

  it('false-positive resolves the open alerts; a 403 is recorded and said in the reply, never retried', async () => {
    const credential = await credentialOf(pushFirst);
    const credentialId = Number(credential!.id);
    const { secret: _dropped, ...facts } = parseAlert(alertResponse(REPO, sixth, pushFirst));
    await app.db.transaction((tx) =>
      saveAlert(tx, credentialId, { installationId: 1, repoId: REPO.id, repo: FULL }, facts),
    );
    const seeded = {
      id: credentialId,
      fingerprint: fingerprint(pushFirst, TEST_FINGERPRINT_KEY),
      secret: pushFirst,
      commitSha: PUSH_2,
      issueNumber: 2,
      rule,
    };
    mockConfig(gh, { securityTeam: true });
    // CODEOWNERS at PUSH_2 were read (and cached) when the push opened the issue.
    mockMembership(gh, SECURITY_TEAM, 'carol', true);
    const patched: Array<Record<string, unknown>> = [];
    gh.api
      .patch(`${API}/secret-scanning/alerts/5`, (body) => {
        patched.push(body);
        return true;
      })
      .reply(403, { message: 'Delegated alert dismissal is enabled: a reviewer must approve' });
    gh.api
      .patch(`${API}/secret-scanning/alerts/6`, (body) => {
        patched.push(body);
        return true;
      })
      .reply(
        200,
        updatedAlertResponse(
          REPO,
          {
            ...sixth,
            state: 'resolved',
            resolution: 'false_positive',
            resolvedBy: 'keywarden[bot]',
            resolutionComment: `keywarden: https://github.com/${FULL}/issues/2`,
          },
          pushFirst,
        ),
      );
    const sent: Sent = { patches: [], comments: [] };
    mockRefresh(gh, seeded, sent);

    const result = await app.deliver(
      'issue_comment',
      commentPayload(seeded, '/keywarden false-positive the docs sample key', 'carol'),
      'alert-command-1',
    );

    expect(result).toEqual({ completed: 1, failed: 0 });
    gh.assertDone();
    expect(patched).toEqual([
      {
        state: 'resolved',
        resolution: 'false_positive',
        resolution_comment: `keywarden: https://github.com/${FULL}/issues/2`,
      },
      {
        state: 'resolved',
        resolution: 'false_positive',
        resolution_comment: `keywarden: https://github.com/${FULL}/issues/2`,
      },
    ]);
    expect(sent.comments).toHaveLength(1);
    expect(sent.comments[0]).toContain(
      `GitHub secret scanning alert [#5](https://github.com/${FULL}/security/secret-scanning/5) in \`${FULL}\` could not be resolved by keywarden (GitHub answered 403`,
    );
    expect(sent.comments[0]).not.toContain('[#6]');
    const { rows } = await app.db.query<{ kind: string; data: Record<string, unknown> }>(
      `SELECT kind, data FROM events WHERE kind IN ('alert:resolve-refused', 'alert:resolved-by-keywarden') ORDER BY id`,
    );
    expect(rows).toEqual([
      {
        kind: 'alert:resolve-refused',
        data: expect.objectContaining({ number: 5, status: 403, resolution: 'false_positive' }),
      },
      {
        kind: 'alert:resolved-by-keywarden',
        data: expect.objectContaining({ number: 6, resolution: 'false_positive' }),
      },
    ]);
    const { rows: alerts } = await app.db.query(
      'SELECT number, state, resolution FROM alerts WHERE number IN (5, 6) ORDER BY number',
    );
    expect(alerts).toEqual([
      { number: 5, state: 'open', resolution: null },
      { number: 6, state: 'resolved', resolution: 'false_positive' },
    ]);
    expect(requestsContaining(gh, pushFirst)).toEqual([]);
  });

  it('a key GitHub saw only outside the code still gets its one issue, in the alert repository', async () => {
    const ninth: AlertFacts = { number: 9, secretType: 'openai_api_key', createdAt: '2025-03-09T10:00:00Z' };
    mockAlert(gh, ninth, outsideOnly);
    mockLocations(gh, 9, [issueCommentLocation(REPO, 1081119999, 14)]);
    const issues = mockIssueOpenings(gh, repo, { defaultBranch: BRANCH, sha: C1, firstNumber: 30 });

    const result = await app.deliver(
      'secret_scanning_alert',
      alertWebhook('created', REPO, ninth),
      'alert-9',
    );

    expect(result).toEqual({ completed: 2, failed: 0 });
    gh.assertDone();
    expect(await credentialOf(outsideOnly)).toMatchObject({ state: 'notified', issue_number: 30 });
    const { rows } = await app.db.query(
      `SELECT count(*)::int AS n FROM exposures e JOIN credentials c ON c.id = e.credential_id
        WHERE c.fingerprint = $1`,
      [fingerprint(outsideOnly, TEST_FINGERPRINT_KEY)],
    );
    expect(rows).toEqual([{ n: 0 }]);
    expect(issues.bodies).toHaveLength(1);
    const body = (issues.bodies[0] as { body: string }).body;
    expect(body).toContain(`GitHub secret scanning found one in \`${FULL}\`, outside the code`);
    expect(body).toContain('No commit holds it');
    expect(body).toContain(`issue comment: <https://github.com/${FULL}/issues/14#issuecomment-1081119999>`);
    expect(requestsContaining(gh, outsideOnly)).toEqual([]);
  });

  it('an alert first met already resolved on GitHub is inventoried, but opens no issue', async () => {
    const resolvedAlert: AlertFacts = {
      number: 41,
      secretType: 'openai_api_key',
      state: 'resolved',
      resolution: 'revoked',
      resolvedBy: 'octocat',
      createdAt: '2025-01-11T10:00:00Z',
      updatedAt: '2025-01-12T10:00:00Z',
    };
    mockAlert(gh, resolvedAlert, resolvedFirst);
    mockLocations(gh, 41, [commitLocation({ path: 'old/.env', line: 2, commitSha: C2, blobSha: BLOB })]);

    const result = await app.deliver(
      'secret_scanning_alert',
      alertWebhook('resolved', REPO, resolvedAlert),
      'alert-41',
    );

    expect(result).toEqual({ completed: 1, failed: 0 });
    gh.assertDone();
    expect(await credentialOf(resolvedFirst)).toMatchObject({ state: 'detected', issue_number: null });
    const { rows } = await app.db.query(
      `SELECT e.path, e.source, a.state, a.resolution FROM exposures e
         JOIN credentials c ON c.id = e.credential_id JOIN alerts a ON a.credential_id = c.id
        WHERE c.fingerprint = $1`,
      [fingerprint(resolvedFirst, TEST_FINGERPRINT_KEY)],
    );
    expect(rows).toEqual([{ path: 'old/.env', source: 'alert', state: 'resolved', resolution: 'revoked' }]);
  });

  it('never lets a planted key into the database or the logs', async () => {
    const dump = await databaseDump(app.db);
    const logs = app.logs().join('\n');

    for (const key of KEYS) {
      expect(dump).not.toContain(key);
      expect(logs).not.toContain(key);
    }
    expect(logs).toContain('alert synced');
  });
});
