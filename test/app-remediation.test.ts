import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fingerprint } from '../src/engine/fingerprint.js';
import { testBackends } from '../src/inventory/testing.js';
import { credentialMarker } from '../src/remediation/issue-body.js';
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
  mockRepository,
  mockUpdateIssue,
} from './support/remediation.js';

/**
 * Remediation end to end: a real `push` payload in through Probot, the scan job records the key and
 * enqueues the remediation job on the real queue, which opens the credential's one issue; a second push
 * of the same key in another file updates that issue and comments. Every GitHub request is mocked (the
 * network is sealed) and checked against GitHub's OpenAPI description; the raw key is searched for in
 * every request, the database and the logs.
 */

const key = allRules.find((rule) => rule.id === 'anthropic.api-key')!.sample('app-remediation');
const BEFORE = 'a10867b14bb761a232cd80139fbd4c0d33264240';
const SECOND = 'd40867b14bb761a232cd80139fbd4c0d33264243';

function pushPayload(after?: string) {
  const payload = webhookExample('push', (p) => 'installation' in p && p.ref === 'refs/heads/master');
  payload.before = BEFORE;
  payload.created = false;
  if (after) payload.after = after;
  return payload;
}

const payload = pushPayload();
const repo = { owner: payload.repository.owner!.login, repo: payload.repository.name };
const REPO = `/repos/${repo.owner}/${repo.repo}`;
const defaultBranch = payload.repository.default_branch;
const installationId = payload.installation!.id;

function comparison(after: string, filename: string, lines: string[]) {
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
        sha: '3f6a1b2c4d5e6f708192a3b4c5d6e7f8091a2b3c',
        patch: [`@@ -0,0 +1,${lines.length} @@`, ...lines.map((line) => `+${line}`)].join('\n'),
      },
    ],
  };
}

/** The scan of a push: config, compare, the check run. */
function mockScan(gh: GithubMock, after: string, filename: string, checkRunId: number): void {
  mockNoRepoConfig(gh, repo, defaultBranch);
  gh.api
    .get(`${REPO}/compare/${BEFORE}...${after}`)
    .reply(200, comparison(after, filename, ['# settings', `ANTHROPIC_API_KEY=${key}`]));
  gh.api
    .post(`${REPO}/check-runs`)
    .reply(201, { ...openapiExample('POST', '/repos/{owner}/{repo}/check-runs', '201'), id: checkRunId });
}

describe.each(testBackends())('remediation through the app on %s', (backend) => {
  let app: TestApp;
  let gh: GithubMock;
  let openedBody = '';

  beforeAll(async () => {
    app = await startTestApp(backend);
  });
  afterAll(() => app.close());
  beforeEach(() => {
    gh = githubMock();
  });
  afterEach(() => gh.restore());

  it('opens one issue for a key pushed to the default branch, assigned to its CODEOWNERS', async () => {
    mockInstallationToken(gh, installationId, { required: true });
    mockScan(gh, payload.after, 'service/.env', 51);
    mockRepository(gh, repo, { defaultBranch });
    mockNoRepoConfig(gh, repo, defaultBranch);
    mockIssueSearch(gh, repo, []);
    mockCodeowners(gh, repo, payload.after, 'service/ @octocat\n');
    mockAssignable(gh, repo, ['octocat']);
    const created: Captured = { bodies: [] };
    mockCreateIssue(gh, repo, 31, created);

    const result = await app.deliver('push', payload, 'delivery-remediation-1');

    expect(result).toEqual({ completed: 2, failed: 0 });
    gh.assertDone();
    expect(created.bodies).toHaveLength(1);
    const issue = created.bodies[0] as { title: string; body: string; labels: string[]; assignees: string[] };
    expect(issue.title).toMatch(/^Leaked Anthropic API key sk-ant-api03-…[A-Za-z0-9_-]{4} in /);
    expect(issue.labels).toEqual(['keywarden', 'provider:anthropic', 'severity:high', 'state:notified']);
    expect(issue.assignees).toEqual(['octocat']);
    expect(issue.body).toContain(credentialMarker(fingerprint(key, TEST_FINGERPRINT_KEY)));
    expect(issue.body).toContain(
      `https://github.com/${repo.owner}/${repo.repo}/blob/${payload.after}/service/.env#L2`,
    );
    const { rows } = await app.db.query('SELECT state, issue_repo, issue_number FROM credentials');
    expect(rows).toEqual([{ state: 'notified', issue_repo: `${repo.owner}/${repo.repo}`, issue_number: 31 }]);
    expect(requestsContaining(gh, key)).toEqual([]);
    expect(await databaseDump(app.db)).not.toContain(key);
    expect(app.logs().join('\n')).not.toContain(key);
    expect(app.logs().join('\n')).toContain('credential remediated');
    openedBody = issue.body;
  });

  it('a redelivered push changes nothing and asks GitHub nothing', async () => {
    const result = await app.deliver('push', payload, 'delivery-remediation-1');

    expect(result).toEqual({ completed: 0, failed: 0 });
    expect(gh.recordedRequests()).toEqual([]);
  });

  it('the same key pushed in another file updates the issue and comments, without a second issue', async () => {
    const second = pushPayload(SECOND);
    mockScan(gh, SECOND, 'worker/config.env', 52);
    mockCodeowners(gh, repo, SECOND);
    mockGetIssue(gh, repo, issueReply(31, { body: openedBody, labels: [], assignees: [] }));
    mockRepository(gh, repo, { defaultBranch });
    const updated: Captured = { bodies: [] };
    const comments: Captured = { bodies: [] };
    mockUpdateIssue(gh, repo, 31, updated);
    mockComment(gh, repo, 31, comments);

    const result = await app.deliver('push', second, 'delivery-remediation-2');

    expect(result).toEqual({ completed: 2, failed: 0 });
    gh.assertDone();
    expect(gh.recordedRequests().filter((r) => r.method === 'POST' && r.path === `${REPO}/issues`)).toEqual(
      [],
    );
    expect((updated.bodies[0] as { body: string }).body).toContain(`/blob/${SECOND}/worker/config.env#L2`);
    expect(comments.bodies).toHaveLength(1);
    expect((comments.bodies[0] as { body: string }).body).toContain('worker/config.env:2');
    const { rows } = await app.db.query<{ credentials: number; exposures: number; unnotified: number }>(
      `SELECT (SELECT count(*)::int FROM credentials) AS credentials,
              (SELECT count(*)::int FROM exposures) AS exposures,
              (SELECT count(*)::int FROM exposures WHERE notified_at IS NULL) AS unnotified`,
    );
    expect(rows).toEqual([{ credentials: 1, exposures: 2, unnotified: 0 }]);
    expect(requestsContaining(gh, key)).toEqual([]);
    expect(await databaseDump(app.db)).not.toContain(key);
    expect(app.logs().join('\n')).not.toContain(key);
  });
});
