import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fingerprint } from '../src/engine/fingerprint.js';
import { testBackends } from '../src/inventory/testing.js';
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
 * The GitHub App end to end: a real `push` payload in through Probot, the job on the real queue and
 * database, every GitHub request mocked with nock (network sealed) and checked against GitHub's OpenAPI
 * description, and the raw key searched for everywhere it must not be.
 */

const key = allRules.find((rule) => rule.id === 'openai.project-key')!.sample('app-push');
const BEFORE = 'a10867b14bb761a232cd80139fbd4c0d33264240';

/** The documented push example with an installation, on the default branch, as an update of `BEFORE`. */
function pushPayload() {
  const payload = webhookExample('push', (p) => 'installation' in p && p.ref === 'refs/heads/master');
  payload.before = BEFORE;
  payload.created = false;
  return payload;
}

const payload = pushPayload();
const { owner, name } = { owner: payload.repository.owner!.login, name: payload.repository.name };
const installationId = payload.installation!.id;
const REPO = `/repos/${owner}/${name}`;

function patchAdding(lines: string[]): string {
  return [`@@ -0,0 +1,${lines.length} @@`, ...lines.map((line) => `+${line}`)].join('\n');
}

function comparison(files: Array<{ filename: string; patch: string }>) {
  const example = openapiExample<{ files: Array<Record<string, unknown>> }>(
    'GET',
    '/repos/{owner}/{repo}/compare/{basehead}',
  );
  return {
    ...example,
    total_commits: 1,
    ahead_by: 1,
    commits: [{ ...(example as unknown as { commits: object[] }).commits[0], sha: payload.after }],
    files: files.map((file) => ({
      ...example.files[0],
      filename: file.filename,
      status: 'added',
      sha: '3f6a1b2c4d5e6f708192a3b4c5d6e7f8091a2b3c',
      patch: file.patch,
    })),
  };
}

/**
 * The repository has no `.github/keywarden.yml` on its default branch (the config a change is judged by),
 * nor does the org's `.github` repository.
 */
function mockNoConfig(gh: GithubMock): void {
  mockNoRepoConfig(gh, { owner, repo: name }, payload.repository.default_branch);
}

describe.each(testBackends())('push on %s', (backend) => {
  let app: TestApp;
  let gh: GithubMock;

  beforeAll(async () => {
    app = await startTestApp(backend);
  });
  afterAll(() => app.close());
  beforeEach(() => {
    gh = githubMock();
  });
  afterEach(() => gh.restore());

  it('records the credential, fails the check run on the line, and never lets the key out', async () => {
    mockInstallationToken(gh, installationId, { required: true });
    mockNoConfig(gh);
    gh.api
      .get(`${REPO}/compare/${BEFORE}...${payload.after}`)
      .reply(
        200,
        comparison([
          { filename: 'app/settings.py', patch: patchAdding(['import os', `OPENAI_API_KEY = "${key}"`]) },
        ]),
      );
    let created: Record<string, unknown> = {};
    gh.api
      .post(`${REPO}/check-runs`, (body) => {
        created = body;
        return true;
      })
      .reply(201, { ...openapiExample('POST', '/repos/{owner}/{repo}/check-runs', '201'), id: 42 });

    // The remediation job the scan enqueues opens the credential's issue (#1).
    const issues = mockIssueOpenings(
      gh,
      { owner, repo: name },
      { defaultBranch: payload.repository.default_branch, sha: payload.after },
    );

    const result = await app.deliver('push', payload, 'delivery-push-1');

    expect(result).toEqual({ completed: 2, failed: 0 });
    gh.assertDone();
    // A push to the default branch: the run is created already complete, in one request; with the token,
    // the config (repository, then org defaults) and the compare, that is 5 requests. Opening the issue
    // takes 9 more: the repository, its config (2), the marker search, CODEOWNERS (3), admins, the issue.
    expect(gh.recordedRequests()).toHaveLength(14);
    expect(issues.bodies).toHaveLength(1);
    expect(created).toMatchObject({
      name: 'keywarden',
      head_sha: payload.after,
      status: 'completed',
      conclusion: 'failure',
    });
    const output = created['output'] as { annotations: Array<Record<string, unknown>>; summary: string };
    expect(output.annotations).toEqual([
      expect.objectContaining({
        path: 'app/settings.py',
        start_line: 2,
        end_line: 2,
        annotation_level: 'failure',
      }),
    ]);
    const { rows: credentials } = await app.db.query<{ fingerprint: string; rule_id: string; state: string }>(
      'SELECT fingerprint, rule_id, state FROM credentials',
    );
    expect(credentials).toEqual([
      {
        fingerprint: fingerprint(key, TEST_FINGERPRINT_KEY),
        rule_id: 'openai.project-key',
        state: 'notified',
      },
    ]);
    const { rows: exposures } = await app.db.query(
      'SELECT repo, commit_sha, path, line, source FROM exposures',
    );
    expect(exposures).toEqual([
      {
        repo: `${owner}/${name}`,
        commit_sha: payload.after,
        path: 'app/settings.py',
        line: 2,
        source: 'push',
      },
    ]);
    expect(requestsContaining(gh, key)).toEqual([]);
    expect(await databaseDump(app.db)).not.toContain(key);
    expect(app.logs().join('\n')).not.toContain(key);
    expect(app.logs().join('\n')).toContain('push scanned');
  });

  it('ignores a redelivered webhook (same delivery id): no job, no request', async () => {
    const result = await app.deliver('push', payload, 'delivery-push-1');

    expect(result).toEqual({ completed: 0, failed: 0 });
    gh.assertDone();
    expect(gh.recordedRequests()).toEqual([]);
  });

  it('scanning the same commit again updates the one check run and adds nothing to the inventory', async () => {
    mockNoConfig(gh);
    gh.api
      .get(`${REPO}/compare/${BEFORE}...${payload.after}`)
      .reply(
        200,
        comparison([
          { filename: 'app/settings.py', patch: patchAdding(['import os', `OPENAI_API_KEY = "${key}"`]) },
        ]),
      );
    gh.api
      .get(`${REPO}/check-runs/42/annotations`)
      .query({ per_page: 100 })
      .reply(200, [{ path: 'app/settings.py', start_line: 2, end_line: 2, annotation_level: 'failure' }]);
    gh.api
      .patch(`${REPO}/check-runs/42`)
      .reply(200, openapiExample('PATCH', '/repos/{owner}/{repo}/check-runs/{check_run_id}'));

    const result = await app.deliver('push', payload, 'delivery-push-2');

    expect(result).toEqual({ completed: 1, failed: 0 });
    gh.assertDone();
    const { rows } = await app.db.query<{ credentials: number; exposures: number }>(
      'SELECT (SELECT count(*)::int FROM credentials) AS credentials, (SELECT count(*)::int FROM exposures) AS exposures',
    );
    expect(rows).toEqual([{ credentials: 1, exposures: 1 }]);
  });

  it('retries when GitHub answers 5xx, then succeeds', async () => {
    const clean = { ...pushPayload(), after: 'b20867b14bb761a232cd80139fbd4c0d33264241' };
    mockNoConfig(gh);
    mockNoConfig(gh);
    gh.api.get(`${REPO}/compare/${BEFORE}...${clean.after}`).reply(502, { message: 'Server Error' });
    gh.api
      .get(`${REPO}/compare/${BEFORE}...${clean.after}`)
      .reply(200, comparison([{ filename: 'README.md', patch: patchAdding(['hello']) }]));
    let completed: Record<string, unknown> = {};
    gh.api
      .post(`${REPO}/check-runs`, (body) => {
        completed = body;
        return true;
      })
      .reply(201, { ...openapiExample('POST', '/repos/{owner}/{repo}/check-runs', '201'), id: 43 });

    const result = await app.deliver('push', clean, 'delivery-push-3');

    expect(result).toEqual({ completed: 1, failed: 0 });
    gh.assertDone();
    expect(completed).toMatchObject({ status: 'completed', conclusion: 'success' });
  });

  it('skips a deleted branch without a job', async () => {
    const deleted = webhookExample('push', (p) => 'installation' in p && p.deleted);

    const result = await app.deliver('push', deleted, 'delivery-push-deleted');

    expect(result).toEqual({ completed: 0, failed: 0 });
    expect(gh.recordedRequests()).toEqual([]);
  });

  it('reports an invalid config on the check run and scans with the defaults', async () => {
    const another = { ...pushPayload(), after: 'c30867b14bb761a232cd80139fbd4c0d33264242' };
    gh.api
      .get(`${REPO}/contents/.github%2Fkeywarden.yml`)
      .query({ ref: payload.repository.default_branch })
      .reply(200, 'severityThreshold: extreme\n', {
        'content-type': 'application/vnd.github.raw; charset=utf-8',
      });
    gh.api
      .get(`${REPO}/compare/${BEFORE}...${another.after}`)
      .reply(200, comparison([{ filename: '.env', patch: patchAdding([`OPENAI_API_KEY=${key}`]) }]));
    let completed: Record<string, unknown> = {};
    gh.api
      .post(`${REPO}/check-runs`, (body) => {
        completed = body;
        return true;
      })
      .reply(201, { ...openapiExample('POST', '/repos/{owner}/{repo}/check-runs', '201'), id: 44 });

    // The same key in a new commit: its issue (#1) gets the new location and a comment.
    mockCodeowners(gh, { owner, repo: name }, another.after);
    mockGetIssue(gh, { owner, repo: name }, issueReply(1));
    mockRepository(gh, { owner, repo: name }, { defaultBranch: payload.repository.default_branch });
    mockUpdateIssue(gh, { owner, repo: name }, 1, { bodies: [] });
    mockComment(gh, { owner, repo: name }, 1, { bodies: [] });

    const result = await app.deliver('push', another, 'delivery-push-4');

    expect(result).toEqual({ completed: 2, failed: 0 });
    gh.assertDone();
    const output = completed['output'] as { summary: string; annotations: unknown[] };
    expect(output.summary).toContain('severityThreshold');
    expect(output.annotations).toHaveLength(1);
    expect(completed).toMatchObject({ conclusion: 'failure' });
  });
});
