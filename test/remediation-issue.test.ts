import type { ProbotOctokit } from 'probot';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { scanText } from '../src/engine/scan.js';
import type { Database } from '../src/inventory/database.js';
import { credentialsToAnnounce } from '../src/inventory/issues.js';
import { recordFindings } from '../src/inventory/store.js';
import { openTestDatabase, testBackends } from '../src/inventory/testing.js';
import { type EnsureIssueDeps, ensureIssue, refreshIssue } from '../src/remediation/ensure-issue.js';
import { CLASS_RISK, credentialMarker, issueBody } from '../src/remediation/issue-body.js';
import { transition } from '../src/remediation/lifecycle.js';
import { allRules } from '../src/rules/registry.js';
import {
  captureLog,
  type GithubMock,
  githubMock,
  installationOctokit,
  requestsContaining,
} from './support/github.js';
import { openapiExample } from './support/openapi.js';
import {
  type Captured,
  issueReply,
  mockAssignable,
  mockCodeowners,
  mockComment,
  mockCreateIssue,
  mockGetIssue,
  mockIssueSearch,
  mockNoRepoConfig,
  mockRepoConfig,
  mockRepository,
  mockUpdateIssue,
} from './support/remediation.js';

/**
 * `ensureIssue` and `refreshIssue` against a sealed, OpenAPI-checked GitHub mock and a real database: one
 * issue per credential, its body, labels and assignees, new locations as comments, reopening, the
 * concurrency of two jobs, and a restored database finding its issue by the marker.
 */

const rule = allRules.find((candidate) => candidate.id === 'openai.project-key')!;
const FINGERPRINT_KEY = 'remediation-test-fingerprint-key';
const repo = { owner: 'acme', repo: 'app' };
const REPO_ID = 4242;
const sha = (n: number) => `${n}`.repeat(40).slice(0, 40);

interface Planted {
  key: string;
  credentialId: number;
  fingerprint: string;
  redacted: string;
}

/** Records `key` (a fresh one for `seed` when not given) at `path:2` of commit `commitSha`. */
async function plant(
  db: Database,
  seed: string,
  path: string,
  commitSha: string,
  key = rule.sample(seed),
): Promise<Planted> {
  const findings = scanText(`import os\nOPENAI_API_KEY = "${key}"\n`, [rule], {
    path,
    fingerprintKey: FINGERPRINT_KEY,
  });
  expect(findings.map((f) => f.line)).toEqual([2]);
  await recordFindings(
    db,
    findings,
    { repoId: REPO_ID, repo: 'acme/app', commitSha, source: 'push', ref: 'refs/heads/main' },
    'alice',
  );
  const [credentialId] = await credentialsToAnnounce(db, { repoId: REPO_ID, commitSha });
  return {
    key,
    credentialId: credentialId!,
    fingerprint: findings[0]!.fingerprint,
    redacted: findings[0]!.redacted,
  };
}

function teamMembers(logins: string[]) {
  const user = openapiExample<Array<Record<string, unknown>>>(
    'GET',
    '/orgs/{org}/teams/{team_slug}/members',
  )[0];
  return logins.map((login) => ({ ...user, login, type: 'User' }));
}

/** Everything a new credential's issue costs, for a private repository without config. */
function mockOpening(gh: GithubMock, commitSha: string, number: number, created: Captured): void {
  mockRepository(gh, repo);
  mockNoRepoConfig(gh, repo, 'main');
  mockIssueSearch(gh, repo, []);
  mockCodeowners(gh, repo, commitSha, '# owners\n* @acme/platform\napp/ @alice @acme/backend\n');
  gh.api
    .get('/orgs/acme/teams/backend/members')
    .query({ per_page: 100 })
    .reply(200, teamMembers(['bob']));
  mockAssignable(gh, repo, ['alice', 'bob']);
  mockCreateIssue(gh, repo, number, created);
}

async function row(db: Database, id: number) {
  const { rows } = await db.query<{ state: string; issue_repo: string | null; issue_number: number | null }>(
    'SELECT state, issue_repo, issue_number FROM credentials WHERE id = $1',
    [id],
  );
  return rows[0];
}

async function unnotified(db: Database, id: number): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM exposures WHERE credential_id = $1 AND notified_at IS NULL',
    [id],
  );
  return rows[0]!.n;
}

describe.each(testBackends())('remediation issue on %s', (backend) => {
  let db: Database;
  let gh: GithubMock;
  let octokit: ProbotOctokit;
  let deps: EnsureIssueDeps;
  let log: ReturnType<typeof captureLog>;

  beforeAll(async () => {
    db = await openTestDatabase(backend);
  });
  afterAll(() => db.close());
  beforeEach(async () => {
    gh = githubMock();
    octokit = await installationOctokit(gh);
    log = captureLog();
    deps = { db, log: log.logger, rules: allRules, codeowners: new Map() };
  });
  afterEach(() => gh.restore());

  describe('one credential, leaking again and again', () => {
    let planted: Planted;
    let openedBody = '';

    it('opens one issue for a planted key: title, body, labels, CODEOWNERS assignees, never the key', async () => {
      planted = await plant(db, 'remediation-main', 'app/settings.py', sha(1));
      const created: Captured = { bodies: [] };
      mockOpening(gh, sha(1), 7, created);

      const outcome = await ensureIssue(octokit, deps, planted.credentialId, 'job-1');

      gh.assertDone();
      expect(outcome).toEqual({ repo, number: 7, action: 'created', verify: false });
      expect(created.bodies).toHaveLength(1);
      const issue = created.bodies[0] as {
        title: string;
        body: string;
        labels: string[];
        assignees: string[];
      };
      expect(issue.title).toBe(`Leaked OpenAI project API key ${planted.redacted} in acme/app`);
      expect(issue.labels).toEqual(['keywarden', 'provider:openai', 'severity:high', 'state:notified']);
      expect(issue.assignees).toEqual(['alice', 'bob']);
      expect(issue.body).toContain(credentialMarker(planted.fingerprint));
      expect(issue.body).toContain(`| Preview | \`${planted.redacted}\``);
      expect(issue.body).toContain(CLASS_RISK['model-api']);
      expect(issue.body).toContain(`https://github.com/acme/app/blob/${sha(1)}/app/settings.py#L2`);
      expect(issue.body).toContain('https://platform.openai.com/api-keys');
      expect(issue.body).toContain('Owning teams: @acme/backend.');
      expect(issue.body).toContain('`/keywarden false-positive <reason>`');
      expect(issue.body).not.toContain(planted.key);
      expect(requestsContaining(gh, planted.key)).toEqual([]);
      expect(log.lines().join('\n')).not.toContain(planted.key);
      expect(await row(db, planted.credentialId)).toEqual({
        state: 'notified',
        issue_repo: 'acme/app',
        issue_number: 7,
      });
      expect(await unnotified(db, planted.credentialId)).toBe(0);
      const { rows: events } = await db.query<{ kind: string }>(
        'SELECT kind FROM events WHERE credential_id = $1 ORDER BY id',
        [planted.credentialId],
      );
      expect(events.map((e) => e.kind)).toEqual(['detected', 'assigned', 'issue-opened', 'state:notified']);
      openedBody = issue.body;
    });

    it('does nothing, and asks GitHub nothing, when run again', async () => {
      const outcome = await ensureIssue(octokit, deps, planted.credentialId, 'job-2');

      expect(outcome).toEqual({ repo, number: 7, action: 'unchanged' });
      expect(gh.recordedRequests()).toEqual([]);
    });

    it('updates the same issue and adds one comment for a new exposure in another file', async () => {
      await plant(db, 'unused', 'config/dev.env', sha(2), planted.key);
      const updated: Captured = { bodies: [] };
      const comments: Captured = { bodies: [] };
      mockCodeowners(gh, repo, sha(2), 'config/ @carol\n');
      mockAssignable(gh, repo, ['carol']);
      mockGetIssue(gh, repo, issueReply(7, { body: openedBody, labels: [], assignees: [] }));
      mockRepository(gh, repo);
      mockUpdateIssue(gh, repo, 7, updated);
      mockComment(gh, repo, 7, comments);

      const outcome = await ensureIssue(octokit, deps, planted.credentialId, 'job-3');

      gh.assertDone();
      expect(outcome).toEqual({ repo, number: 7, action: 'updated' });
      expect(gh.recordedRequests().filter((r) => r.method === 'POST' && r.path.endsWith('/issues'))).toEqual(
        [],
      );
      const change = updated.bodies[0] as { body: string; assignees: string[]; labels: string[] };
      expect(change.body).toContain(`/blob/${sha(1)}/app/settings.py#L2`);
      expect(change.body).toContain(`/blob/${sha(2)}/config/dev.env#L2`);
      expect(change.assignees).toEqual(['carol']);
      expect(change.labels).toEqual(['keywarden', 'provider:openai', 'severity:high', 'state:notified']);
      expect(comments.bodies).toHaveLength(1);
      const comment = (comments.bodies[0] as { body: string }).body;
      expect(comment).toContain('**This credential was found again** (1 new location)');
      expect(comment).toContain(`/blob/${sha(2)}/config/dev.env#L2`);
      expect(comment).not.toContain('app/settings.py');
      expect(comment).toContain('@carol');
      expect(requestsContaining(gh, planted.key)).toEqual([]);
      expect(await unnotified(db, planted.credentialId)).toBe(0);
    });

    it('reopens an issue closed as completed when the credential leaks again', async () => {
      await plant(db, 'unused', 'scripts/run.py', sha(3), planted.key);
      const updated: Captured = { bodies: [] };
      const comments: Captured = { bodies: [] };
      mockCodeowners(gh, repo, sha(3));
      mockGetIssue(
        gh,
        repo,
        issueReply(7, { state: 'closed', state_reason: 'completed', body: openedBody, labels: [] }),
      );
      mockRepository(gh, repo);
      mockUpdateIssue(gh, repo, 7, updated);
      mockComment(gh, repo, 7, comments);

      const outcome = await ensureIssue(octokit, deps, planted.credentialId, 'job-4');

      gh.assertDone();
      expect(outcome).toEqual({ repo, number: 7, action: 'reopened' });
      expect(updated.bodies[0]).toMatchObject({ state: 'open', state_reason: 'reopened' });
      expect((comments.bodies[0] as { body: string }).body).toContain(
        '**Reopened: this credential leaked again**',
      );
      expect((comments.bodies[0] as { body: string }).body).toContain('scripts/run.py');
    });

    it('brings a false positive back to notified and reopens its issue when it leaks elsewhere', async () => {
      await transition(db, planted.credentialId, 'false-positive', { actor: 'alice', reason: 'sample' });
      await plant(db, 'unused', 'docs/setup.md', sha(4), planted.key);
      const updated: Captured = { bodies: [] };
      mockCodeowners(gh, repo, sha(4));
      mockGetIssue(
        gh,
        repo,
        issueReply(7, { state: 'closed', state_reason: 'not_planned', body: openedBody, labels: [] }),
      );
      mockRepository(gh, repo);
      mockUpdateIssue(gh, repo, 7, updated);
      mockComment(gh, repo, 7, { bodies: [] });

      const outcome = await ensureIssue(octokit, deps, planted.credentialId, 'job-5');

      gh.assertDone();
      expect(outcome.action).toBe('reopened');
      expect(updated.bodies[0]).toMatchObject({ state: 'open', state_reason: 'reopened' });
      expect((await row(db, planted.credentialId))?.state).toBe('notified');
    });

    it('refreshes the body and labels after a transition, comments, and closes a terminal state', async () => {
      await transition(db, planted.credentialId, 'test-credential', { actor: 'alice', reason: 'fixture' });
      const updated: Captured = { bodies: [] };
      const comments: Captured = { bodies: [] };
      mockGetIssue(
        gh,
        repo,
        issueReply(7, {
          body: openedBody,
          labels: [{ name: 'state:notified' }, { name: 'overdue' }, { name: 'keywarden' }],
        }),
      );
      mockRepository(gh, repo, { visibility: 'public' });
      mockUpdateIssue(gh, repo, 7, updated);
      mockComment(gh, repo, 7, comments);

      const result = await refreshIssue(octokit, db, planted.credentialId, { comment: 'Marked by @alice.' });

      gh.assertDone();
      expect(result).toEqual({ repo, number: 7 });
      const change = updated.bodies[0] as Record<string, unknown>;
      expect(change).toMatchObject({ state: 'closed', state_reason: 'not_planned' });
      expect(change['labels']).toEqual([
        'overdue',
        'keywarden',
        'provider:openai',
        'severity:high',
        'state:test-credential',
      ]);
      expect(change['body']).toContain('### State: `test-credential`');
      expect(change['body']).toContain('**`acme/app` is public: treat the history as compromised.**');
      expect(comments.bodies).toEqual([{ body: 'Marked by @alice.' }]);
    });
  });

  it('opens the issue in the configured security repository, assigned to the security team as fallback', async () => {
    const planted = await plant(db, 'remediation-central', 'app/central.py', sha(8));
    const security = { owner: 'acme', repo: 'security' };
    const created: Captured = { bodies: [] };
    mockRepository(gh, repo);
    mockRepoConfig(
      gh,
      repo,
      'main',
      'issues:\n  repository: acme/security\n  securityTeam: "@acme/sec"\n  labels: [security]\n',
    );
    mockIssueSearch(gh, security, []);
    mockCodeowners(gh, repo, sha(8), '* @alice\n');
    gh.api.get('/repos/acme/security/assignees/alice').reply(404, { message: 'Not Found' });
    gh.api
      .get('/orgs/acme/teams/sec/members')
      .query({ per_page: 100 })
      .reply(200, teamMembers(['sam']));
    mockAssignable(gh, security, ['sam']);
    mockCreateIssue(gh, security, 40, created);

    const outcome = await ensureIssue(octokit, deps, planted.credentialId, 'job-central');

    gh.assertDone();
    expect(outcome).toEqual({ repo: security, number: 40, action: 'created', verify: true });
    const issue = created.bodies[0] as { body: string; labels: string[]; assignees: string[] };
    expect(issue.assignees).toEqual(['sam']);
    expect(issue.labels).toEqual([
      'keywarden',
      'provider:openai',
      'severity:high',
      'state:notified',
      'security',
    ]);
    expect(issue.body).toContain(
      'Assigned to @sam (the security team: no CODEOWNER of the exposed paths could be assigned).',
    );
    expect(issue.body).toContain('> @alice cannot be assigned in acme/security (no access to it).');
    expect(issue.body).toContain('a member of @acme/sec (the security team)');
    expect(issue.body).toContain(`https://github.com/acme/app/blob/${sha(8)}/app/central.py#L2`);
    expect(await row(db, planted.credentialId)).toEqual({
      state: 'notified',
      issue_repo: 'acme/security',
      issue_number: 40,
    });
  });

  it('opens one issue when two jobs remediate the same credential at once', async () => {
    const planted = await plant(db, 'remediation-race', 'app/race.py', sha(5));
    const created: Captured = { bodies: [] };
    mockOpening(gh, sha(5), 8, created);

    const outcomes = await Promise.all([
      ensureIssue(octokit, deps, planted.credentialId, 'job-a'),
      ensureIssue(octokit, deps, planted.credentialId, 'job-b'),
    ]);

    gh.assertDone();
    expect(created.bodies).toHaveLength(1);
    expect(outcomes.map((o) => o.action).sort()).toEqual(['created', 'unchanged']);
    expect(outcomes.map((o) => o.number)).toEqual([8, 8]);
    expect(await row(db, planted.credentialId)).toMatchObject({ issue_number: 8 });
  });

  it('finds its issue by the marker when the database lost the issue number', async () => {
    const planted = await plant(db, 'remediation-restored', 'app/restored.py', sha(6));
    // The issue opened before the backup was restored: same marker, same location.
    const existingBody = issueBody(
      {
        fingerprint: planted.fingerprint,
        provider: 'openai',
        ruleId: rule.id,
        title: rule.title,
        class: rule.class,
        severity: rule.severity,
        redacted: planted.redacted,
        state: 'notified',
        firstSeen: new Date('2026-01-01T00:00:00Z'),
      },
      [{ repo: 'acme/app', commitSha: sha(6), path: 'app/restored.py', line: 2, source: 'push' }],
      { assignees: [], teams: [], notes: [] },
      { htmlBase: 'https://github.com', visibility: new Map() },
    );
    const updated: Captured = { bodies: [] };
    mockRepository(gh, repo, { times: 2 });
    mockNoRepoConfig(gh, repo, 'main');
    mockIssueSearch(gh, repo, [
      issueReply(3, { body: 'an unrelated issue' }),
      issueReply(12, { body: existingBody, labels: [{ name: 'keywarden' }] }),
    ]);
    mockCodeowners(gh, repo, sha(6));
    mockUpdateIssue(gh, repo, 12, updated);

    const outcome = await ensureIssue(octokit, deps, planted.credentialId, 'job-restored');

    gh.assertDone();
    expect(outcome).toEqual({ repo, number: 12, action: 'updated' });
    expect(gh.recordedRequests().filter((r) => r.method === 'POST')).toEqual([
      expect.objectContaining({ path: '/app/installations/1/access_tokens' }),
    ]);
    expect(await row(db, planted.credentialId)).toEqual({
      state: 'notified',
      issue_repo: 'acme/app',
      issue_number: 12,
    });
    expect(updated.bodies[0]).toMatchObject({
      labels: ['keywarden', 'provider:openai', 'severity:high', 'state:notified'],
    });
  });

  it('keeps the exposures to announce when GitHub fails, and announces them on the retry', async () => {
    const planted = await plant(db, 'remediation-retry', 'app/retry.py', sha(7));
    mockRepository(gh, repo);
    mockNoRepoConfig(gh, repo, 'main');
    mockIssueSearch(gh, repo, []);
    mockCodeowners(gh, repo, sha(7));
    gh.api.get('/repos/acme/app/collaborators').query({ permission: 'admin', per_page: 100 }).reply(200, []);
    gh.api.post('/repos/acme/app/issues').reply(502, { message: 'Server Error' });

    await expect(ensureIssue(octokit, deps, planted.credentialId, 'job-retry')).rejects.toMatchObject({
      status: 502,
    });
    const afterFailure = {
      row: await row(db, planted.credentialId),
      unnotified: await unnotified(db, planted.credentialId),
    };
    gh.assertDone();
    gh.restore();
    gh = githubMock();
    const created: Captured = { bodies: [] };
    mockRepository(gh, repo);
    mockNoRepoConfig(gh, repo, 'main');
    mockIssueSearch(gh, repo, []);
    // CODEOWNERS at this commit is cached from the first attempt.
    gh.api.get('/repos/acme/app/collaborators').query({ permission: 'admin', per_page: 100 }).reply(200, []);
    mockCreateIssue(gh, repo, 9, created);
    const retried = await ensureIssue(octokit, deps, planted.credentialId, 'job-retry');

    expect(afterFailure).toEqual({
      row: { state: 'detected', issue_repo: null, issue_number: null },
      unnotified: 1,
    });
    gh.assertDone();
    expect(retried).toEqual({ repo, number: 9, action: 'created', verify: false });
    expect(await unnotified(db, planted.credentialId)).toBe(0);
    expect((created.bodies[0] as { body: string }).body).toContain('Nobody could be assigned');
  });
});
